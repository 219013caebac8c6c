"""The facilitator's workbook in the room: the participants' page numbers, read from their workbook."""

import io
import shutil

import pypdfium2
from pypdf import PdfReader

from conftest import run_peerpress

PARTICIPANT_PDF = "site/workbooks/first-module-participant.pdf"
FACILITATOR_PDF = "build/facilitator/first-module-facilitator.pdf"


def _pages(path):
    pdf = pypdfium2.PdfDocument(path)
    return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]


def _participant_page_of_each_part(project) -> dict[str, int]:
    reader = PdfReader(io.BytesIO((project / PARTICIPANT_PDF).read_bytes()))
    return {name: reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}


def _assert_facilitator_edition_prints_the_participant_pages(project) -> None:
    where = _participant_page_of_each_part(project)
    facilitator = [p for p in _pages(project / FACILITATOR_PDF) if not p.startswith("Contents")]
    parts = {"worksheet-task-list": "Worksheet: Tasks to hand over", "worksheet-review": "Worksheet: Looking back",
             "evaluation-session-1": "Session 1 evaluation", "practice-card": "Between the sessions: my practice card",
             "session-2": "Session 2: Reflection", "manager-note": "A note for your manager"}
    for anchor, title in parts.items():
        page = next(p for p in facilitator if title in p)
        assert f"participant p. {where[anchor]}" in page, (anchor, where[anchor], page[:300])


def test_facilitator_edition_prints_where_each_part_is_in_the_participant_workbook(built_workbooks):
    _assert_facilitator_edition_prints_the_participant_pages(built_workbooks)
    where = _participant_page_of_each_part(built_workbooks)
    every_page = _pages(built_workbooks / FACILITATOR_PDF)
    # Only the facilitator edition has them, and the two editions' numbers really differ somewhere.
    participant = _pages(built_workbooks / PARTICIPANT_PDF)
    assert not any("participant p." in p for p in participant)
    own_page = next(i + 1 for i, p in enumerate(every_page)
                    if "Worksheet: Looking back" in p and not p.startswith("Contents"))
    assert own_page != where["worksheet-review"]


RENDERED_AGAIN = "first-module: facilitator edition rendered again: the participant page numbers changed"


def test_after_an_edit_that_moves_the_participant_pages_the_facilitator_edition_follows(built_workbooks, tmp_path):
    """The facilitator edition starts on the last build's numbers; when the edit moved them, it is
    rendered again with the real ones. When it did not, the first render stands."""
    project = tmp_path / "project"
    shutil.copytree(built_workbooks, project)
    session = project / "modules/first-module/session-1.md"
    before = _participant_page_of_each_part(project)

    session.write_text(session.read_text().replace("## The framework", "## The framework\n\nOne more sentence.", 1))
    result = run_peerpress(project, "build")
    assert result.returncode == 0, result.stderr
    assert _participant_page_of_each_part(project) == before and RENDERED_AGAIN not in result.stderr
    _assert_facilitator_edition_prints_the_participant_pages(project)

    pages = "\n\n".join(f'## Added part {n}\n\n{"A paragraph that takes up room on the page. " * 40}' for n in range(4))
    session.write_text(session.read_text().replace("## The framework", pages + "\n\n## The framework", 1))
    result = run_peerpress(project, "build")
    assert result.returncode == 0, result.stderr
    assert _participant_page_of_each_part(project)["session-2"] > before["session-2"]
    _assert_facilitator_edition_prints_the_participant_pages(project)
    assert RENDERED_AGAIN in result.stderr


def test_a_damaged_page_memo_is_read_as_far_as_it_is_well_formed(tmp_path):
    from peerpress.participant_pages import PageMemo

    memo = tmp_path / "participant-pages.json"
    memo.write_text('{"a": 5, "b": {"key": "k", "pages": {"s1-x": "7"}}, "c": {"key": "k", "pages": {"s1-x": 3}}}')
    read = PageMemo(memo)
    assert (read.guess("a"), read.guess("b"), read.known("c", "k"), read.known("c", "other")) == \
        (None, None, {"s1-x": 3}, None)
    for damaged in ("[1, 2]", "{not json", ""):
        memo.write_text(damaged)
        assert PageMemo(memo).guess("c") is None
