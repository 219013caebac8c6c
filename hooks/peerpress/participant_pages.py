"""Participant page numbers in the facilitator edition, read from the participant workbook itself.

A facilitator says "turn to page 7"; the facilitator edition has more pages, so beside each part it
shares with the participant edition it prints where that part is in the participants' copy. The
numbers come from the participant PDF's named destinations (one per element id), never from a guess.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pikepdf

from .publish import replace_file

# The parts both editions print: sessions, their sections, worksheets, evaluations and shared pages.
SHARED_PARTS = re.compile(r"^(?:s[12]-.+|session-[12]|worksheet-.+|evaluation-session-[12]|practice-card"
                          r"|manager-note|agreement|hr-card|reading-list)$")
_ID = re.compile(r'\bid="([^"]+)"')
_HEADING_END = re.compile(r"</h[1-6]>")


def participant_pages(pdf: bytes) -> dict[str, int]:
    """Each shared part's page number (1-based) in a participant workbook.

    Read with pikepdf: every build reads every participant workbook, cached or not, and pypdf
    parses the whole object stream to find the destinations, ten times slower.
    """
    with pikepdf.open(io.BytesIO(pdf)) as document:
        names = document.Root.get("/Names")
        dests = names.get("/Dests") if names is not None else None
        if dests is None:
            return {}
        index = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
        pages = {}
        for name, dest in pikepdf.NameTree(dests).items():
            target = dest.get("/D") if isinstance(dest, pikepdf.Dictionary) else dest
            if SHARED_PARTS.match(name) and target[0].objgen in index:
                pages[name] = index[target[0].objgen]
        return pages


class PageMemo:
    """Participant page numbers kept between builds, beside the render cache.

    A participant workbook's numbers follow from its bytes, so from its cache key: for one taken from
    the cache they are read back here instead of parsed again. For one being rendered, the numbers
    of the module's last build are a guess that lets its facilitator edition start at once; the
    guess is checked against the real numbers when the participant edition is done.
    """

    def __init__(self, path: Path):
        self.path = path
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):  # none yet, or not ours to read
            saved = {}
        # Only well-formed entries are used: anything else is as if that module was never built.
        self._entries: dict[str, dict] = {
            slug: entry for slug, entry in (saved.items() if isinstance(saved, dict) else ())
            if isinstance(entry, dict) and isinstance(entry.get("key"), str) and isinstance(entry.get("pages"), dict)
            and all(isinstance(n, str) and type(p) is int for n, p in entry["pages"].items())}

    def known(self, slug: str, key: str) -> dict[str, int] | None:
        entry = self._entries.get(slug)
        return entry["pages"] if entry and entry.get("key") == key else None

    def guess(self, slug: str) -> dict[str, int] | None:
        entry = self._entries.get(slug)
        return entry["pages"] if entry else None

    def remember(self, slug: str, key: str, pages: dict[str, int]) -> None:
        self._entries[slug] = {"key": key, "pages": pages}

    def save(self, slugs: set[str]) -> None:
        """Write the numbers of the modules in `slugs` (the catalog's); others are forgotten."""
        kept = {slug: entry for slug, entry in self._entries.items() if slug in slugs}
        replace_file(self.path, json.dumps(kept, sort_keys=True).encode("utf-8"))


_SECTION = re.compile(r"^s[12]-")


def mark_participant_pages(html_text: str, pages: dict[str, int]) -> str:
    """Put "participant p. N" under the heading of every part the participant edition also has.

    A section heading on the same participant page as the part marked just before it is left
    unmarked: one number per page turn is what the facilitator needs, not one per heading.
    """
    inserts, last = [], None
    for match in _ID.finditer(html_text):
        name = match.group(1)
        page = pages.get(name)
        if not page or (_SECTION.match(name) and page == last):
            continue
        end = _HEADING_END.search(html_text, match.end())
        if end:  # the part's own heading, or the first heading inside it
            inserts.append((end.end(), f'<p class="pp-participant-page">participant p. {page}</p>'))
            last = page
    for position, text in sorted(set(inserts), reverse=True):
        html_text = html_text[:position] + text + html_text[position:]
    return html_text

