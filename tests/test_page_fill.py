"""No near-empty page in any shipped workbook, and only the Source fonts embedded (issue #14, print)."""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO
from peerpress.page_fill import Margins, SparsePage, fit_sections, page_margins, print_margins, sparse_pages

MM = 72 / 25.4
PAGE = "@page { size: A5; margin: 20mm 15mm; @bottom-center { content: 'Page ' counter(page) } }"
MARGINS = page_margins(PAGE)
FILLER = "<p>" + "A line of ordinary workbook text that fills the page from margin to margin. " * 4 + "</p>"
SOURCE_FONTS = {"Source-Serif-Pro", "Source-Serif-Pro-Bold", "Source-Serif-Pro-Italic",
                "Source-Serif-Pro-Bold-Italic", "Source-Sans-Pro", "Source-Sans-Pro-Bold",
                "Source-Sans-Pro-Italic", "Source-Sans-Pro-Bold-Italic"}


def page(body: str, css: str = "") -> str:
    return f"<!DOCTYPE html><html><head><style>{PAGE}{css}</style></head><body>{body}</body></html>"


def render(body: str, css: str = "") -> bytes:
    import weasyprint

    return weasyprint.HTML(string=page(body, css)).write_pdf(pdf_forms=True)


def shipped_pdfs(project: Path) -> list[Path]:
    return sorted((project / "site" / "workbooks").glob("*.pdf")) + \
        sorted((project / "build" / "facilitator").glob("*.pdf"))


def embedded_fonts(pdf: Path) -> set[str]:
    """Every font a page or a form field's appearance draws with, without the subset prefix (ABCDEF+)."""
    found, seen = set(), set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            found.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if id(xobject) not in seen:
                seen.add(id(xobject))
                walk(xobject.get("/Resources"))

    reader = PdfReader(pdf)
    for page in reader.pages:
        walk(page.get("/Resources"))
        for annotation in page.get("/Annots") or []:
            appearance = annotation.get_object().get("/AP")
            normal = appearance.get_object().get("/N") if appearance else None
            if normal is not None and hasattr(normal.get_object(), "get"):
                walk(normal.get_object().get("/Resources"))
    return found


def test_no_shipped_workbook_has_a_near_empty_page(shipped_workbooks):
    pdfs = shipped_pdfs(shipped_workbooks)
    modules = [p for p in (REPO / "modules").iterdir() if (p / "module.yml").is_file()]
    assert len(pdfs) == 2 * len(modules)  # both editions of every module, so an empty folder cannot pass
    margins = print_margins(shipped_workbooks / "overrides" / "print")
    sparse = [f"{pdf.name} p. {page.page}: {page.used:.0%} of the text area used: {page.text[:80]}"
              for pdf in pdfs for page in sparse_pages(pdf, margins)]
    assert sparse == []


def test_shipped_workbooks_embed_the_source_fonts_only(shipped_workbooks, built_workbooks):
    """The fixture's workbooks have the nested lists whose default marker once fell back to DejaVu."""
    pdfs = shipped_pdfs(shipped_workbooks) + shipped_pdfs(built_workbooks)
    others = {f"{pdf.name}: {font}" for pdf in pdfs for font in embedded_fonts(pdf) - SOURCE_FONTS}
    assert others == set()
    assert {"Source-Serif-Pro", "Source-Sans-Pro"} <= embedded_fonts(pdfs[0])


def test_the_workbook_margins_are_read_from_the_print_stylesheet():
    assert print_margins(REPO / "overrides" / "print") == pytest.approx(Margins(20 * MM, 18 * MM, 20 * MM, 18 * MM))


def test_page_margins_follow_the_css_shorthand_and_later_rules():
    css = "@page { margin: 1in 2cm } @page :first { margin: 0 } @page { margin-bottom: 10pt }"
    assert page_margins(css) == pytest.approx(Margins(72, 2 / 2.54 * 72, 10, 2 / 2.54 * 72))
    with pytest.raises(ValueError, match="^no length for the @page margin top, left in the print stylesheet$"):
        page_margins("@page { margin-right: 1cm; margin-bottom: 1cm }")


def test_a_page_holding_one_line_is_flagged_even_the_last():
    pdf = render(FILLER * 3 + '<p style="break-before: page">The one line left over.</p>')
    assert [(p.page, p.text) for p in sparse_pages(pdf, MARGINS)] == [(2, "The one line left over.")]
    assert 0 < sparse_pages(pdf, MARGINS)[0].used < 0.05  # the footer, in the margin, is not counted


def test_a_page_used_to_a_fifth_passes_and_one_just_under_fails():
    """Boxes of a known height: the share measured is their vertical extent, not their ink."""
    text_height = 210 * MM - 2 * 20 * MM
    box = '<div style="break-before: page; height: {}pt; border-top: 0.5pt solid; border-bottom: 0.5pt solid"></div>'
    pdf = render(box.format(0.22 * text_height) + box.format(0.17 * text_height))
    assert [(p.page, round(p.used, 2)) for p in sparse_pages(pdf, MARGINS)] == [(2, 0.17)]


def test_a_page_of_fields_is_writing_space_by_design():
    """Borderless fields draw nothing: only their widgets show that the page is meant for writing."""
    fields = "".join(f'<textarea name="notes-{i}" style="display: block; width: 100%; height: 30mm; border: none">'
                     "</textarea>" for i in range(3))
    pdf = render(FILLER * 3 + f'<section style="break-before: page"><p>Notes</p>{fields}</section>')
    assert sparse_pages(pdf, MARGINS) == []
    assert [p.page for p in sparse_pages(render(FILLER * 3 + '<p style="break-before: page">Notes</p>'), MARGINS)] == [2]


