"""The live preview rebuilds only what a save changed, and every page the save affects is fresh.

How fast is measured by scripts/bench.py, never here; these tests check what the browser shows.
"""

import contextlib
import json
import os
import subprocess
import sys
import urllib.request

from conftest import fetch_until, free_port

MODULE = "modules/first-module"


@contextlib.contextmanager
def preview(project):
    """`peerpress serve` on the project, as `make serve` runs it; yields the site's address."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    serve = subprocess.Popen([sys.executable, "-m", "peerpress", "serve", "--port", str(port), "--root", str(project)],
                             cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        serve.terminate()
        serve.wait(timeout=30)


def append(project, rel: str, text: str) -> None:
    file = project / rel
    file.write_text(file.read_text() + text)


def replace(project, rel: str, old: str, new: str) -> None:
    file = project / rel
    assert old in file.read_text()
    file.write_text(file.read_text().replace(old, new))


def sidebar(page: str) -> str:
    """The site navigation of a served page (Material's primary sidebar), without the page's own text."""
    return page.split("md-nav--primary", 1)[1].split("md-sidebar--secondary", 1)[0]


def footer(page: str) -> str:
    return page.split('<footer class="md-footer">', 1)[1].split("</nav>", 1)[0]


def search_entries(site: str) -> list[dict]:
    with urllib.request.urlopen(site + "search/search_index.json", timeout=5) as response:
        return json.loads(response.read())["docs"]


def test_edits_show_and_search_keeps_the_pages_not_rebuilt(project):
    with preview(project) as site:
        fetch_until(site + f"{MODULE}/session-1/", "PARTINTRO-4a4a")
        append(project, f"{MODULE}/session-1.md", "\nSCALEEDIT-0a0a A sentence an author just wrote.\n")
        session = fetch_until(site + f"{MODULE}/session-1/", "SCALEEDIT-0a0a")
        # The footer names the pages before and after, which this rebuild did not render.
        assert "Handing Work Over" in footer(session) and "None" not in footer(session)
        append(project, "docs/index.md", "\nSCALEHOME-0b0b A program page changes too.\n")
        fetch_until(site, "SCALEHOME-0b0b")
        fetch_until(site + "search/search_index.json", "SCALEHOME-0b0b")
        entries = search_entries(site)
        # Each rebuild renders a page or two; the index still holds every page's sections, each once.
        text = {page: " ".join(e["text"] for e in entries if e["location"].split("#")[0] == page)
                for page in ("", f"{MODULE}/session-1/", f"{MODULE}/session-2/")}
        assert "SCALEHOME-0b0b" in text[""]
        assert "SCALEEDIT-0a0a" in text[f"{MODULE}/session-1/"]
        assert "PARTS2-8b8b" in text[f"{MODULE}/session-2/"]
        locations = [e["location"] for e in entries]
        assert sorted({x for x in locations if locations.count(x) > 1}) == []


def test_a_title_edit_reaches_every_page_that_shows_the_title(project):
    with preview(project) as site:
        fetch_until(site + f"{MODULE}/session-2/", "PARTS2-8b8b")
        replace(project, f"{MODULE}/module.yml", "title: Handing Work Over", "title: Handing Work Back")
        fetch_until(site + f"{MODULE}/", "Handing Work Back")
        # Another page of the module: its navigation names the module.
        session = fetch_until(site + f"{MODULE}/session-2/", "Handing Work Back")
        assert "Handing Work Back" in sidebar(session) and "Handing Work Over" not in sidebar(session)
        # The home page's source did not change, but its topic menu lists the module by title.
        home = fetch_until(site, "Handing Work Back")
        assert "Handing Work Over" not in home
        # Only a module's own pages list it in the sidebar: each added module costs every other page nothing.
        assert "Handing Work Back" not in sidebar(home)
