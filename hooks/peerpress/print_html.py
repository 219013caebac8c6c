"""One HTML document per module and edition, ready for WeasyPrint.

The participant document is built from the participant view only, so facilitator-only data is not
in its input at all; the facilitator document adds the guide, notes, answer keys and marked blocks.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass, replace

import segno
from markupsafe import Markup

from . import forms
from .fonts import font_dirs, font_face_css
from .identity import form_version
from .load import digest_files
from .macros import PageMacros, template_environment
from .markdown_render import name_task_boxes, page_html, text_html
from .model import Catalog, Edition, Module
from .participant_pages import mark_participant_pages
from .render_page import facilitator_page_markdown, session_markdown, shared_page_markdown
from .settings import PAPER_SIZES
from .templating import macro_calls
from .views import view

PRINT_TEMPLATE = "print/workbook.html"


@dataclass(frozen=True)
class PrintJob:
    """Everything WeasyPrint needs for one workbook; plain data, so it can go to a worker process."""

    slug: str
    edition: Edition
    html: str
    base_dir: str  # the module folder: relative images in pages resolve here
    allowed_dirs: tuple[str, ...]
    form_version: str  # written into the PDF with its module and edition, so a returned copy says what it is


def workbook_html(catalog: Catalog, module: Module, edition: Edition, paper: str = "letter",
                  participant_pages: dict[str, int] | None = None) -> str:
    """The print HTML of one workbook; the facilitator's shows `participant_pages` where it has them."""
    facilitator = edition == Edition.FACILITATOR
    edition_module = view(module, edition)
    sessions, reading_list = [], None
    for session in edition_module.sessions:
        markdown = session_markdown(catalog, edition_module, session.number, facilitator)
        called = {call.name for call in macro_calls(session.markdown, session.source)[0]}
        macros = PageMacros(catalog.root, edition_module, catalog.evaluations, session.number, facilitator)
        body, found = _take_reading_list(page_html(markdown, id_prefix=f"s{session.number}-"))
        reading_list = reading_list or found
        sessions.append({
            "session": session,
            "body": name_task_boxes(_mark_form_headings(body), f"s{session.number}"),
            # Every workbook has these for each session even where a page leaves them out.
            "objectives": "" if "objectives" in called else macros.objectives(),
            "agenda": "" if "agenda" in called else macros.agenda(),
            "evaluation": "" if "evaluation" in called else macros.evaluation_form(),
            "desired_output": text_html(session.desired_output) if facilitator else "",
            "evaluation_title": catalog.evaluation(session.number).title,
        })
    env = template_environment(catalog.root)
    template = env.get_template(PRINT_TEMPLATE)
    document = template.render(
        module=edition_module, edition=edition, facilitator=facilitator,
        category=catalog.category(module.category), summary=text_html(module.summary),
        agreement=page_html(shared_page_markdown(catalog.agreement, "modules/agreement.md", facilitator),
                            id_prefix="agreement-"),
        manager_note=page_html(shared_page_markdown(catalog.manager_note, "modules/manager-note.md", facilitator),
                               id_prefix="manager-note-"),
        forms=forms,
        hr_card=page_html(shared_page_markdown(catalog.hr_card, "modules/hr-card.md", facilitator),
                          id_prefix="hr-") if catalog.hr_card and (module.hr_card or facilitator) else "",
        outcomes=catalog.outcomes,
        guide=_under_heading(page_html(shared_page_markdown(catalog.facilitator_guide or "",
                                                            "modules/facilitator-guide.md", True), id_prefix="guide-"))
        if facilitator else "",
        module_guide=_under_heading(page_html(facilitator_page_markdown(catalog, edition_module),
                                              id_prefix="module-guide-"))
        if facilitator and edition_module.facilitator_markdown else "",
        sessions=sessions, reading_list=reading_list, paper=PAPER_SIZES.get(paper, "letter"),
        video_qr=_qr_data_uri(module.video.url) if module.video else "",
        css=font_face_css() + "\n" + (catalog.root / "overrides/print/workbook.css").read_text(encoding="utf-8"),
    )
    return mark_participant_pages(document, participant_pages) if facilitator and participant_pages else document


@dataclass(frozen=True)
class PrintRequest:
    slug: str
    edition: Edition
    key: str  # a hash of every input of this workbook; the PDF cache adds the renderer's fingerprint


