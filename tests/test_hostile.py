"""Hostile or broken input: each case fails the build with its `path:line` message and leaves the
previous site byte for byte as it was, or (the last group) renders safely."""

import os
from pathlib import Path

import pytest

from conftest import run_peerpress, tree_digest

S1 = "modules/first-module/session-1.md"
MOD = "modules/first-module/module.yml"
WS = "modules/first-module/worksheets/task-list.yml"
ANCHOR = "## The framework"  # line 17 of session-1.md
ONLY = "use only the macros objectives(), agenda(), evaluation(), worksheet(), references() and {% facilitator %} blocks"


def page_payload(payload):
    return (S1, ANCHOR, f"{payload}\n\n{ANCHOR}")


CASES = {
    "lipsum globals": (*page_payload("{{ lipsum.__globals__['os'].popen('id').read() }}"),
                       f"{S1}:17: attribute and item access is not allowed in module pages — {ONLY}"),
    "config": (*page_payload("{{ config }}"), f"{S1}:17: the variable 'config' is not allowed in module pages"),
    "macros_info": (*page_payload("{{ macros_info() }}"), f"{S1}:17: unknown macro 'macros_info'"),
    "context": (*page_payload("{{ context() }}"), f"{S1}:17: unknown macro 'context'"),
    "cycler": (*page_payload("{{ cycler('a').next() }}"), f"{S1}:17: attribute and item access is not allowed"),
    "joiner": (*page_payload("{{ joiner() }}"), f"{S1}:17: unknown macro 'joiner'"),
    "namespace": (*page_payload("{{ namespace(a=1) }}"), f"{S1}:17: unknown macro 'namespace'"),
    "attr filter": (*page_payload("{{ objectives()|attr('__class__') }}"),
                    f"{S1}:17: the filter 'attr' is not allowed in module pages"),
    "dunder on a string": (*page_payload("{{ ''.__class__.__mro__ }}"),
                           f"{S1}:17: attribute and item access is not allowed"),
    "self": (*page_payload("{{ self }}"), f"{S1}:17: the variable 'self' is not allowed"),
    "include outside": (*page_payload("{% include '/etc/passwd' %}"), f"{S1}:17: '{{% include %}}' is not allowed"),
    "include project file": (*page_payload("{% include '../../mkdocs.yml' %}"),
                             f"{S1}:17: '{{% include %}}' is not allowed"),
    "import": (*page_payload("{% import 'x.html' as x %}"), f"{S1}:17: '{{% import %}}' is not allowed"),
    "set": (*page_payload("{% set x = 1 %}"), f"{S1}:17: '{{% assign %}}' is not allowed"),
    "huge loop": (*page_payload("{% for i in range(10**9) %}x{% endfor %}"), f"{S1}:17: '{{% for %}}' is not allowed"),
    "front matter": (S1, "PARTINTRO-4a4a", "---\nrender_macros: false\n---\nPARTINTRO-4a4a",
                     f"{S1}:1: front matter is not used in module pages"),
    "python tag in module": (MOD, "title: Handing", "title: !!python/object/apply:os.system [id]\nx: Handing",
                             f"{MOD}:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    "python name in worksheet": (WS, "title: Tasks", "title: !!python/name:os.system\nx: Tasks",
                                 f"{WS}:1: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"),
    "alias bomb": (WS, "title: Tasks to hand over",
                   "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b, *b]\ntitle: Tasks to hand over",
                   f"{WS}:2: YAML aliases (*a) are not supported"),
    "unclosed block": (S1, "{{ evaluation() }}", "{{ evaluation() }}\n\n{% facilitator %}\nx",
                       f"{S1}:50: facilitator block is never closed"),
    "nested block": (*page_payload("{% facilitator %}\n{% facilitator %}\nx\n{% endfacilitator %}"),
                     f"{S1}:18: facilitator block opened inside another one"),
    "stray end tag": (*page_payload("{% endfacilitator %}"), f"{S1}:17: {{% endfacilitator %}} without an opening tag"),
    "html comment": (*page_payload("<!-- note for the facilitator: answers are A and C -->"),
                     f"{S1}:17: an HTML comment is not allowed in module pages"),
    "display none": (*page_payload('<div style="display:none">answers</div>'),
                     f"{S1}:17: hiding text with 'style' on <div> is not allowed in module pages"),
    "search exclude": (*page_payload('<div data-search-exclude>answers</div>'),
                       f"{S1}:17: the attribute 'data-search-exclude' on <div> is not allowed in module pages"),
    "script tag": (*page_payload("<script>fetch('/x')</script>"), f"{S1}:17: the <script> element is not allowed in module pages — remove it: pages may not run scripts"),
    "image from /etc": (*page_payload("![x](file:///etc/passwd)"), f"{S1}:17: 'file:///etc/passwd' points outside"),
    "image traversal": (*page_payload("![x](../../../../etc/hostname)"),
                        f"{S1}:17: '../../../../etc/hostname' points outside the module"),
    "remote image": (*page_payload('<img src="https://example.org/pixel.png">'),
                     f"{S1}:17: 'https://example.org/pixel.png' points outside the module"),
    "svg image href": (*page_payload('<svg><image href="file:///etc/passwd"/></svg>'),
                       f"{S1}:17: the <svg> element is not allowed in module pages"),
    "css import": (*page_payload('<style>@import url("file:///etc/passwd");</style>'),
                   f"{S1}:17: the <style> element is not allowed in module pages"),
    "pdf attachment": (*page_payload('<link rel="attachment" href="secret.txt">'),
                       f"{S1}:17: a PDF attachment (rel=\"attachment\") is not allowed in module pages"),
    "javascript url": (MOD, "  - title: A Book About Delegating", "  - title: A Book About Delegating\n    url: javascript:alert(1)",
                       f"{MOD}:11: 'javascript:alert(1)' is not a web address"),
    "worksheet traversal": (*page_payload("{{ worksheet('../../../etc/passwd') }}"),
                            f"{S1}:17: unknown worksheet '../../../etc/passwd'"),
    "not_in_nav": ("mkdocs.yml", "strict: true", "strict: true\nnot_in_nav: modules/*/answers.md",
                   "mkdocs.yml:8: `not_in_nav` is not used in this project"),
    "css hides facilitator": ("docs/stylesheets/peerpress.css", "/* peerpress", ".facilitator { display: none }\n/* peerpress",
                              "docs/stylesheets/peerpress.css:1: a stylesheet hides facilitator material"),
}


