"""The shipped catalog meets the starter-catalog bar: every category, complete modules, tracks."""

import pytest

from conftest import REPO
from peerpress.load import load_catalog
from peerpress.model import Edition

CATEGORIES = ["communication", "conflict-management", "management", "performance-management",
              "staff-development", "self-improvement", "supervision", "team-management"]
PILOTS = ["Coaching Employees for Success", "Developing Your Staff", "When to Adjust Your Management Style"]
CATALOG = load_catalog(REPO)


def test_categories_tracks_and_pilots():
    assert [c.id for c in CATALOG.categories] == CATEGORIES
    assert {c: len(CATALOG.in_category(c)) for c in CATEGORIES} == {c: 3 for c in CATEGORIES}
    assert len(CATALOG.modules) == 24
    assert set(PILOTS) <= {m.title for m in CATALOG.modules}
    assert len(CATALOG.tracks) >= 3 and all(len(t.modules) >= 2 for t in CATALOG.tracks)
    assert CATALOG.agreement.strip() and CATALOG.facilitator_guide.strip()


def test_every_category_is_a_mini_track_and_every_module_is_on_a_track():
    for category in CATEGORIES:
        slugs = {m.slug for m in CATALOG.in_category(category)}
        assert any(set(t.modules) == slugs for t in CATALOG.tracks), f"no mini-track for {category}"
    on_tracks = {slug for t in CATALOG.tracks for slug in t.modules}
    assert {m.slug for m in CATALOG.modules} <= on_tracks
    assert all(len(t.description.split(". ")) >= 1 and len(t.description) > 120 for t in CATALOG.tracks)


def test_the_printed_outcomes_are_the_ones_the_program_page_describes():
    page = (REPO / "docs/choosing-your-outcome.md").read_text()
    assert len(CATALOG.outcomes) == 10
    assert all(f"**{outcome}.**" in page for outcome in CATALOG.outcomes)


@pytest.mark.parametrize("module", CATALOG.modules, ids=lambda m: m.slug)
def test_module_is_complete(module):
    for session in module.sessions:
        assert session.minutes == 90
        assert 3 <= len(session.objectives) <= 5
        assert session.desired_output
    assert {w.session for w in module.worksheets} == {1, 2}
    for worksheet in module.worksheets:
        assert len(worksheet.questions) >= 3
        assert len({q.response for q in worksheet.questions}) > 1
        assert all(q.answer_key for q in worksheet.questions)
    assert len(module.references) >= 3 and all(r.author for r in module.references)
    guide = module.facilitator_markdown or ""
    for section in ("## Desired output", "## Example approaches", "## Questions that unlock discussion",
                    "## When the group stalls"):
        assert section in guide
    text = " ".join(s.markdown for s in module.sessions).lower()
    assert "lorem" not in text and "todo" not in text and "placeholder" not in text


def test_no_invented_group_findings_anywhere():
    """Members must not read "what groups usually notice" before they report back."""
    sources = [p for folder in ("modules", "docs") for p in (REPO / folder).rglob("*") if p.suffix in (".md", ".yml")]
    assert [p.name for p in sources if "groups usually notice" in p.read_text().lower()] == []


@pytest.mark.parametrize("module", CATALOG.modules, ids=lambda m: m.slug)
def test_both_editions_carry_the_facilitation_contract(module):
    """Checked on the print HTML of every shipped module; the fixture's PDFs prove the HTML prints."""
    from peerpress.print_html import workbook_html

    participant = workbook_html(CATALOG, module, Edition.PARTICIPANT)
    facilitator = workbook_html(CATALOG, module, Edition.FACILITATOR)
    for html in (participant, facilitator):
        assert 'name="session-1-facilitator"' in html and 'name="session-2-facilitator"' in html
        assert 'id="practice-card"' in html and 'id="manager-note"' in html
        assert 'name="eval-s1-q1"' in html and 'name="eval-s2-q1"' in html
    for marker in ('id="handover"', 'id="session-record-1"', 'id="session-record-2"', 'id="run-sheet-1"',
                   'id="run-sheet-2"'):
        assert marker in facilitator and marker not in participant, marker


def test_the_two_evaluation_forms_differ():
    first, second = CATALOG.evaluation(1), CATALOG.evaluation(2)
    assert first.title != second.title
    assert [q.prompt for q in first.questions] != [q.prompt for q in second.questions]
    assert "next session" not in " ".join(q.prompt for q in second.questions).lower()


@pytest.mark.parametrize("number", [1, 2])
def test_sessions_are_designed_not_stamped(number):
    """No two modules run a session with the same methods, or print it under the same headings."""
    import re

    methods = [tuple(item.method for item in m.sessions[number - 1].agenda) for m in CATALOG.modules]
    headings = [tuple(re.findall(r"^## (.*)$", m.sessions[number - 1].markdown, re.M)) for m in CATALOG.modules]
    assert len(set(methods)) == len(methods)
    assert len(set(headings)) == len(headings)
    shapes = [tuple(item.minutes for item in m.sessions[number - 1].agenda) for m in CATALOG.modules]
    assert max(shapes.count(shape) for shape in shapes) <= 6
