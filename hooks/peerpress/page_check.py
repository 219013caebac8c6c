"""Checks of a module's Markdown pages: facilitator blocks, front matter and macro calls."""

from __future__ import annotations

import re
from difflib import get_close_matches

from .edition import find_blocks, strip_tags
from .model import Module
from .problems import Problem
from .templating import SESSION_MACROS, macro_calls


def check_module_pages(module: Module) -> list[Problem]:
    """Every problem in the session pages and facilitator.md of a loaded module."""
    problems: list[Problem] = []
    placed: dict[str, tuple[str, int]] = {}
    for session in module.sessions:
        problems += _check_page(module, session.markdown, session.source, session.number, placed)
    if module.facilitator_markdown is not None:
        path = f"modules/{module.slug}/facilitator.md"
        problems += _check_page(module, module.facilitator_markdown, path, None, placed)
    # Only a page whose macros were all read can show that a worksheet is missing from it.
    pages_read = not any(p.message.startswith(_UNREAD) for p in problems)
    for worksheet in module.worksheets:
        if worksheet.id not in placed and pages_read:
            problems.append(Problem(worksheet.source, 1, f"worksheet '{worksheet.id}' is not placed on any page",
                                    f"add {{{{ worksheet('{worksheet.id}') }}}} to "
                                    f"session-{worksheet.session}.md"))
    return problems


# Ways of hiding text that leave it in the published files. The edition split removes
# facilitator text from the source instead; these are refused so nobody relies on them.
HIDING = [
    (re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I), "hiding text with CSS"),
    (re.compile(r"data-search-exclude|\bnot_in_nav\b", re.I), "excluding text from search or the nav"),
    (re.compile(r"<[a-z][^>]*\shidden\b", re.I), "the hidden attribute"),
    (re.compile(r"<!--"), "an HTML comment"),
]


# Raw HTML that would run code in a participant's browser or embed another site.
UNSAFE = re.compile(r"<\s*(script|iframe|object|embed|form|base|meta)\b|<[^>]*\son[a-z]+\s*=|javascript:", re.I)
# Everything the PDF renderer or a browser would fetch by itself.
RESOURCE = re.compile(r"""!\[[^\]]*\]\(\s*<?([^)\s>]+)|\bsrc\s*=\s*["']?([^"'\s>]+)"""
                      r"""|<(?:link|image)\b[^>]*?\b(?:xlink:)?href\s*=\s*["']?([^"'\s>]+)"""
                      r"""|url\(\s*["']?([^"')\s]+)|@import\s+(?:url\()?\s*["']?([^"')\s;]+)""", re.I)


def resource_problems(text: str, path: str) -> list[Problem]:
    """Images, styles and embeds must be files inside the module folder, or data: URIs."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if UNSAFE.search(line):
            problems.append(Problem(path, number, "scripts, frames, forms, event handlers and javascript: links "
                                    "are not allowed in module pages",
                                    "remove the HTML; worksheets and the evaluation form come from the macros"))
        if re.search(r"<link\b[^>]*\brel\s*=\s*[\"']?attachment", line, re.I):
            problems.append(Problem(path, number, "PDF attachments are not allowed in module pages",
                                    "remove the <link rel=\"attachment\">"))
        for match in RESOURCE.finditer(line):
            target = next(g for g in match.groups() if g)
            if target.startswith("data:"):
                continue
            if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("/", "\\")) or ".." in target:
                problems.append(Problem(path, number, f"'{target}' points outside the module",
                                        "put the image or file in the module's folder and refer to it by "
                                        "its name, e.g. ![Diagram](diagram.png)"))
    return problems


_UNREAD = ("unknown worksheet", "the page is", "nested", "front matter", "template syntax error")
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


def _check_page(module: Module, text: str, path: str, session: int | None,
                placed: dict[str, tuple[str, int]]) -> list[Problem]:
    too_big = size_problems(text, path)
    if too_big:
        return too_big
    if text.startswith("---"):
        return [Problem(path, 1, "front matter is not used in module pages",
                        "remove the block between the --- lines; module settings go in module.yml")]
    blocks, problems = find_blocks(text, path)
    problems += resource_problems(text, path)
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern, what in HIDING:
            if pattern.search(line):
                problems.append(Problem(path, number, f"{what} is not allowed in module pages: it stays in the "
                                        "published HTML and search index",
                                        "put facilitator-only text in a {% facilitator %} block, which the "
                                        "participant edition removes"))
    if session is None and blocks:
        problems.append(Problem(path, blocks[0].line, "facilitator.md is facilitator-only as a whole",
                                "remove the {% facilitator %} tags from this file"))
    calls, found = macro_calls(strip_tags(text), path)
    problems += found
    for call in calls:
        problems += _check_call(module, call, path, session, placed)
    return problems


def _check_call(module, call, path, session, placed) -> list[Problem]:
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
    worksheet = module.worksheet(worksheet_id)
    if worksheet is None:
        ids = [w.id for w in module.worksheets]
        close = get_close_matches(worksheet_id, ids, n=1, cutoff=0.5)
        hint = (f"did you mean '{close[0]}'?" if close else
                f"create modules/{module.slug}/worksheets/{worksheet_id}.yml" +
                (f" or use one of: {', '.join(ids)}" if ids else ""))
        return [Problem(path, call.line, f"unknown worksheet '{worksheet_id}'", hint)]
    if worksheet_id in placed:
        where = placed[worksheet_id]
        return [Problem(path, call.line, f"worksheet '{worksheet_id}' is already placed at {where[0]}:{where[1]}",
                        "place each worksheet once")]
    placed[worksheet_id] = (path, call.line)
    if session is not None and worksheet.session != session:
        return [Problem(path, call.line,
                        f"worksheet '{worksheet_id}' belongs to session {worksheet.session}, not {session}",
                        f"move it to session-{worksheet.session}.md or set `session: {session}` in "
                        f"{worksheet.source}")]
    return []