# Everything outside a module's folder that feeds its workbooks: shared texts, templates, CSS and
# the code that turns them into print HTML.
SHARED_INPUTS = ("modules/catalog.yml", "modules/agreement.md", "modules/facilitator-guide.md", "modules/hr-card.md",
                 "modules/manager-note.md",
                 "overrides/peerpress", "overrides/print", "hooks/peerpress")


def with_pages(request: PrintRequest, pages: dict[str, int] | None) -> PrintRequest:
    """A facilitator request whose key also covers the participant page numbers it prints."""
    digest = hashlib.sha256((request.key + json.dumps(pages or {}, sort_keys=True)).encode()).hexdigest()
    return replace(request, key=digest)


def print_requests(catalog: Catalog, paper: str = "letter") -> list[PrintRequest]:
    """Both workbooks of every module, each with the key of its inputs; no HTML is made yet."""
    shared = hashlib.sha256(paper.encode())
    digest_files(shared, catalog.root, [catalog.root / p for p in SHARED_INPUTS])
    requests = []
    for module in catalog.modules:
        digest = shared.copy()
        digest_files(digest, catalog.root, [module.folder])
        for edition in Edition:
            edition_digest = digest.copy()
            edition_digest.update(edition.encode())
            requests.append(PrintRequest(module.slug, edition, edition_digest.hexdigest()))
    return requests


def print_job(catalog: Catalog, request: PrintRequest, paper: str = "letter",
              participant_pages: dict[str, int] | None = None) -> PrintJob:
    """The print HTML of one requested workbook, with the folders its resources may come from."""
    module = catalog.module(request.slug)
    allowed = (str(catalog.root / "overrides"), str(catalog.root / "docs"), str(module.folder),
               *(str(folder) for folder in font_dirs()))
    html_text = workbook_html(catalog, module, request.edition, paper, participant_pages)
    return PrintJob(module.slug, request.edition, html_text, str(module.folder), allowed, form_version(catalog))


def print_jobs(catalog: Catalog, paper: str = "letter") -> list[PrintJob]:
    """Both workbooks of every module, print HTML made."""
    return [print_job(catalog, request, paper) for request in print_requests(catalog, paper)]


_FORM_HEADING = re.compile(r'<(h[2-4])([^>]*)>((?:(?!</h[2-4]>).)*)</h[2-4]>'
                           r'(\s*<section class="pp-(?:worksheet|evaluation)"[^>]*>\s*<h3[^>]*>(.*?)</h3>)', re.DOTALL)


def _mark_form_headings(html_text: str) -> str:
    """The heading right before a worksheet or evaluation goes to the new page with it.

    A heading that only repeats the form's own title ("Evaluation" over "Session 1 evaluation")
    is dropped: on paper it would print the same word twice.
    """
    def mark(match: re.Match) -> str:
        heading, form_title = _plain_words(match.group(3)), _plain_words(match.group(5))
        if heading and heading in form_title:
            return match.group(4).lstrip()
        return f'<{match.group(1)} class="pp-form-heading"{match.group(2)}>{match.group(3)}</{match.group(1)}>' \
               f"{match.group(4)}"

    return _FORM_HEADING.sub(mark, html_text)


_READING_LIST = re.compile(r'<h([23])[^>]*>((?:(?!</h[23]>).)*)</h\1>\s*(<ul class="pp-references">.*?</ul>)',
                           re.DOTALL)


def _take_reading_list(html_text: str) -> tuple[str, dict | None]:
    """The session without its reading list, and the list: print gives it once, on the contents page.

    A few lines at the end of a session would otherwise often spill onto a page of their own before
    the evaluation, which starts on a right-hand page.
    """
    match = _READING_LIST.search(html_text)
    if not match:
        return html_text, None
    title = _without_headerlink(match.group(2)).strip()
    return html_text[:match.start()] + html_text[match.end():], {"title": Markup(title), "html": match.group(3)}


def _under_heading(html_text: str) -> str:
    """A page whose sections start at `##`, printed under a workbook heading of that level: one down."""
    return re.sub(r"<(/?)h([2-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html_text)


def _without_headerlink(fragment: str) -> str:
    return re.sub(r'<a class="headerlink".*?</a>', "", fragment, flags=re.DOTALL)


def _plain_words(fragment: str) -> str:
    fragment = _without_headerlink(fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).lower().split())


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff", border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