def test_the_suite_is_large_enough():
    assert len(CASES) + 3 >= 30  # three more cases below: symlink out of the tree, escaping, kill -9


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_fails_cleanly(copy_of_built, name):
    rel, old, new, expected = CASES[name]
    file = copy_of_built / rel
    assert old in file.read_text()
    before = tree_digest(copy_of_built / "site")
    file.write_text(file.read_text().replace(old, new, 1))
    result = run_peerpress(copy_of_built, "build", "--no-pdf")
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert tree_digest(copy_of_built / "site") == before


def test_symlink_out_of_the_tree_is_refused(copy_of_built):
    before = tree_digest(copy_of_built / "site")
    link = copy_of_built / "modules/first-module/worksheets/stolen.yml"
    os.symlink("/etc/hostname", link)
    result = run_peerpress(copy_of_built, "build", "--no-pdf")
    assert result.returncode == 1
    assert "modules/first-module/worksheets/stolen.yml:1: is a link to a file outside the project" in result.stderr
    assert tree_digest(copy_of_built / "site") == before


def test_markup_in_yaml_reaches_html_as_text(copy_of_built):
    module = copy_of_built / MOD
    module.write_text(module.read_text().replace("title: Handing Work Over", 'title: "Handing <script>alert(1)</script> Over"'))
    sheet = copy_of_built / WS
    sheet.write_text(sheet.read_text().replace("prompt: PARTPROMPT-0d0d", "prompt: <img src=x onerror=alert(2)> PARTPROMPT-0d0d"))
    result = run_peerpress(copy_of_built, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    site = copy_of_built / "site"
    pages = "".join(p.read_text() for p in (site / "modules/first-module").rglob("*.html"))
    pages += (site / "topics/management/index.html").read_text()
    assert "<script>alert(1)" not in pages and "&lt;script&gt;alert(1)" in pages
    assert "<img src=x" not in pages and "&lt;img src=x onerror=alert(2)&gt;" in pages


def _children(pid):
    """Pids of the live processes whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be collected


def test_kill_during_build_leaves_nothing_running_and_nothing_behind(copy_of_built):
    import signal
    import subprocess
    import sys
    import time

    before = tree_digest(copy_of_built / "site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen([sys.executable, "-m", "peerpress", "build", "--root", str(copy_of_built)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    scratch = copy_of_built / ".peerpress-build"
    deadline = time.monotonic() + 30
    while not any(scratch.glob("run-*/site")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert any(scratch.glob("run-*/site")), "the build never reached the site step"
    workers = _children(process.pid)
    assert workers, "the build had started no render workers"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert tree_digest(copy_of_built / "site") == before
    assert not (copy_of_built / "build/facilitator").exists()  # the built fixture has no workbooks yet
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)], "render workers outlived their build"
    left = list(scratch.glob("run-*"))
    assert left, "the killed build left no scratch folder, so the sweep below proves nothing"

    result = run_peerpress(copy_of_built, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert "left by a build that is no longer running" in result.stderr
    assert not list(scratch.glob("run-*"))


def test_two_builds_of_one_tree_at_once_both_succeed(copy_of_built):
    import subprocess
    import sys

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "false"}
    command = [sys.executable, "-m", "peerpress", "build", "--no-pdf", "--root", str(copy_of_built)]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for process in (first, second):
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "no longer running" not in err  # neither swept the other's folder
    site = copy_of_built / "site"
    assert (site / "index.html").is_file() and (site / "modules/first-module/session-2/index.html").is_file()
    assert (site / "search/search_index.json").is_file()
    assert not list((copy_of_built / ".peerpress-build").glob("run-*"))


@pytest.mark.parametrize("payload, expected", [
    ("\n".join("    " * level + f"- level {level}" for level in range(300)),
     f"{S1}:61: nested 11 levels deep; the limit is 10 — flatten the list or split it into sections"),
    ("word " * 120_000, f"{S1}:1: the page is 600 KB; the limit is 500 KB"),
])
def test_pathological_pages_are_refused_before_rendering(copy_of_built, payload, expected):
    page = copy_of_built / S1
    page.write_text(page.read_text() + "\n" + payload + "\n")
    result = run_peerpress(copy_of_built, "build", "--no-pdf")
    assert result.returncode == 1
    assert "1 problem in the module sources" in result.stderr and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_workbook_past_its_time_limit_fails_the_build_cleanly(copy_of_built):
    rows = "\n".join(f"| row {i} | b | c |" for i in range(3000))
    page = copy_of_built / "modules/first-module/session-2.md"
    page.write_text(page.read_text() + "\n\n| x | y | z |\n|---|---|---|\n" + rows + "\n")
    before = tree_digest(copy_of_built / "site")
    env = {**os.environ, "PEERPRESS_RENDER_SECONDS": "1"}
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "peerpress", "build", "--root", str(copy_of_built)],
                            capture_output=True, text=True, cwd=copy_of_built,
                            env={**env, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1
    assert "rendering took longer than 1 s; look for a huge table or deeply nested lists" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(copy_of_built / "site") == before


def test_braces_in_a_raw_block_render_literally(copy_of_built):
    page = copy_of_built / S1
    page.write_text(page.read_text().replace(ANCHOR, "{% raw %}\n```\nHello {{ name }}\n```\n{% endraw %}\n\n" + ANCHOR))
    result = run_peerpress(copy_of_built, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    html = (copy_of_built / "site/modules/first-module/session-1/index.html").read_text()
    assert "Hello {{ name }}" in html


def test_an_undefined_macro_in_a_program_page_fails_the_build(copy_of_built):
    before = tree_digest(copy_of_built / "site")
    page = copy_of_built / "docs/keys-to-success.md"
    page.write_text(page.read_text() + "\n{{ no_such_macro() }}\n")
    result = run_peerpress(copy_of_built, "build", "--no-pdf")
    assert result.returncode == 1
    assert "docs/keys-to-success.md:" in result.stderr and "unknown macro 'no_such_macro'" in result.stderr
    assert tree_digest(copy_of_built / "site") == before
