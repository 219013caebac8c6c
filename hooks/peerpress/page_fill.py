"""Near-empty pages in a workbook PDF: pages whose content covers under a fifth of the text area.

A page is measured by the vertical extent its content covers inside the text area (the page less
the @page margins): the union of the y-ranges of text lines, rules and boxes, images and form-field
widgets, divided by the text area's height. Ink would call a page of writing lines empty; the
extent says how far down the page a reader's eye and pen travel. Widgets count as used, so a page
of fillable fields is writing space by design; a page that says it is intentionally blank (the
back of a tear-out page) passes. Running headers and footers sit in the margins and are not counted.

`fit_sections` is the typesetter's remedy: a section (a session, the module guide) whose last page
would be near empty, because the next section or a tear-out page starts with a forced break, is
rendered again a little tighter, or failing that a little looser (`data-fit` in workbook.css), so its
last lines move back onto the page before or bring company with them. A page set apart by forced
breaks on both sides (text after a tear-out page) is not fitted: spacing moves no line onto or off
it, and its measure counts lines, not the space between them, so each try would be a render for nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MIN_FILL = 0.2  # under a fifth of the text area used: the page looks abandoned, not designed
BLANK_BY_DESIGN = "This page is intentionally blank"
_POINTS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pc": 12.0, "px": 0.75, "q": 18 / 25.4}
_SIDES = ("top", "right", "bottom", "left")
# Tried in this order, each on the sections the one before left near empty: saving paper first.
# Each is a `[data-fit=...]` rule set in overrides/print/workbook.css.
FITS = ("tight", "tighter", "loose", "looser")
# The workbook's own sections (template classes); worksheets and evaluations (pp-*) are parts of a session.
_FORCED = frozenset({"page", "left", "right", "recto", "verso"})  # CSS break values that start a page
_SECTION = re.compile(r'<section class="(?!pp-)[^"]*" id="([^"]+)"')
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Margins:
    """Page margins in PDF points."""

    top: float
    right: float
    bottom: float
    left: float


@dataclass(frozen=True)
class SparsePage:
    page: int  # 1-based, as printed in the footer
    used: float  # share of the text area's height covered, 0 to 1
    text: str  # the page's text inside the text area, whitespace collapsed


def page_margins(css: str) -> Margins:
    """The margins of the plain `@page` rules in `css` (later rules win), in points.

    Only rules without a page selector count: `:first` or `:blank` pages are not judged by them.
    """
    import tinycss2

    found: dict[str, float] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "at-rule" or rule.lower_at_keyword != "page" or rule.content is None:
            continue
        if any(token.type != "whitespace" for token in rule.prelude):
            continue
        for decl in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if decl.type != "declaration":
                continue
            values = [_points(token) for token in decl.value if token.type not in ("whitespace", "comment")]
            if decl.lower_name == "margin" and 1 <= len(values) <= 4:
                # CSS shorthand: top, right (= top), bottom (= top), left (= right)
                expanded = (values + [None] * 3)[:4]
                expanded[1] = values[0] if expanded[1] is None else expanded[1]
                expanded[2] = values[0] if expanded[2] is None else expanded[2]
                expanded[3] = expanded[1] if expanded[3] is None else expanded[3]
                found.update(zip(_SIDES, expanded, strict=True))
            elif decl.lower_name.startswith("margin-") and decl.lower_name[7:] in _SIDES and len(values) == 1:
                found[decl.lower_name[7:]] = values[0]
    missing = [side for side in _SIDES if found.get(side) is None]
    if missing:
        raise ValueError(f"no length for the @page margin {', '.join(missing)} in the print stylesheet")
    return Margins(**found)


def print_margins(print_dir: Path) -> Margins:
    """The workbook margins, read from the stylesheets in `print_dir` (overrides/print/)."""
    return page_margins("\n".join(path.read_text(encoding="utf-8") for path in sorted(print_dir.glob("*.css"))))


def _points(token) -> float | None:
    if token.type == "dimension" and token.lower_unit in _POINTS:
        return token.value * _POINTS[token.lower_unit]
    if token.type == "number" and token.value == 0:
        return 0.0
    return None


def sparse_pages(pdf: bytes | Path, margins: Margins, min_fill: float = MIN_FILL) -> list[SparsePage]:
    """Every page of `pdf` whose content covers less than `min_fill` of the text area's height.

    A page that says it is intentionally blank passes; the last page is judged like any other.
    """
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        found = []
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            area = (margins.left, margins.bottom, width - margins.right, height - margins.top)
            text_page = page.get_textpage()
            if BLANK_BY_DESIGN in " ".join(text_page.get_text_bounded().split()):
                continue
            used = _covered(_boxes(page, text_page), area) / (area[3] - area[1])
            if used < min_fill:
                text = " ".join(text_page.get_text_bounded(*area).split())
                found.append(SparsePage(index + 1, round(used, 3), text))
        return found
    finally:
        document.close()


def _boxes(page, text_page) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every text line, drawn path or image, and form-field widget."""
    import pypdfium2.raw as pdfium_c

    boxes = [text_page.get_rect(i) for i in range(text_page.count_rects())]
    # Text is measured by its line boxes above; forms are containers whose leaves are walked.
    drawn = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING)
    boxes += [obj.get_bounds() for obj in page.get_objects(filter=drawn, max_depth=8)]
    rect = pdfium_c.FS_RECTF()
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, i)
        try:
            if (pdfium_c.FPDFAnnot_GetSubtype(annot) == pdfium_c.FPDF_ANNOT_WIDGET
                    and pdfium_c.FPDFAnnot_GetRect(annot, rect)):
                boxes.append((rect.left, min(rect.bottom, rect.top), rect.right, max(rect.bottom, rect.top)))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return boxes


