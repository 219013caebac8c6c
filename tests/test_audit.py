"""The leak audit catches facilitator-only text planted in participant outputs, and only that."""

import json
import shutil
import subprocess
import sys

import pytest


@pytest.fixture
def published(built_workbooks, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(built_workbooks, project)
    return project


def audit(project):
    return subprocess.run([sys.executable, "-m", "peerpress", "audit", "--root", str(project)],
                          capture_output=True, text=True)


def test_clean_build_passes_the_audit(published):
    result = audit(published)
    assert result.returncode == 0, result.stderr
    assert "0 facilitator-only passage(s) found" in result.stdout


def test_a_sentence_from_an_answer_key_in_an_html_comment_is_caught(published):
    page = published / "site/modules/first-module/session-2/index.html"
    page.write_text(page.read_text().replace("</body>", "<!-- listen for what the employee did --></body>"))
    result = audit(published)
    assert result.returncode == 1
    assert ('LEAK modules/first-module/session-2/index.html: "listen for what the employee did" '
            "(from modules/first-module/worksheets/review.yml)") in result.stderr


def test_a_marker_in_the_search_index_is_caught(published):
    index = published / "site/search/search_index.json"
    data = json.loads(index.read_text())
    data["docs"][0]["text"] += " see FACMD-6666 "
    index.write_text(json.dumps(data))
    result = audit(published)
    assert result.returncode == 1
    assert 'LEAK search/search_index.json: "FACMD-6666" (from modules/first-module/facilitator.md)' in result.stderr


def test_facilitator_text_inside_a_participant_pdf_is_caught(published):
    facilitator_pdf = published / "build/facilitator/first-module-facilitator.pdf"
    shutil.copy(facilitator_pdf, published / "site/workbooks/first-module-participant.pdf")
    result = audit(published)
    assert result.returncode == 1
    assert "LEAK workbooks/first-module-participant.pdf:" in result.stderr


def test_a_build_with_a_leak_fails_and_publishes_nothing(published):
    from conftest import run_peerpress

    # A participant template that prints the agenda's notes: the audit must stop it.
    template = published / "overrides/peerpress/objectives.html"
    template.write_text(template.read_text() + "<p>{{ module.sessions[0].agenda[0].title }} "
                        "read the agreement aloud before anyone speaks</p>")
    before = sorted((p.relative_to(published), p.stat().st_mtime_ns) for p in (published / "site").rglob("*"))
    result = run_peerpress(published, "build", "--no-pdf")
    assert result.returncode == 1
    assert "facilitator-only text in participant output: modules/first-module/session-1/index.html" in result.stderr
    after = sorted((p.relative_to(published), p.stat().st_mtime_ns) for p in (published / "site").rglob("*"))
    assert after == before


def test_facilitator_text_that_echoes_the_templates_is_still_a_leak_and_says_why(published):
    """The templates' words are never allowed text (a template can leak too); an echo is explained."""
    guide = published / "modules/facilitator-guide.md"
    guide.write_text(guide.read_text() + "\nTell them to keep it where you will see it at work.\n")
    result = audit(published)
    assert result.returncode == 1
    assert ('LEAK workbooks/first-module-participant.pdf: "keep it where you will see it at work" '
            "(from modules/facilitator-guide.md) — the workbook templates print these words to participants too; "
            "reword them in modules/facilitator-guide.md so facilitator-only text stays searchable") in result.stderr


def test_words_that_only_meet_across_a_clause_break_are_not_a_leak(published):
    guide = published / "modules/facilitator-guide.md"
    guide.write_text(guide.read_text() + "\nAsk each member what to try before the next meeting: a plan for one week.\n")
    page = published / "site/modules/first-module/session-2/index.html"
    original = page.read_text()
    # A heading's id meets the tag after it: "…before-the-next-meeting"><a class=…" reads as
    # "before the next meeting a", the words the guide has across its colon.
    page.write_text(original.replace("</body>", '<h2 id="to-do-before-the-next-meeting">To do<a class="headerlink" '
                                     'href="#to-do-before-the-next-meeting">¶</a></h2></body>'))
    assert audit(published).returncode == 0
    page.write_text(original.replace("</body>", "<p>Ask each member what to try before the next meeting.</p></body>"))
    result = audit(published)
    assert result.returncode == 1 and '"ask each member what to try before the next meeting"' in result.stderr
