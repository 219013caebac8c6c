"""Checks of every page an author writes: module pages, shared texts and the program pages.

One rule for all of them: size and nesting limits, facilitator blocks that balance and can be
rendered where they stand, no look-alike tags, only the page's own macros, and rendered HTML the
sanitiser accepts as it is, in each edition the page reaches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches

from .edition import facilitator_text, find_blocks, lookalike_problems, participant_text, placement_problems, strip_tags
from .markdown_render import page_html
from .problems import Problem
from .sanitise import locate, refusals
from .templating import MACROS, PROGRAM_MACROS, SESSION_MACROS, MacroCall, macro_calls, render


@dataclass(frozen=True)
class PageRules:
    macros: tuple[str, ...]  # the macros the page may call
    blocks: bool  # facilitator blocks allowed (a facilitator-only page has none)
    participant: bool  # the page reaches participants
    front_matter: bool = False
    top_heading: int = 2  # the highest heading level the page may use; its title is printed above it


SESSION_PAGE = PageRules(MACROS, blocks=True, participant=True)
FACILITATOR_PAGE = PageRules(MACROS, blocks=False, participant=False)
SHARED_PAGE = PageRules((), blocks=True, participant=True, top_heading=3)  # printed under a workbook heading
GUIDE_PAGE = PageRules((), blocks=False, participant=False)
PROGRAM_PAGE = PageRules(PROGRAM_MACROS, blocks=True, participant=True, front_matter=True, top_heading=1)


@dataclass(frozen=True)
class WorksheetInfo:
    """What the page checks need of a worksheet file, even one whose YAML has problems."""

    session: int | None
    source: str


def check_module_pages(slug: str, pages: list[tuple[str, str, int | None]],
                       worksheets: dict[str, WorksheetInfo]) -> list[Problem]:
    """Every problem in a module's pages: (text, path, session number or None for facilitator.md)."""
    problems: list[Problem] = []
    placed: dict[str, tuple[str, int]] = {}
    reading_list: tuple[str, int] | None = None
    pages_read = True
    for text, path, session in pages:
        found, calls = check_page(text, path, SESSION_PAGE if session else FACILITATOR_PAGE)
        problems += found
        # Only a page whose macros were all read can show that a worksheet is missing from it.
        pages_read = pages_read and not any(p.message.startswith(_UNREAD) for p in found)
        for call in calls:
            problems += _check_call(slug, worksheets, call, path, session, placed)
            if call.name == "references" and session is not None:
                if reading_list:
                    problems.append(Problem(path, call.line,
                                            f"references() is already placed at {reading_list[0]}:{reading_list[1]}",
                                            "the reading list is printed once per module: keep one of the two"))
                reading_list = reading_list or (path, call.line)
    for worksheet_id, info in worksheets.items():
        if worksheet_id not in placed and pages_read and info.session in (1, 2):
            problems.append(Problem(info.source, 1, f"worksheet '{worksheet_id}' is not placed on any page",
                                    f"add {{{{ worksheet('{worksheet_id}') }}}} to session-{info.session}.md"))
    return problems


_UNREAD = ("unknown worksheet", "the page is", "nested", "front matter", "template syntax error", "unknown macro")
MAX_PAGE_BYTES = 500_000
MAX_INDENT = 40  # ten levels of nesting; Markdown recurses per level and fails far deeper


def size_problems(text: str, path: str) -> list[Problem]:
    """Pages big or deep enough to stall a renderer are refused before anything renders them."""
    size = len(text.encode())
    if size > MAX_PAGE_BYTES:
        return [Problem(path, 1, f"the page is {size // 1000} KB; the limit is {MAX_PAGE_BYTES // 1000} KB",
                        "split the material or move reference text into a shorter summary")]
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent > MAX_INDENT and line.strip():
            return [Problem(path, number, f"nested {indent // 4} levels deep; the limit is {MAX_INDENT // 4}",
                            "flatten the list or split it into sections")]
    return []


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)


def without_front_matter(text: str) -> str:
    """The page with its front matter (MkDocs' page settings) blanked, line numbers kept."""
    match = _FRONT_MATTER.match(text)
    return "\n" * match.group(0).count("\n") + text[match.end():] if match else text


def check_page(text: str, path: str, rules: PageRules) -> tuple[list[Problem], list[MacroCall]]:
    """Every problem of one page, and the macro calls it makes."""
    too_big = size_problems(text, path)
    if too_big:
        return too_big, []
    if text.startswith("---"):
        if not rules.front_matter:
            return [Problem(path, 1, "front matter is not used in module pages",
                            "remove the block between the --- lines; module settings go in module.yml")], []
        text = without_front_matter(text)
    blocks, problems = find_blocks(text, path)
    renderable = not problems
    problems += lookalike_problems(text, path)
    if blocks and not rules.blocks:
        problems.append(Problem(path, blocks[0].line, f"{path.rsplit('/', 1)[-1]} is facilitator-only as a whole",
                                "remove the {% facilitator %} tags from this file"))
    problems += placement_problems(text, blocks, path)
    problems += heading_problems(text, path, rules.top_heading)
    problems += table_problems(text, path)
    calls, found = macro_calls(strip_tags(text), path, rules.macros)
    problems += found
    if renderable and not found:
        problems += _rendered_problems(text, blocks if rules.blocks else [], path, rules)
    return problems, calls


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")


