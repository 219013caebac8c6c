"""The facilitator's workbook in the room: the participants' page numbers, read from their workbook."""

import io

import pypdfium2
from pypdf import PdfReader

PARTICIPANT_PDF = "site/workbooks/first-module-participant.pdf"
FACILITATOR_PDF = "build/facilitator/first-module-facilitator.pdf"


def _pages(path):
    pdf = pypdfium2.PdfDocument(path)
    return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]


def test_facilitator_edition_prints_where_each_part_is_in_the_participant_workbook(built_workbooks):
    reader = PdfReader(io.BytesIO((built_workbooks / PARTICIPANT_PDF).read_bytes()))
    where = {name: reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}
    every_page = _pages(built_workbooks / FACILITATOR_PDF)
    facilitator = [p for p in every_page if not p.startswith("Contents")]
    parts = {"worksheet-task-list": "Worksheet: Tasks to hand over", "worksheet-review": "Worksheet: Looking back",
             "evaluation-session-1": "Session 1 evaluation", "practice-card": "Between the sessions: my practice card",
             "session-2": "Session 2: Reflection", "manager-note": "A note for your manager"}
    for anchor, title in parts.items():
        page = next(p for p in facilitator if title in p)
        assert f"participant p. {where[anchor]}" in page, (anchor, where[anchor], page[:300])
    # Only the facilitator edition has them, and the two editions' numbers really differ somewhere.
    participant = _pages(built_workbooks / PARTICIPANT_PDF)
    assert not any("participant p." in p for p in participant)
    own_page = next(i + 1 for i, p in enumerate(every_page)
                    if "Worksheet: Looking back" in p and not p.startswith("Contents"))
    assert own_page != where["worksheet-review"]
