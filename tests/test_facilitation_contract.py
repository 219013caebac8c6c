"""The facilitation contract: every item says how the group works; long items carry runnable notes."""

import pytest
from test_load_errors import MODULE, edit, problems_of

from conftest import make_project

YML = f"{MODULE}/module.yml"
STORIES = "agenda item 'Stories and framework'"


@pytest.mark.parametrize("old, new, expected", [
    ("        method: Open discussion\n", "",
     f"{YML}:31: {STORIES} is missing 'method' — add `method:`, one line on how the group works, "
     'e.g. "A round: each member, about two minutes"'),
    ("        method: Open discussion\n", "        method: |\n          Open discussion\n          with notes\n",
     f"{YML}:33: the method of {STORIES} should be one line of at most 140 characters — say how the group "
     "works in one line; put the detail in facilitator_notes"),
    ("        facilitator_notes:\n          open: Ask for a story.\n          steps:\n"
     '            - "75 min: stories, then the framework."\n          listen_for:\n'
     "            - Tasks handed back.\n          close: Summarise.\n", "",
     f"{YML}:31: {STORIES} (75 min) has no facilitator_notes — add `facilitator_notes:` with open, steps "
     "(`N min: …`), listen_for and close; a first-time facilitator runs the item from them"),
    ("          listen_for:\n            - Tasks handed back.\n", "",
     f"{YML}:34: the facilitator_notes of {STORIES} have no listen_for — add `listen_for:`, a list of what "
     "the facilitator listens for in this item"),
    ("          open: Ask for a story.\n", "",
     f"{YML}:34: the facilitator_notes of {STORIES} is missing 'open' — add `open:`, the words the "
     "facilitator says to start the item"),
    ('"75 min: stories, then the framework."', '"stories, then the framework."',
     f"{YML}:37: step 1 of {STORIES} does not start with its minutes — start it with `N min:`, "
     "e.g. `3 min: quiet writing`"),
    ('"75 min: stories, then the framework."', '"60 min: stories, then the framework."',
     f"{YML}:36: the steps of {STORIES} add up to 60 minutes, not 75 — lengthen the steps by 15 minutes "
     "in all, or change the item's `minutes:`"),
    ("        method: Open discussion\n", "        method: Pairs, then open discussion\n",
     f"{YML}:34: {STORIES} splits the group or goes round it (Pairs), but its facilitator_notes have no "
     "smaller_groups — add `smaller_groups:`, how the item runs with 4, 5 and 6 members and when someone "
     "is absent"),
    ("manager_note:\n", "manager_notes:\n",
     f"{YML}:70: unknown field 'manager_notes' in the module — did you mean 'manager_note'?"),
    ("    - PARTMGRSUPPORT-9f9f ask them which task they handed over.\n", "",
     f"{YML}:70: the manager_note is missing 'support' — list two to four things the member's manager can "
     "do to help"),
])
def test_each_contract_rule_names_the_item_and_the_fix(project, old, new, expected):
    edit(project, YML, old, new)
    assert problems_of(project) == [expected]


def test_a_short_item_needs_no_notes_but_a_method(project):
    edit(project, YML, "        method: Solo writing\n", "")
    assert problems_of(project) == [
        f"{YML}:41: agenda item 'Evaluation' is missing 'method' — add `method:`, one line on how the group "
        'works, e.g. "A round: each member, about two minutes"']


def test_the_catalog_needs_a_form_for_each_session(tmp_path):
    project = make_project(tmp_path / "p")
    edit(project, "modules/catalog.yml", "  session_2:", "  session_3:")
    found = problems_of(project)
    assert "modules/catalog.yml:29: unknown field 'session_3' in the evaluations — did you mean 'session_2'?" in found
    assert len(found) == 1, found  # the misspelt key is the one problem to fix


def _pages(path):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]


def test_the_printed_contract(built_workbooks):
    """Cover fields, per-session evaluations on their own pages, and the forms each edition gets."""
    from pypdf import PdfReader

    from peerpress import forms
    from peerpress.load import load_catalog

    catalog = load_catalog(built_workbooks)
    participant = built_workbooks / "site/workbooks/first-module-participant.pdf"
    facilitator = built_workbooks / "build/facilitator/first-module-facilitator.pdf"
    handover = {f.name for row in forms.handover_fields() for f in row} | {forms.HANDOVER_NOTES.name}
    records = {f.name for n in (1, 2) for f in forms.session_record(n)}
    for path in (participant, facilitator):
        pages = _pages(path)
        assert "Session 1 facilitator" in pages[0] and "Session 2 facilitator" in pages[0]
        fields = set(PdfReader(path).get_fields())
        for number in (1, 2):
            assert set(forms.evaluation_fields(catalog.evaluation(number))) <= fields
        assert {f.name for f in forms.PRACTICE_CARD} <= fields
        assert any(p.startswith("A note for your manager") for p in pages)
        # Each evaluation is one right-hand page with a blank back, so tearing it out takes nothing else.
        starts = [i for i, p in enumerate(pages) if p.startswith(("Session 1 evaluation", "Session 2 evaluation"))]
        assert len(starts) == 2 and pages[starts[0]] != pages[starts[1]]
        assert all(i % 2 == 0 for i in starts), starts  # page i + 1 is odd: a right-hand page
        backs = [pages[i + 1] for i in starts if i + 1 < len(pages)]
        assert all(back.startswith("This page is intentionally blank") for back in backs), backs
        is_facilitator = path == facilitator
        assert (handover <= fields) is is_facilitator and bool(handover & fields) is is_facilitator
        assert (records <= fields) is is_facilitator and bool(records & fields) is is_facilitator
        assert any(p.startswith("Handover to the session 2 facilitator") for p in pages) is is_facilitator
        assert sum(p.startswith("Session record") for p in pages) == (2 if is_facilitator else 0)
