"""Every page an author writes may call its documented macros and nothing else.

An ordinary Jinja environment (the one mkdocs-macros uses) lets `lipsum.__globals__` reach `os` and
`config` print the site's settings. No author page goes through one: we parse each page
ourselves, accept only `{{ name(literal, …) }}` calls to the macros below (and `{% raw %}`), then
render in a sandboxed environment whose globals hold those macros alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import get_close_matches

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from .problems import CURLY_QUOTES, Problem, curly_quote_hint

SESSION_MACROS = ("objectives", "agenda", "evaluation")
MACROS = (*SESSION_MACROS, "worksheet", "references")  # module pages
PROGRAM_MACROS = ("topic_menu",)  # program pages under docs/


@dataclass(frozen=True)
class MacroCall:
    name: str
    args: tuple
    line: int


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                               keep_trailing_newline=True)
    env.globals.clear()  # no lipsum, cycler, joiner, namespace, range, dict
    env.filters.clear()
    env.tests.clear()
    return env


_ENV = _environment()


_AT_OFFSET = re.compile(r" at (\d+)$")
_UNEXPECTED_CHAR = re.compile(r"unexpected char '(.)'")


def syntax_problem(text: str, path: str, error: TemplateSyntaxError) -> Problem:
    """A template syntax error at `path:line:column` in the author's file, with a hint that fits it."""
    message = error.message or "template syntax error"
    line, column = error.lineno or 1, 0
    offset = _AT_OFFSET.search(message)
    if offset:  # Jinja's lexer counts characters from the start of the page
        position = int(offset.group(1))
        message = message[:offset.start()]
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
    source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if not column:
        opening = min((i for i in (source_line.find("{{"), source_line.find("{%")) if i >= 0), default=-1)
        column = opening + 1 if opening >= 0 else 1
    char = _UNEXPECTED_CHAR.search(message)
    if char and char.group(1) in CURLY_QUOTES:
        start = max(source_line.rfind("{{", 0, column), source_line.rfind("{%", 0, column), 0)
        end = source_line.find("}", column)
        hint = curly_quote_hint(source_line[start:end + 2 if end >= 0 else len(source_line)])
    elif "unknown tag" in message:
        hint = ("pages know only {% facilitator %} … {% endfacilitator %} and {% raw %} … {% endraw %}; "
                "to show braces literally, wrap them in {% raw %} … {% endraw %}")
    elif "end of template" in message:
        hint = "close every {{ with }} and every {% with %}, and every {% facilitator %} with {% endfacilitator %}"
    elif "expected" in message:
        hint = "check the brackets and quotes of the call: {{ name() }} or {{ name('value') }}"
    else:
        hint = ("macros are written {{ name(...) }}; to show braces literally, "
                "wrap them in {% raw %} … {% endraw %}")
    return Problem(path, line, f"template syntax error: {message}", hint, column)


def macro_calls(text: str, path: str, allowed: tuple[str, ...] = MACROS) -> tuple[list[MacroCall], list[Problem]]:
    """Parse `text` and return its calls of the `allowed` macros, or a problem for everything else."""
    try:
        tree = _ENV.parse(text)
    except TemplateSyntaxError as error:
        return [], [syntax_problem(text, path, error)]
    calls: list[MacroCall] = []
    problems: list[Problem] = []
    for node in tree.body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    continue
                call, problem = _as_call(child, path, allowed)
                if call:
                    calls.append(call)
                if problem:
                    problems.append(problem)
        else:
            problems.append(_not_allowed(node, path, f"'{{% {_tag_name(node)} %}}'", allowed))
    return calls, problems


def _as_call(node: nodes.Node, path: str, allowed: tuple[str, ...]) -> tuple[MacroCall | None, Problem | None]:
    if not (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name)):
        return None, _not_allowed(node, path, _describe(node), allowed)
    name = node.node.name
    if name not in allowed:
        close = get_close_matches(name, allowed, n=1)
        hint = (f"did you mean {close[0]}()?" if close else f"use one of: {', '.join(allowed)}" if allowed
                else "this page takes no macros; to show braces literally, wrap them in {% raw %} … {% endraw %}")
        return None, Problem(path, node.lineno, f"unknown macro '{name}'", hint)
    if node.kwargs or node.dyn_args or node.dyn_kwargs:
        return None, Problem(path, node.lineno, f"{name}() takes plain values only",
                             f"write it as {_signature(name)}")
    if not all(isinstance(arg, nodes.Const) for arg in node.args):
        return None, Problem(path, node.lineno, f"{name}() takes plain values only",
                             f"write it as {_signature(name)}")
    return MacroCall(name, tuple(arg.value for arg in node.args), node.lineno), None


def _not_allowed(node: nodes.Node, path: str, what: str, allowed: tuple[str, ...]) -> Problem:
    macros = f"the macros {', '.join(m + '()' for m in allowed)} and " if allowed else ""
    return Problem(path, getattr(node, "lineno", 1) or 1, f"{what} is not allowed in {_kind(path)}",
                   f"use only {macros}{{% facilitator %}} blocks")


def _kind(path: str) -> str:
    return "program pages" if path.startswith("docs/") else "module pages"


def _describe(node: nodes.Node) -> str:
    while isinstance(node, nodes.Call):
        node = node.node
    if isinstance(node, nodes.Name):
        return f"the variable '{node.name}'"
    if isinstance(node, nodes.Filter):
        return f"the filter '{node.name}'"
    if isinstance(node, (nodes.Getattr, nodes.Getitem)):
        return "attribute and item access"
    return "this expression"


def _tag_name(node: nodes.Node) -> str:
    return type(node).__name__.lower()


def _signature(name: str) -> str:
    if name == "worksheet":
        return "worksheet('worksheet-id')"
    if name == "references":
        return "references()"
    return f"{name}() or {name}(1) / {name}(2)"


def render(text: str, macros: dict[str, Callable[..., str]]) -> str:
    """Render a page already checked by `macro_calls`, with only `macros` in reach."""
    template = _ENV.from_string(text, globals=dict(macros))
    return template.render()