def test_an_intentionally_blank_back_passes():
    blank = "@page :blank { @top-center { content: 'This page is intentionally blank' } }"
    pdf = render(FILLER * 3 + f'<section style="break-before: right">{FILLER * 3}</section>', blank)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3  # page 2 is the blank back of page 1
    assert sparse_pages(pdf, MARGINS) == []
    unmarked = render(FILLER * 3 + f'<section style="break-before: right">{FILLER * 3}</section>')
    assert sparse_pages(unmarked, MARGINS) == [SparsePage(2, 0.0, "")]


class Renders:
    """A `fit_sections` renderer that records each try: the fits it was given, and the PDF it made."""

    def __init__(self):
        self.fits, self.pdfs = [], []

    def __call__(self, text):
        import weasyprint

        self.fits.append(re.findall(r'id="(\w+)" data-fit="(\w+)"', text))
        document = weasyprint.HTML(string=text).render()
        self.pdfs.append(document.write_pdf())
        return document, self.pdfs[-1]


FITS_CSS = "[data-fit=tight] p { line-height: 1 } [data-fit=tighter] p { line-height: .9 }"


def test_a_section_ending_on_a_near_empty_page_is_fitted_and_rendered_again():
    """The last lines of #one spill onto a page of their own before #two's forced break: set tight, they fit."""
    lines = "<p>" + "The last lines of the first section, which spill onto a page of their own. " * 4 + "</p>"
    html = page(f'<section class="one" id="one"><div style="height: 135mm; background: #eee"></div>{lines}</section>'
                f'<section class="two" id="two" style="break-before: page">{FILLER * 3}</section>', FITS_CSS)
    assert [p.page for p in sparse_pages(Renders()(html)[1], MARGINS)] == [2]
    renders = Renders()
    document, pdf = fit_sections(html, renders)
    assert renders.fits == [[], [("one", "tight")]]
    assert sparse_pages(pdf, MARGINS) == []
    assert len(document.pages) == 2


def test_a_section_that_runs_on_from_the_one_before_is_fitted_with_it():
    """#two starts on #one's page, with no forced break: fitting either moves #two's end."""
    lines = "<p>" + "The last lines of the first section, which spill onto a page of their own. " * 2 + "</p>"
    html = page(f'<section class="one" id="one"><div style="height: 70mm; background: #eee"></div>{lines}</section>'
                f'<section class="two" id="two"><div style="height: 60mm; background: #eee"></div>{lines}</section>'
                f'<section class="three" id="three" style="break-before: page">{FILLER * 3}</section>', FITS_CSS)
    renders = Renders()
    document, pdf = fit_sections(html, renders)
    assert renders.fits == [[], [("one", "tight"), ("two", "tight")], [("one", "tighter"), ("two", "tighter")]]
    assert sparse_pages(pdf, MARGINS) == []
    assert len(document.pages) == 2


def test_when_no_fit_helps_the_layout_with_fewest_near_empty_pages_is_kept():
    """Every fit here makes things worse (more pages spill): the first layout is the one returned."""
    worse = "[data-fit] p { line-height: 3 }"
    lines = "<p>" + "The last lines of the section, which spill onto a page of their own. " * 2 + "</p>"
    html = page(f'<section class="one" id="one"><div style="height: 200mm; background: #eee"></div>{lines}</section>'
                f'<section class="two" id="two" style="break-before: page">{FILLER * 3}</section>', worse)
    renders = Renders()
    document, pdf = fit_sections(html, renders)
    assert len(renders.pdfs) == 5 and len(sparse_pages(pdf, MARGINS)) == 1
    assert pdf is renders.pdfs[0]  # the original, not the last try


TEAR_OUT = '<section class="pp-evaluation" style="break-before: page; break-after: page">{}</section>'


def test_a_page_set_apart_by_forced_breaks_is_not_fitted():
    """Text after a tear-out page prints alone whatever the spacing: reported, never rendered again."""
    html = page(f'<section class="one" id="one">{FILLER * 3}{TEAR_OUT.format(FILLER * 3)}<p>One stray sentence.</p>'
                f'</section><section class="two" id="two" style="break-before: page">{FILLER * 3}</section>', FITS_CSS)
    renders = Renders()
    _, pdf = fit_sections(html, renders)
    assert renders.fits == [[]]
    assert [(p.page, p.text) for p in sparse_pages(pdf, MARGINS)] == [(3, "One stray sentence.")]


def test_a_page_after_a_forced_break_that_runs_on_is_fitted():
    """#two's opening line is alone because the unbreakable block after it does not fit below it; set
    tight, it does. The page starts at a forced break but does not end at one: fitting can help."""
    block = '<div style="break-inside: avoid">' + "<p>One line of a block kept whole.</p>" * 18 + "</div>"
    html = page(f'<section class="one" id="one">{FILLER * 3}</section><section class="two" id="two" '
                f'style="break-before: page"><p>The opening line.</p>{block}</section>', FITS_CSS)
    renders = Renders()
    _, pdf = fit_sections(html, renders)
    assert [(p.page, p.text) for p in sparse_pages(renders.pdfs[0], MARGINS)] == [(2, "The opening line.")]
    assert renders.fits == [[], [("two", "tight")]]
    assert sparse_pages(pdf, MARGINS) == []