def _outside_code(lines: list[str]):
    """(line number, line) for every Markdown line outside fenced code blocks, fences excluded."""
    fence = None
    for number, line in enumerate(lines, start=1):
        opening = _FENCE.match(line)
        if opening and (fence is None or opening.group(1)[0] == fence):
            fence = None if fence else opening.group(1)[0]
        elif fence is None:
            yield number, line


def heading_problems(text: str, path: str, top: int) -> list[Problem]:
    """Headings start at the page's top level and go down one level at a time (screen readers list them)."""
    problems, previous, titles = [], max(top - 1, 1), 0
    for number, line in _outside_code(text.splitlines()):
        heading = _HEADING.match(line)
        if not heading:
            continue
        level = len(heading.group(1))
        if level < top:
            problems.append(Problem(path, number, f"a {'#' * level} heading is above this page's sections",
                                    f"the page's title is printed above it: start its headings at {'#' * top}"))
        elif level == 1 and (titles := titles + 1) > 1:
            problems.append(Problem(path, number, "a second # heading", "a page has one title: use ## here"))
        elif level > previous + 1:
            problems.append(Problem(path, number, f"the heading jumps from {'#' * previous} to {'#' * level}",
                                    f"use {'#' * (previous + 1)} here: headings go down one level at a time"))
        previous = max(level, top - 1) if level >= top else previous
    return problems


_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def table_problems(text: str, path: str) -> list[Problem]:
    """Every column of a table has a heading: a screen reader reads it out before each cell."""
    problems, lines = [], text.splitlines()
    for number, line in _outside_code(lines):
        following = lines[number] if number < len(lines) else ""
        if "|" not in line or "-" not in following or not _DELIMITER_ROW.match(following):
            continue
        cells = line.strip().strip("|").split("|")
        empty = [i for i, cell in enumerate(cells, start=1) if not cell.strip()]
        if empty:
            problems.append(Problem(path, number, f"column {empty[0]} of this table has no heading",
                                    "name every column in the table's first row, e.g. | Situation | What to say |"))
    return problems


_PLACEHOLDER = '\n\n<div class="pp-macro"></div>\n\n'  # macro output is ours; only the author's HTML is held


def _rendered_problems(text, blocks, path, rules: PageRules) -> list[Problem]:
    macros = {name: (lambda *args: _PLACEHOLDER) for name in rules.macros}
    editions = [(facilitator_text(text, blocks), True)]
    if rules.participant:
        editions.insert(0, (participant_text(text, blocks), False))
    problems = []
    for source, facilitator in editions:
        for refusal in refusals(page_html(render(source, macros)), facilitator_classes=facilitator):
            problems.append(Problem(path, locate(text, refusal.needles), f"{refusal.what} is not allowed "
                                    f"in {'program' if path.startswith('docs/') else 'module'} pages",
                                    refusal.hint))
    return list(dict.fromkeys(problems))


def _check_call(slug, worksheets, call, path, session, placed) -> list[Problem]:
    usage = f"{call.name}()" if call.name != "worksheet" else "worksheet('id')"
    if call.name in SESSION_MACROS:
        if len(call.args) > 1 or (call.args and call.args[0] not in (1, 2)):
            return [Problem(path, call.line, f"{call.name}() takes no argument or a session number",
                            f"write {call.name}() for this page's session, or {call.name}(1) / {call.name}(2)")]
        if session is None and not call.args:
            return [Problem(path, call.line, f"{call.name}() needs a session number outside session pages",
                            f"write {call.name}(1) or {call.name}(2)")]
        return []
    if call.name == "references":
        return [] if not call.args else [Problem(path, call.line, "references() takes no argument",
                                                 "write references()")]
    if len(call.args) != 1 or not isinstance(call.args[0], str):
        return [Problem(path, call.line, "worksheet() takes one worksheet id", f"write {usage}")]
    worksheet_id = call.args[0]
    worksheet = worksheets.get(worksheet_id)
    if worksheet is None:
        ids = list(worksheets)
        close = get_close_matches(worksheet_id, ids, n=1, cutoff=0.5)
        hint = (f"did you mean '{close[0]}'?" if close else
                f"create modules/{slug}/worksheets/{worksheet_id}.yml" +
                (f" or use one of: {', '.join(ids)}" if ids else ""))
        return [Problem(path, call.line, f"unknown worksheet '{worksheet_id}'", hint)]
    if worksheet_id in placed:
        where = placed[worksheet_id]
        return [Problem(path, call.line, f"worksheet '{worksheet_id}' is already placed at {where[0]}:{where[1]}",
                        "place each worksheet once")]
    placed[worksheet_id] = (path, call.line)
    if session is not None and worksheet.session in (1, 2) and worksheet.session != session:
        return [Problem(path, call.line,
                        f"worksheet '{worksheet_id}' belongs to session {worksheet.session}, not {session}",
                        f"move it to session-{worksheet.session}.md or set `session: {session}` in "
                        f"{worksheet.source}")]
    return []
