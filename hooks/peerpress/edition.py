"""The edition split: `{% facilitator %} … {% endfacilitator %}` blocks in module Markdown.

The participant edition removes each block from the source text before any template or Markdown
processing sees it. The facilitator edition keeps the content, visibly marked: a block that stands
on lines of its own becomes an admonition at the tag's indentation (so it works inside list items
and admonitions, and around tables and headings); a block inside a paragraph becomes a marked span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .problems import Problem

OPEN, CLOSE = "facilitator", "endfacilitator"
_TAG = re.compile(r"\{%-?\s*(facilitator|endfacilitator)\s*-?%\}")
FACILITATOR_TITLE = "For the facilitator"


@dataclass(frozen=True)
class Block:
    start: int  # offset of the opening tag
    body_start: int  # offset just after the opening tag
    body_end: int  # offset of the closing tag
    end: int  # offset just after the closing tag
    line: int  # 1-based line of the opening tag


def find_blocks(text: str, path: str) -> tuple[list[Block], list[Problem]]:
    """Locate facilitator blocks, reporting unbalanced or nested tags with their lines."""
    blocks: list[Block] = []
    problems: list[Problem] = []
    opened: re.Match | None = None
    for match in _TAG.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if match.group(1) == OPEN:
            if opened is not None:
                problems.append(Problem(path, line, "facilitator block opened inside another one",
                                        f"close the block opened on line {_line(text, opened)} "
                                        "with {% endfacilitator %} first; blocks do not nest"))
                continue
            opened = match
        elif opened is None:
            problems.append(Problem(path, line, "{% endfacilitator %} without an opening tag",
                                    "add {% facilitator %} where the facilitator-only part starts, "
                                    "or remove this tag"))
        else:
            blocks.append(Block(opened.start(), opened.end(), match.start(), match.end(),
                                _line(text, opened)))
            opened = None
    if opened is not None:
        problems.append(Problem(path, _line(text, opened), "facilitator block is never closed",
                                "add {% endfacilitator %} where the facilitator-only part ends"))
    return blocks, problems


def strip_tags(text: str) -> str:
    """The text with the tags (not their content) removed; line numbers stay as in the source."""
    return _TAG.sub("", text)


def participant_text(text: str, blocks: list[Block]) -> str:
    """Remove every facilitator block, whole lines where the tags stand on lines of their own."""
    return _rewrite(text, blocks, lambda block, lines: "", lambda body: "")


def facilitator_text(text: str, blocks: list[Block]) -> str:
    """Keep every facilitator block, marked as facilitator-only."""
    return _rewrite(text, blocks, _as_admonition, _as_span)


def _rewrite(text, blocks, on_lines, inline) -> str:
    out, cursor = [], 0
    for block in blocks:
        line_start = text.rfind("\n", 0, block.start) + 1
        open_line_end = _line_end(text, block.body_start)
        close_line_start = text.rfind("\n", 0, block.body_end) + 1
        close_line_end = _line_end(text, block.end)
        own_lines = (
            not text[line_start:block.start].strip()
            and not text[block.body_start:open_line_end].strip()
            and not text[close_line_start:block.body_end].strip()
            and not text[block.end:close_line_end].strip()
        )
        if own_lines:
            out.append(text[cursor:line_start])
            indent = text[line_start:block.start]
            body = text[open_line_end + 1:close_line_start]
            out.append(on_lines(indent, body))
            cursor = min(close_line_end + 1, len(text))
        else:
            out.append(text[cursor:block.start])
            out.append(inline(text[block.body_start:block.body_end]))
            cursor = block.end
    out.append(text[cursor:])
    return "".join(out)


def _as_admonition(indent: str, body: str) -> str:
    # The blank line first: straight after a list item's text, the admonition would be read as
    # a continuation of that paragraph.
    lines = ["", f'{indent}!!! facilitator "{FACILITATOR_TITLE}"', ""]
    for line in body.splitlines():
        content = line[len(indent):] if line.startswith(indent) else line.lstrip()
        lines.append(f"{indent}    {content}" if line.strip() else "")
    return "\n".join(lines) + "\n\n"


def _as_span(body: str) -> str:
    return f'<span class="facilitator-inline" title="{FACILITATOR_TITLE}">{body}</span>'


def _line(text: str, match: re.Match) -> int:
    return text.count("\n", 0, match.start()) + 1


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end == -1 else end
