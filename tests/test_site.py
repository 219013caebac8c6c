"""The participant site built from the basic fixture: pages, edition split, no external requests."""

import json
import re

from conftest import run_peerpress
from markers import FACILITATOR, FACILITATOR_PATTERN, PARTICIPANT


def site_files(project):
    return [p for p in (project / "site").rglob("*") if p.is_file()]


def test_every_module_page_exists(built_site):
    base = built_site / "site" / "modules" / "first-module"
    for page in ("index.html", "session-1/index.html", "session-2/index.html"):
        assert (base / page).is_file(), page
    for page in ("topics/index.html", "topics/management/index.html", "tracks/starter/index.html"):
        assert (built_site / "site" / page).is_file(), page


def test_no_facilitator_marker_in_any_site_file(built_site):
    leaks = []
    for file in site_files(built_site):
        text = file.read_bytes().decode("utf-8", errors="ignore")
        leaks += [f"{file.relative_to(built_site)}: {m.group(0)}" for m in FACILITATOR_PATTERN.finditer(text)]
    assert leaks == []


def test_participant_markers_reach_pages_and_search(built_site):
    site = built_site / "site"
    html = "".join(p.read_text() for p in (site / "modules" / "first-module").rglob("*.html"))
    index = (site / "search" / "search_index.json").read_text()
    for marker in PARTICIPANT:
        assert marker in html, marker
    assert "PARTBODY-5e5e" in index and "PARTS2-8b8b" in index


def test_search_index_and_sitemap_cover_module_pages(built_site):
    site = built_site / "site"
    locations = {doc["location"] for doc in json.loads((site / "search" / "search_index.json").read_text())["docs"]}
    assert "modules/first-module/session-1/" in locations
    assert "modules/first-module/session-1/" in (site / "sitemap.xml").read_text()


def test_worksheet_is_a_form_with_writing_space(built_site):
    page = (built_site / "site/modules/first-module/session-1/index.html").read_text()
    assert '<textarea class="pp-lines" name="ws-task-list-q1" rows="3"' in page
    assert 'type="checkbox" name="ws-task-list-q2-1"' in page
    assert "0:00–0:10" in page and "0:10–1:25" in page  # the agenda's cumulative clock


def test_no_request_can_leave_the_machine(built_site):
    # What a browser fetches by itself: src attributes, <link> other than canonical, CSS url()/@import.
    fetched = re.compile(r"""src=["']?(?:https?:)?//|<link\b(?![^>]*rel="canonical")[^>]*href="(?:https?:)?//"""
                         r"""|url\(["']?(?:https?:)?//|@import\s+["'](?:https?:)?//""")
    offenders = []
    for file in site_files(built_site):
        if file.suffix in (".html", ".css"):
            text = file.read_text(errors="ignore")
            offenders += [f"{file.name}: {m.group(0)}" for m in fetched.finditer(text)]
            if "fonts.googleapis" in text or "fonts.gstatic" in text:
                offenders.append(f"{file.name}: Google Fonts")
    assert offenders == []


def test_failed_build_leaves_previous_site_untouched(built_site, tmp_path):
    import shutil

    project = tmp_path / "copy"
    shutil.copytree(built_site, project)
    before = {p.relative_to(project): p.read_bytes() for p in site_files(project)}
    module_yml = project / "modules/first-module/module.yml"
    module_yml.write_text(module_yml.read_text().replace("summary:", "sumary:"))
    result = run_peerpress(project, "build", "--no-pdf", ci=True)
    assert result.returncode == 1
    assert ("modules/first-module/module.yml:3: unknown field 'sumary' in the module — did you mean "
            "'summary'?") in result.stderr
    assert ("::error file=modules/first-module/module.yml,line=3::unknown field 'sumary' in the module "
            "— did you mean 'summary'?") in result.stderr
    after = {p.relative_to(project): p.read_bytes() for p in site_files(project)}
    assert after == before


def test_markers_cover_every_facilitator_only_kind():
    kinds = " ".join(FACILITATOR.values())
    for kind in ("facilitator_notes", "desired_output", "facilitator.md", "answer_key", "inline",
                 "list item", "admonition", "table", "heading"):
        assert kind in kinds


def test_the_build_log_lists_no_page_as_missing_from_the_menu(copy_of_built):
    """Session clocks are opened from their session page: off the menu on purpose, and built all the same."""
    result = run_peerpress(copy_of_built, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert 'not included in the "nav"' not in result.stderr
    assert (copy_of_built / "site/modules/first-module/session-1-clock/index.html").is_file()
