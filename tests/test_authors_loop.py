"""What a content author meets while writing: messages that never mislead, a preview that shows them."""

import os
import subprocess
import sys

import pytest
from test_load_errors import MODULE, edit, problems_of

from conftest import REPO, fetch_until, free_port

SESSION_1 = f"{MODULE}/session-1.md"


@pytest.mark.parametrize("rel, old, new, expected", [
    (f"{MODULE}/module.yml", "title: Handing Work Over", "title: “Handing Work Over”",
     f"{MODULE}/module.yml:1: the value is wrapped in curly quotes (“ ”), which would be printed as part of the "
     'text — write title: "Handing Work Over" with straight quotes, or no quotes'),
    (f"{MODULE}/module.yml", "title: Handing Work Over", "title: “Handing: Work Over”",
     f"{MODULE}/module.yml:1: YAML syntax error: mapping values are not allowed in this context — curly quotes "
     'are not quotes here: write title: "Handing: Work Over" with straight quotes'),
    (SESSION_1, "{{ worksheet('task-list') }}", "{{ worksheet(‘task-list’) }}",
     f"{SESSION_1}:40:14: template syntax error: unexpected char '‘' — curly quotes are not quotes here: "
     "write {{ worksheet('task-list') }} with straight quotes"),
    (SESSION_1, "{{ agenda() }}", "{{ agenda( }}",
     f"{SESSION_1}:9:1: template syntax error: unexpected '}}', expected ')' — check the brackets and quotes "
     "of the call: {{ name() }} or {{ name('value') }}"),
    (SESSION_1, "## The framework", "# The framework",
     f"{SESSION_1}:17: a # heading is above this page's sections — the page's title is printed above it: "
     "start its headings at ##"),
    (SESSION_1, "## The framework", "#### The framework",
     f"{SESSION_1}:17: the heading jumps from ## to #### — use ### here: headings go down one level at a time"),
    (SESSION_1, "## The framework", "## The framework\n\n| | Level |\n|---|---|\n| **One** | look into it |",
     f"{SESSION_1}:19: column 1 of this table has no heading — name every column in the table's first row, "
     "e.g. | Situation | What to say |"),
    (f"{MODULE}/session-2.md", "{{ evaluation() }}", "{{ references() }}\n\n{{ evaluation() }}",
     f"{MODULE}/session-2.md:44: references() is already placed at {SESSION_1}:44 — the reading list is printed "
     "once per module: keep one of the two"),
    ("modules/agreement.md", "1. What", "## Our rules\n\n1. What",
     "modules/agreement.md:1: a ## heading is above this page's sections — the page's title is printed above "
     "it: start its headings at ###"),
])
def test_author_mistakes_get_messages_that_fit(project, rel, old, new, expected):
    edit(project, rel, old, new)
    assert problems_of(project) == [expected]


def test_a_fenced_code_block_is_not_a_heading(project):
    edit(project, SESSION_1, "## The framework", "```text\n# not a heading\n```\n\n## The framework")
    from peerpress.load import load_catalog

    load_catalog(project)


def test_the_preview_shows_problems_in_the_browser_and_recovers(project):
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    edit(project, SESSION_1, "{{ agenda() }}", "{{ agneda() }}")  # broken before the preview starts
    serve = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                             cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    home = f"http://127.0.0.1:{port}/"
    try:
        page = fetch_until(home, "problem in the sources")
        assert f"{SESSION_1}:9: unknown macro 'agneda' — did you mean agenda()?" in page
        edit(project, SESSION_1, "{{ agneda() }}", "{{ agenda() }}")
        session = fetch_until(home + "modules/first-module/session-1/", "PARTINTRO-4a4a")
        assert "problem in the sources" not in session
        assert "The preview does not build workbooks" in session
        edit(project, SESSION_1, "{{ agenda() }}", "{{ agneda() }}")  # broken again: the last good pages stay
        stale = fetch_until(home + "modules/first-module/session-1/", "last version that loaded")
        assert "PARTINTRO-4a4a" in stale and "unknown macro 'agneda'" in stale
    finally:
        serve.terminate()
        serve.wait(timeout=30)


def test_make_serve_takes_a_port():
    dry = subprocess.run(["make", "-n", "serve", "PORT=8123"], cwd=REPO, capture_output=True, text=True)
    assert "peerpress serve --port 8123" in dry.stdout  # the command itself is served on its port in test_preview
