"""The printed workbooks of the basic fixture, read back like data."""

import re
import shutil

import pypdfium2
import pytest
from pypdf import PdfReader

from conftest import run_peerpress
from markers import FACILITATOR, FACILITATOR_PATTERN, PARTICIPANT
from peerpress.audit import pdf_text

PARTICIPANT_PDF = "site/workbooks/first-module-participant.pdf"
FACILITATOR_PDF = "build/facilitator/first-module-facilitator.pdf"


def pages_text(path):
    return [page.extract_text() for page in PdfReader(path).pages]


def outline_titles(path):
    titles = []

    def walk(items):
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)

    walk(PdfReader(path).outline)
    return titles


def test_facilitator_workbook_is_never_under_site(built_workbooks):
    assert (built_workbooks / FACILITATOR_PDF).is_file()
    assert [p.name for p in (built_workbooks / "site").rglob("*.pdf")] == ["first-module-participant.pdf"]


def test_participant_workbook_has_no_facilitator_text_anywhere(built_workbooks):
    everything = pdf_text(built_workbooks / PARTICIPANT_PDF)
    assert FACILITATOR_PATTERN.findall(everything) == []
    assert "Facilitator edition" not in everything and "Answer key" not in everything
    for marker in PARTICIPANT:
        assert marker in everything.replace("\n", " "), marker


def test_facilitator_workbook_holds_every_facilitator_only_string(built_workbooks):
    text = " ".join(pdf_text(built_workbooks / FACILITATOR_PDF).split())
    missing = [f"{marker} ({where})" for marker, where in FACILITATOR.items() if marker not in text]
    assert missing == []


def test_participant_sections_in_order(built_workbooks):
    text = " ".join(" ".join(pages_text(built_workbooks / PARTICIPANT_PDF)).split())
    order = ["Handing Work Over", "Contents", "https://example.org/talks/delegation", "Further reading",
             "PARTREFNOTE-55aa", "Our group agreement", "Signature", "A note for your manager",
             "PARTMGRSHARED-0a0a", "PARTMGRPRACTICE-8e8e", "PARTMGRSUPPORT-9f9f",
             "Session 1: Exploration", "0:00–0:10", "PARTMETHOD-1e1e",
             "Worksheet: Tasks to hand over", "Session 1 evaluation", "PARTEVAL1-6a6a",
             "Between the sessions: my practice card", "Session 2: Reflection",
             "Worksheet: Looking back", "Session 2 evaluation: the module as a whole", "PARTEVAL2-7b7b"]
    position = 0
    for item in order:
        found = text.find(item, position)
        assert found != -1, f"{item!r} missing or out of order"
        position = found


def test_every_facilitator_page_carries_the_confidential_header(built_workbooks):
    pages = pages_text(built_workbooks / FACILITATOR_PDF)
    assert all("Facilitator edition — confidential" in page for page in pages)
    assert "The facilitator's role" in " ".join(pages)
    assert "Before session 1, watch the video" in " ".join(pages)


def test_outline_metadata_and_form_fields(built_workbooks):
    participant = built_workbooks / PARTICIPANT_PDF
    assert outline_titles(participant) == [
        "Cover", "Contents", "Before session 1: the video", "Further reading", "Our group agreement",
        "A note for your manager", "Session 1: Exploration", "Worksheet: Tasks to hand over", "Session 1 evaluation",
        "Between the sessions: my practice card", "Session 2: Reflection", "Worksheet: Looking back",
        "Session 2 evaluation: the module as a whole"]
    reader = PdfReader(participant)
    assert reader.metadata.title == "Handing Work Over: Participant workbook"
    assert reader.metadata.author == "peerpress"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    fields = reader.get_fields()
    for name in ("group-name", "ws-task-list-q1", "ws-task-list-q2-1", "ws-review-q2", "eval-s1-q2-1"):
        assert name in fields, name


def test_a_rendered_page_is_not_blank(built_workbooks):
    page = pypdfium2.PdfDocument(built_workbooks / PARTICIPANT_PDF)[0]
    image = page.render(scale=0.5).to_pil().convert("L")
    dark = sum(1 for value in image.get_flattened_data() if value < 128)
    assert dark > 500


