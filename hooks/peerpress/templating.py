"""Every page an author writes may call its documented macros and nothing else.

An ordinary Jinja environment (the one mkdocs-macros uses) lets `lipsum.__globals__` reach `os` and
`config` print the site's settings. No author page goes through one: we parse each page
ourselves, accept only `{{ name(literal, …) }}` calls to the macros below (and `{% raw %}`), then
render in a sandboxed environment whose globals hold those macros alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from difflib import get_close_matches

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from .problems import Problem

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


def macro_calls(text: str, path: str, allowed: tuple[str, ...] = MACROS) -> tuple[list[MacroCall], list[Problem]]:
    """Parse `text` and return its calls of the `allowed` macros, or a problem for everything else."""
    try:
        tree = _ENV.parse(text)
    except TemplateSyntaxError as error:
        return [], [Problem(path, error.lineno or 1, f"template syntax error: {error.message}",
                            "macros are written {{ name(...) }}; to show braces literally, "
                            "wrap them in {% raw %} … {% endraw %}")]
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
