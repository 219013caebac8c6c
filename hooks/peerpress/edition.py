"""The edition split: `{% facilitator %} … {% endfacilitator %}` blocks in module Markdown.

The participant edition removes each block from the source text before any template or Markdown
processing sees it. The facilitator edition keeps the content, visibly marked: a block that stands
on lines of its own becomes an admonition at the tag's indentation (so it works inside list items
and admonitions, and around tables and headings); a block inside a paragraph becomes a marked span.
"""

from __future__ import annotations

import html
import re
import unicodedata
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


# Anything an author may have meant as a tag, once entities are decoded and look-alike characters
# (full-width braces, for one) folded to ASCII: spaces between brace and percent, {{ }}, any case.
_MEANT = re.compile(r"\{\s*[%{]\s*-?\s*(?:end\s*)?facilitator|facilitator\s*-?\s*[%}]\s*\}", re.I)
TAG_SYNTAX = "write {% facilitator %} … {% endfacilitator %} exactly: ASCII braces, no space between { and %"


def lookalike_problems(text: str, path: str) -> list[Problem]:
    """Lines where something meant as a facilitator tag is not one, so its text would be published."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        meant = _MEANT.findall(_folded(line))
        if len(meant) > len(_TAG.findall(line)):  # each exact tag matches once; anything more is a look-alike
            problems.append(Problem(path, number, "this looks like a facilitator tag but is not one, so the text "
                                    "after it would be published to participants", TAG_SYNTAX))
    return problems


def tags_in_text_field(value: str) -> bool:
    """Whether a YAML text holds a facilitator tag or anything meant as one."""
    return bool(_MEANT.search(_folded(value)))


def _folded(text: str) -> str:
    """Entities decoded and look-alike characters (full-width braces, for one) folded to ASCII."""
    return unicodedata.normalize("NFKC", html.unescape(text))


def placement_problems(text: str, blocks: list[Block], path: str) -> list[Problem]:
    """Blocks the facilitator edition could not render in place."""
    problems = []
    for block in blocks:
        where = placement(text, block)
        body = text[block.body_start:block.body_end]
        if where.own_lines and where.in_table:
            problems.append(Problem(path, block.line, "a facilitator block on lines of its own cannot stand "
                                    "between table rows", "put it inside a cell (| … {% facilitator %}note"
                                    "{% endfacilitator %} |) or before or after the table"))
        elif not where.own_lines and re.search(r"\n[ \t>]*(\n|[-*+#|]\s|\d+[.)]\s|!!!|\?\?\?)", body):
            problems.append(Problem(path, block.line, "a facilitator block inside a line of text holds "
                                    "paragraphs, lists or headings",
                                    "put {% facilitator %} and {% endfacilitator %} on lines of their own"))
    return problems


def strip_tags(text: str) -> str:
    """The text with the tags (not their content) removed; line numbers stay as in the source."""
    return _TAG.sub("", text)


def participant_text(text: str, blocks: list[Block]) -> str:
    """Remove every facilitator block, whole lines where the tags stand on lines of their own."""
    return _rewrite(text, blocks, lambda where, lines: "", lambda body: "")


def facilitator_text(text: str, blocks: list[Block]) -> str:
    """Keep every facilitator block, marked as facilitator-only."""
    return _rewrite(text, blocks, _as_admonition, _as_span)


_PREFIX = re.compile(r"^[ \t>]*$")  # indentation and block-quote markers only
_LIST_ITEM = re.compile(r"^([ \t>]*?)( *)(?:\d+[.)]|[-*+])[ \t]+\S")
_TABLE_ROW = re.compile(r"^[ \t>]*\|")
TAB = 4  # Python-Markdown nests list content and admonition bodies at multiples of four spaces


@dataclass(frozen=True)
class Placement:
    """Where a block stands: on lines of its own (with their prefix) or inside a line of text."""

    own_lines: bool
    prefix: str  # block-quote markers and indentation in front of the opening tag
    in_table: bool
    next_item_indent: int | None  # indentation of a list item straight after the block


def placement(text: str, block: Block) -> Placement:
    line_start = text.rfind("\n", 0, block.start) + 1
    open_line_end = _line_end(text, block.body_start)
    close_line_start = text.rfind("\n", 0, block.body_end) + 1
    close_line_end = _line_end(text, block.end)
    prefix = text[line_start:block.start]
    own = (bool(_PREFIX.match(prefix)) and not text[block.body_start:open_line_end].strip()
           and bool(_PREFIX.match(text[close_line_start:block.body_end]))
           and not text[block.end:close_line_end].strip())
    before = text[:max(line_start - 1, 0)].rsplit("\n", 1)[-1] if line_start else ""
    after = text[close_line_end + 1:].split("\n", 1)[0] if close_line_end < len(text) else ""
    item = _LIST_ITEM.match(after)
    return Placement(own, prefix, bool(_TABLE_ROW.match(before) or _TABLE_ROW.match(after)),
                     len(item.group(2).expandtabs(TAB)) if item else None)


def _rewrite(text, blocks, on_lines, inline) -> str:
    out, cursor = [], 0
    for block in blocks:
        where = placement(text, block)
        if where.own_lines:
            line_start = text.rfind("\n", 0, block.start) + 1
            open_line_end = _line_end(text, block.body_start)
            close_line_start = text.rfind("\n", 0, block.body_end) + 1
            out.append(text[cursor:line_start])
            out.append(on_lines(where, text[open_line_end + 1:close_line_start]))
            cursor = min(_line_end(text, block.end) + 1, len(text))
        else:
            out.append(text[cursor:block.start])
            out.append(inline(text[block.body_start:block.body_end]))
            cursor = block.end
    out.append(text[cursor:])
    return "".join(out)


def _as_admonition(where: Placement, body: str) -> str:
    quote, indent = _split_prefix(where.prefix)
    if where.next_item_indent is not None and indent <= where.next_item_indent:
        indent = where.next_item_indent + TAB  # the block belongs to the list item above it
    indent = -(-indent // TAB) * TAB  # a list item's content starts at the next multiple of four
    lead = quote + " " * indent
    # The blank line first: straight after a list item's text, the admonition would be read as
    # a continuation of that paragraph.
    blank = quote.rstrip()
    lines = [blank, f'{lead}!!! facilitator "{FACILITATOR_TITLE}"', blank]
    for line in body.splitlines():
        content = _body_line(line, where.prefix)
        lines.append(f"{lead}    {content}" if content.strip() else blank)
    return "\n".join([*lines, blank]) + "\n"


def _split_prefix(prefix: str) -> tuple[str, int]:
    """Block-quote markers (with the space after the last one) and the indentation after them."""
    cut = prefix.rfind(">") + 1
    if cut and prefix[cut:cut + 1] == " ":
        cut += 1
    return prefix[:cut], len(prefix[cut:].expandtabs(TAB))


def _body_line(line: str, prefix: str) -> str:
    """A line of a block's body without the prefix its opening tag stood behind."""
    if line.startswith(prefix):
        return line[len(prefix):]
    quote, indent = _split_prefix(prefix)
    if quote and line.startswith(quote.rstrip()):
        line = line[len(quote.rstrip()):].removeprefix(" ")
    expanded = line.expandtabs(TAB)
    return expanded[min(indent, len(expanded) - len(expanded.lstrip())):]


def _as_span(body: str) -> str:
    return f'<span class="facilitator-inline" title="{FACILITATOR_TITLE}">{body}</span>'


def _line(text: str, match: re.Match) -> int:
    return text.count("\n", 0, match.start()) + 1


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end == -1 else end