def _covered(boxes, area) -> float:
    """The length of the union of the boxes' y-ranges, clipped to the area; boxes outside it are ignored."""
    left, bottom, right, top = area
    spans = sorted((max(b, bottom), min(t, top)) for x0, b, x1, t in boxes
                   if x1 > left and x0 < right and min(t, top) > max(b, bottom))
    covered, reach = 0.0, bottom
    for low, high in spans:
        if high > reach:
            covered += high - max(low, reach)
            reach = high
    return covered


def fit_sections(html_text: str, render: Callable[[str], tuple[object, bytes]]) -> tuple[object, bytes]:
    """`render(html_text)`, then again with each section that ends on a near-empty page fitted.

    `render` returns a WeasyPrint document and its PDF. Sections still near empty after one fit try
    the next. The layout with the fewest near-empty pages is returned (the first of equals); what
    remains is left for `sparse_pages` to report. At most len(FITS) extra renders.
    """
    document, pdf = render(html_text)
    try:
        margins = page_margins("\n".join(_STYLE.findall(html_text)))
    except ValueError:  # not a workbook (no @page margins to measure against): nothing to fit
        return document, pdf
    order = {section: n for n, section in enumerate(_SECTION.findall(html_text))}
    fits: dict[str, str] = {}
    pages = sparse_pages(pdf, margins)
    best = (len(pages), document, pdf)
    for fit in FITS:
        if not pages:
            break
        sparse = set().union(*(_flow_of(document, page.page - 1, order) for page in pages
                               if not _stranded(document, page.page - 1)))
        if not sparse:
            break
        fits.update(dict.fromkeys(sparse, fit))
        document, pdf = render(_with_fits(html_text, fits))
        pages = sparse_pages(pdf, margins)
        if len(pages) < best[0]:
            best = (len(pages), document, pdf)
    return best[1], best[2]


def _flow_of(document, index: int, order: dict[str, int]) -> set[str]:
    """The section on page `index`, with every section it shares a page with since it started.

    A section that starts without a forced break (the module guide) runs on from the one before it:
    fitting either moves its end.
    """
    named = [[name for name in page.anchors if name in order] for page in document.pages[:index + 1]]
    current = max((name for names in named for name in names), key=order.__getitem__, default=None)
    if current is None:
        return set()
    first = next(n for n, names in enumerate(named) if current in names)
    return {name for names in named[first:] for name in names}


def _stranded(document, index: int) -> bool:
    """Whether page `index` starts and ends at a forced break (or the document's start or end).

    Read from WeasyPrint's layout: the first and last boxes of each page with their ancestors. A box
    continued from the page before is no break; one starting here with `break-before: page` is.
    """
    if not all(hasattr(page, "_page_box") for page in document.pages):  # no layout to read: fit as before
        return False
    content = [n for n, page in enumerate(document.pages) if _edge(page, first=True)]
    before = [n for n in content if n < index]
    after = [n for n in content if n > index]
    return ((not before or _breaks_between(document.pages[before[-1]], document.pages[index]))
            and (not after or _breaks_between(document.pages[index], document.pages[after[0]])))


def _breaks_between(earlier, later) -> bool:
    """Whether a forced break separates the content of two consecutive pages that hold content."""
    ending, starting = _edge(earlier, first=False), _edge(later, first=True)
    ended = {id(box.element) for box in ending} - {id(box.element) for box in starting}
    started = {id(box.element) for box in starting} - {id(box.element) for box in ending}
    return (any(box.style["break_after"] in _FORCED for box in ending if id(box.element) in ended)
            or any(box.style["break_before"] in _FORCED for box in starting if id(box.element) in started))


def _edge(page, first: bool) -> list:
    """The page's first (or last) box in the flow, with its ancestors below the page: [] for a blank page."""
    chain, box = [], page._page_box  # WeasyPrint's layout tree, kept on each page
    while True:
        children = [child for child in getattr(box, "children", ())
                    if type(child).__name__ not in ("MarginBox", "LineBox", "TextBox")]
        if not children:
            return chain[1:]  # the root element's box is on every page, blank or not
        box = children[0] if first else children[-1]
        chain.append(box)


def _with_fits(html_text: str, fits: dict[str, str]) -> str:
    for section, fit in fits.items():
        html_text = re.sub(rf'(<section class="(?!pp-)[^"]*" id="{re.escape(section)}")', rf'\1 data-fit="{fit}"',
                           html_text, count=1)
    return html_text
