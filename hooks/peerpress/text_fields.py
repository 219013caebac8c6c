"""Checks of every text value in a YAML file: no facilitator tags, and Markdown that renders safely.

YAML text is rendered as Markdown with raw HTML escaped, but Markdown itself can still make a link
(`[x](javascript:…)`) or, through attribute lists, an attribute (`{: onclick=… }`); the rendered
HTML of each value is held against the same allow-list as pages.
"""

from __future__ import annotations

from .edition import tags_in_text_field
from .markdown_render import text_html
from .problems import Problem
from .sanitise import refusals
from .yaml_source import Key, YamlDoc

WHERE_FACILITATOR_TEXT = ("put facilitator-only text in facilitator_notes (agenda items), desired_output "
                          "(sessions), answer_key (worksheet questions) or facilitator.md")
_MARKDOWN_MARKS = ("](", "{", "<", "&")


def text_field_problems(doc: YamlDoc) -> list[Problem]:
    problems: list[Problem] = []
    for key, value in _strings(doc.data, ()):
        stripped = value.strip()
        if len(stripped) > 1 and stripped[0] in "“‘„‚" and stripped[-1] in "”’“‘":
            field = f"{key[-1]}: " if key and isinstance(key[-1], str) else ""
            problems.append(Problem(doc.path, doc.line(key), "the value is wrapped in curly quotes (“ ”), which "
                                    "would be printed as part of the text",
                                    f'write {field}"{stripped[1:-1]}" with straight quotes, or no quotes'))
        if tags_in_text_field(value):
            problems.append(Problem(doc.path, doc.line(key), "facilitator tags do not work in YAML text: the "
                                    "whole value, tags included, would be published", WHERE_FACILITATOR_TEXT))
        elif any(mark in value for mark in _MARKDOWN_MARKS):
            for refusal in refusals(str(text_html(value))):
                problems.append(Problem(doc.path, doc.line(key), f"{refusal.what} is not allowed in YAML text",
                                        refusal.hint))
    return problems


def _strings(value, key: Key):
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, (*key, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*key, index))