def test_unchanged_modules_come_from_the_cache_and_css_changes_render_all(built_workbooks, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(built_workbooks, project)
    again = run_peerpress(project, "build")
    assert again.returncode == 0
    for edition in ("participant", "facilitator"):
        assert f"1 workbook(s) unchanged, 0 to render ({edition})" in again.stderr
    css = project / "overrides/print/workbook.css"
    css.write_text(css.read_text() + "\nh3 { color: #123456; }\n")
    changed = run_peerpress(project, "build")
    assert changed.returncode == 0
    for edition in ("participant", "facilitator"):
        assert f"0 workbook(s) unchanged, 1 to render ({edition})" in changed.stderr


@pytest.mark.parametrize("html", [
    '<img src="file:///etc/hostname">',
    '<img src="../../../../../../etc/hostname">',
    '<link rel="stylesheet" href="https://example.org/x.css">',
    '<style>@import url("file:///etc/hostname");</style>',
])
def test_restricted_fetcher_refuses_anything_outside_the_project(tmp_path, html):
    from peerpress.model import Edition
    from peerpress.pdf import render
    from peerpress.print_html import PrintJob

    job = PrintJob("m", Edition.PARTICIPANT, f"<html><body><p>x</p>{html}</body></html>", str(tmp_path),
                   (str(tmp_path),), "0123456789ab")
    result = render(job)
    assert result.pdf is None and "blocked resource" in result.error


def test_workbooks_are_tagged_for_screen_readers(built_workbooks):
    root = PdfReader(built_workbooks / PARTICIPANT_PDF).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_paper_size_comes_from_mkdocs_yml(built_workbooks, tmp_path):
    from peerpress.load import load_catalog
    from peerpress.model import Edition
    from peerpress.print_html import workbook_html

    catalog = load_catalog(built_workbooks)
    module = catalog.module("first-module")
    assert "size: A4;" in workbook_html(catalog, module, Edition.PARTICIPANT, "a4")
    assert "size: letter;" in workbook_html(catalog, module, Edition.PARTICIPANT, "letter")
    project = tmp_path / "p"
    shutil.copytree(built_workbooks, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("paper: letter", "paper: legal"))
    result = run_peerpress(project, "check")  # settings are checked with the sources, not only by the build
    assert result.returncode == 1
    assert "mkdocs.yml:29: extra.peerpress.paper is 'legal' — use letter or a4" in result.stderr


def test_footnotes_in_both_sessions_get_their_own_anchors(built_workbooks):
    from dataclasses import replace

    from peerpress.load import load_catalog
    from peerpress.model import Edition
    from peerpress.print_html import workbook_html

    catalog = load_catalog(built_workbooks)
    module = catalog.module("first-module")
    sessions = tuple(replace(s, markdown=s.markdown + "\nA claim.[^1]\n\n[^1]: A source.\n") for s in module.sessions)
    html = workbook_html(catalog, replace(module, sessions=sessions), Edition.PARTICIPANT)
    assert html.count('id="fn:s1-1"') == 1 and html.count('id="fn:s2-1"') == 1


def test_facilitator_blocks_render_wherever_they_stand(built_workbooks):
    """Every position of the fixture's blocks prints as text, never as Markdown or template source."""
    text = " ".join(pdf_text(built_workbooks / FACILITATOR_PDF).split())
    for source in ("!!!", "{%", "{{", "%}", "}}"):
        assert source not in text, source
    pages = [" ".join(p.split()) for p in pages_text(built_workbooks / FACILITATOR_PDF)]
    at = next(i for i, p in enumerate(pages) if "PARTSTEP-1a1a" in p)
    # The list keeps counting through the blocks (a restart would print "1." again after "2."); the
    # tagged PDF gives each page's list markers after its text, so the list may end on the next page.
    steps = pages[at].split("PARTSTEP-1a1a", 1)[1] + " " + " ".join(pages[at + 1:at + 2])
    markers = re.findall(r"(?<![\w.:])(\d)\.(?=\s)", steps)
    assert markers[:4] == ["1", "2", "3", "4"], steps


def test_pdf_text_has_plain_letters_not_ligatures(built_workbooks):
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(built_workbooks / PARTICIPANT_PDF).pages)
    assert "ﬁ" not in text and "ﬀ" not in text and "ﬃ" not in text and "ﬂ" not in text
    assert "finished" in text and "puffin" in text


def test_every_form_field_has_a_meaningful_name_and_its_question_as_accessible_name(built_workbooks):
    fields = PdfReader(built_workbooks / PARTICIPANT_PDF).get_fields()
    assert not [name for name in fields if name.startswith("unknown")]
    assert fields["task-s2-1"]["/TU"] == "Book the room for the next module"
    assert fields["task-s2-2"]["/TU"] == "Return the key to reception"
    assert fields["ws-task-list-q1"]["/TU"] == "1. PARTPROMPT-0d0d List three tasks you still do yourself."
    assert fields["ws-task-list-q2-1"]["/TU"] == "2. Which of these get in your way?: I am faster"
    assert fields["group-name"]["/TU"] == "Group"
    assert fields["ws-task-list-q3-r2-c1"]["/TU"] == "3. Person 2: Task"  # a grid cell: its row and column
    unnamed = [name for name, field in fields.items() if "/TU" in field and field["/TU"] == name]
    assert unnamed == []
