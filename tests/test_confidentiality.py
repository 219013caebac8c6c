"""Hostile HTML and the ways facilitator material could reach participants, one class at a time.

Each refused case asserts its `path:line` message and that the previous site is byte for byte as
it was; each case that builds asserts that nothing facilitator-only or active is under `site/`.
"""

import shutil
from pathlib import Path

import pytest

from conftest import run_peerpress, tree_digest

S1 = "modules/first-module/session-1.md"
S2 = "modules/first-module/session-2.md"
MOD = "modules/first-module/module.yml"
WS = "modules/first-module/worksheets/task-list.yml"
ANCHOR = "## The framework"  # line 17 of session-1.md
NOT_ALLOWED = "is not allowed in module pages"


def at17(payload):
    return (S1, ANCHOR, f"{payload}\n\n{ANCHOR}")


HOSTILE_HTML = {
    "multi-line javascript link": (*at17('See <a\nhref="javascript&#58;alert(2)">here</a>.'),
                                   f"{S1}:18: the link 'javascript:alert(2)' {NOT_ALLOWED}"),
    "multi-line event handler": (*at17('and <span\nonmouseover="alert(1)">hover</span>.'),
                                 f"{S1}:18: the event handler 'onmouseover' on <span> {NOT_ALLOWED}"),
    "hex-encoded scheme": (*at17('<a href="&#x6A;avascript:alert(1)">x</a>'),
                           f"{S1}:17: the link 'javascript:alert(1)' {NOT_ALLOWED}"),
    "named-entity colon": (*at17('<a href="javascript&colon;alert(1)">x</a>'),
                           f"{S1}:17: the link 'javascript:alert(1)' {NOT_ALLOWED}"),
    "mixed-case scheme in Markdown": (*at17("[x](JaVaScRiPt:alert(1))"),
                                      f"{S1}:17: the link 'JaVaScRiPt:alert(1)' {NOT_ALLOWED}"),
    "data URL link": (*at17("[x](data:text/html;base64,PHNjcmlwdD4=)"),
                      f"{S1}:17: the link 'data:text/html;base64,PHNjcmlwdD4=' {NOT_ALLOWED}"),
    "vbscript URL": (*at17('<a href="vbscript:msgbox(1)">v</a>'), f"{S1}:17: the link 'vbscript:msgbox(1)'"),
    "svg event handler": (*at17('<svg><circle r="4" onload="alert(1)"/></svg>'),
                          f"{S1}:17: the <svg> element {NOT_ALLOWED}"),
    "mathml link": (*at17('<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
                    f"{S1}:17: the <math> element {NOT_ALLOWED}"),
    "meta refresh": (*at17('<meta http-equiv="refresh" content="0;url=https://example.org">'),
                     f"{S1}:17: the <meta> element {NOT_ALLOWED}"),
    "base": (*at17('<base href="https://example.org/">'), f"{S1}:17: the <base> element {NOT_ALLOWED}"),
    "form action": (*at17('<form action="https://example.org/"><button>Send</button></form>'),
                    f"{S1}:17: the <form> element {NOT_ALLOWED} — form fields come from the worksheet()"),
    "iframe srcdoc": (*at17('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'),
                      f"{S1}:17: the <iframe> element {NOT_ALLOWED} — remove it: pages may not run scripts"),
    "object": (*at17('<object data="movie.swf"></object>'), f"{S1}:17: the <object> element {NOT_ALLOWED}"),
    "embed": (*at17('<embed src="movie.swf">'), f"{S1}:17: the <embed> element {NOT_ALLOWED}"),
    "style with url()": (*at17('<p style="background: url(https://example.org/x.png)">t</p>'),
                         f"{S1}:17: the attribute 'style' on <p> {NOT_ALLOWED}"),
    "comment smuggling text": (*at17("Text <!-- the answers are A and C --> more."),
                               f"{S1}:17: an HTML comment {NOT_ALLOWED}"),
    "attribute list handler": (*at17('A paragraph.\n{: onclick="alert(1)" }'),
                               f"{S1}:18: the event handler 'onclick' on <p> {NOT_ALLOWED}"),
    "image onerror": (*at17('<img src="x.png" onerror="alert(1)">'),
                      f"{S1}:17: the event handler 'onerror' on <img> {NOT_ALLOWED}"),
    "details ontoggle": (*at17('<details open ontoggle="alert(1)"><summary>s</summary>x</details>'),
                         f"{S1}:17: the event handler 'ontoggle' on <details> {NOT_ALLOWED}"),
    "stylesheet link": (*at17('<link rel="stylesheet" href="https://example.org/a.css">'),
                        f"{S1}:17: the <link> element {NOT_ALLOWED}"),
    "text input": (*at17('<input type="text" name="x">'), f"{S1}:17: the attribute 'name' on <input> {NOT_ALLOWED}"),
    "encoded tab inside scheme": (*at17('<a href="java&#9;script:alert(1)">x</a>'), f"{S1}:17: the link 'java"),
    "image from another site": (*at17("![x](https://example.org/pixel.png)"),
                                f"{S1}:17: 'https://example.org/pixel.png' points outside the module {NOT_ALLOWED}"),
}

CONFIDENTIALITY = {
    # 1. attachments through links, in module pages and shared pages
    "attachment link to a worksheet": (*at17('<a rel="attachment" href="worksheets/task-list.yml">keys</a>'),
                                       f"{S1}:17: a PDF attachment (rel=\"attachment\") {NOT_ALLOWED}"),
    "attachment among other rel values": (S2, "{{ worksheet('review') }}",
                                          '<a href="module.yml" rel="nofollow attachment">x</a>\n\n'
                                          "{{ worksheet('review') }}", f"{S2}:42: a PDF attachment"),
    # 2. shared pages go through the same checks
    "attachment link in the agreement": ("modules/agreement.md", "1. What", '<a href="../catalog.yml" '
                                         'rel="attachment">all</a>\n\n1. What',
                                         "modules/agreement.md:1: a PDF attachment (rel=\"attachment\") is not"),
    "script in the facilitator guide": ("modules/facilitator-guide.md", "GUIDEMARKER-a1b2",
                                        "<script>alert(1)</script> GUIDEMARKER-a1b2",
                                        "modules/facilitator-guide.md:"),
    "unclosed block in the agreement": ("modules/agreement.md", "1. What", "{% facilitator %}\n1. What",
                                        "modules/agreement.md:1: facilitator block is never closed"),
    # 3. facilitator tags in YAML text
    "tags in a summary": (MOD, "Participants explore", "Participants {% facilitator %}the answer is three"
                          "{% endfacilitator %} explore", f"{MOD}:3: facilitator tags do not work in YAML text"),
    "tags in a worksheet prompt": (WS, "prompt: PARTPROMPT-0d0d List", 'prompt: "{%facilitator%}x{%endfacilitator%}" '
                                   '# List', f"{WS}:5: facilitator tags do not work in YAML text"),
    "look-alike tag in an objective": (MOD, "      - PARTOBJ-1c1c", "      - ｛% facilitator %｝ PARTOBJ-1c1c",
                                       f"{MOD}:16: facilitator tags do not work in YAML text"),
    "Markdown link in YAML text": (MOD, "    note: PARTREFNOTE-55aa a note on the book.",
                                   "    note: '[x](javascript:alert(1))'",
                                   f"{MOD}:12: the link 'javascript:alert(1)' is not allowed in YAML text"),
    "attribute list in YAML text": (WS, "instructions: PARTINSTR-9c9c Work alone for ten minutes.",
                                    "instructions: |\n  PARTINSTR-9c9c Work alone.\n  {: hidden }",
                                    f"{WS}:3: hiding text with 'hidden' on <p> is not allowed in YAML text"),
    # 4. every anchor and alias
    "scalar alias of a note into a title": (MOD, "close: FACCLOSE-6d6d thank everyone and move on.\n"
                                            "      - title: Stories and framework",
                                            "close: &n FACCLOSE-6d6d thank everyone and move on.\n"
                                            "      - title: *n", f"{MOD}:31: YAML aliases (*n) are not supported"),
    "anchor alone": (WS, "title: Tasks to hand over", "title: &t Tasks to hand over",
                     f"{WS}:1: YAML anchors (&t) are not supported"),
    # 6. SVG files
    "svg with a script": ("modules/first-module/chart.svg", None,
                          '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>',
                          "modules/first-module/chart.svg:2: the <script> element is not allowed in an SVG"),
    "svg with a handler in docs": ("docs/images/map.svg", None,
                                   '<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x"/></svg>',
                                   "docs/images/map.svg:1: the event handler 'onclick' is not allowed in an SVG"),
    "svg loading another file": ("modules/first-module/logo.svg", None,
                                 '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
                                 '\n<image x:href="../../mkdocs.yml"/></svg>',
                                 "modules/first-module/logo.svg:2: a link or reference to '../../mkdocs.yml'"),
    # 7. program pages are templated in the sandbox too
    "lipsum globals in a program page": ("docs/keys-to-success.md", None,
                                         "# Keys\n\n{{ lipsum.__globals__['os'].popen('id').read() }}\n",
                                         "docs/keys-to-success.md:3: attribute and item access is not allowed in "
                                         "program pages"),
    "include in a program page": ("docs/keys-to-success.md", None, "# Keys\n\n{% include 'mkdocs.yml' %}\n",
                                  "docs/keys-to-success.md:3: '{% include %}' is not allowed in program pages"),
    "config in a program page": ("docs/keys-to-success.md", None, "# Keys\n\n{{ config.site_name }}\n",
                                 "docs/keys-to-success.md:3: attribute and item access is not allowed"),
    # 8. hiding syntax in its variants
    "facilitator admonition": (*at17('!!! facilitator "For the facilitator"\n    the answer is three'),
                               f"{S1}:17: the class 'admonition facilitator' on <div> {NOT_ALLOWED}"),
    "collapsed facilitator admonition": (*at17('??? facilitator "Answers"\n    the answer is three'),
                                         f"{S1}:17: the class 'facilitator' on <details> {NOT_ALLOWED}"),
    "hidden through an attribute list": (*at17("The answer is three.\n{: hidden }"),
                                         f"{S1}:18: hiding text with 'hidden' on <p> {NOT_ALLOWED}"),
    "font-size zero through an attribute list": (*at17('The answer.\n{: style="font-size:0" }'),
                                                 f"{S1}:18: hiding text with 'style' on <p> {NOT_ALLOWED}"),
    "hidden on the next line": (*at17("<div\n  hidden>the answer</div>"),
                                f"{S1}:18: hiding text with 'hidden' on <div> {NOT_ALLOWED}"),
    # 9. look-alike tags
    "full-width braces": (*at17("｛% facilitator %｝the answer｛% endfacilitator %｝"),
                          f"{S1}:17: this looks like a facilitator tag but is not one"),
    "spaced tag": (*at17("{ % facilitator % }\nthe answer\n{ % endfacilitator % }"),
                   f"{S1}:17: this looks like a facilitator tag but is not one"),
    "entity-encoded brace": (*at17("&#123;% facilitator %} the answer"),
                             f"{S1}:17: this looks like a facilitator tag but is not one"),
}


def _apply(project: Path, rel, old, new):
    file = project / rel
    if old is None:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(new)
        return
    assert old in file.read_text(), old
    file.write_text(file.read_text().replace(old, new, 1))


def test_the_hostile_html_suite_is_large_enough():
    assert len(HOSTILE_HTML) >= 20


@pytest.mark.parametrize("name", [*HOSTILE_HTML, *CONFIDENTIALITY])
def test_refused_with_its_line_and_the_site_untouched(copy_of_built, name):
    rel, old, new, expected = {**HOSTILE_HTML, **CONFIDENTIALITY}[name]
    before = tree_digest(copy_of_built / "site")
    _apply(copy_of_built, rel, old, new)
    result = run_peerpress(copy_of_built, "build", "--no-pdf")
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(copy_of_built / "site") == before


def _site_text(project: Path) -> str:
    return "\n".join(p.read_text(errors="ignore") for p in (project / "site").rglob("*") if p.is_file()
                     and p.suffix in (".html", ".json", ".xml", ".js", ".svg", ".txt"))


def test_blocks_in_shared_and_program_pages_never_reach_participants(copy_of_built):
    from peerpress.load import load_catalog
    from peerpress.model import Edition
    from peerpress.print_html import workbook_html

    _apply(copy_of_built, "modules/agreement.md", "1. What",
           "{% facilitator %}\nAGREEFAC-1a2b watch who hesitates to sign.\n{% endfacilitator %}\n\n1. What")
    _apply(copy_of_built, "docs/keys-to-success.md", None,
           "# Keys\n\nOpen text.\n\n{% facilitator %}\nDOCSFAC-3c4d only for facilitators.\n{% endfacilitator %}\n")
    result = run_peerpress(copy_of_built, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    site = _site_text(copy_of_built)
    assert "DOCSFAC" not in site and "Open text." in site
    catalog = load_catalog(copy_of_built)
    module = catalog.module("first-module")
    assert "AGREEFAC-1a2b" not in workbook_html(catalog, module, Edition.PARTICIPANT)
    assert "AGREEFAC-1a2b" in workbook_html(catalog, module, Edition.FACILITATOR)


@pytest.mark.parametrize("where", ["facilitator.md", "a facilitator block", "no page"])
def test_an_image_is_published_only_when_a_participant_page_shows_it(copy_of_built, where):
    (copy_of_built / "modules/first-module/secret-chart.png").write_bytes(b"\x89PNG\r\n\x1a\nSECRETPIC")
    (copy_of_built / "modules/first-module/shown.png").write_bytes(b"\x89PNG\r\n\x1a\nSHOWN")
    _apply(copy_of_built, S1, ANCHOR, f"![Shown](shown.png)\n\n{ANCHOR}")
    if where == "facilitator.md":
        _apply(copy_of_built, "modules/first-module/facilitator.md", "FACMD-6666", "![Key](secret-chart.png) FACMD-6666")
    elif where == "a facilitator block":
        _apply(copy_of_built, S1, "FACBLOCK-1111", "![Key](secret-chart.png)\n\nFACBLOCK-1111")
    result = run_peerpress(copy_of_built, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    published = {p.name for p in (copy_of_built / "site").rglob("*.png")}
    assert "shown.png" in published and "secret-chart.png" not in published


def test_the_audit_reads_annotations_and_unreferenced_files(tmp_path, built_site):
    """The last line of defence, given outputs the build itself would never make."""
    import weasyprint

    from peerpress.audit import audit_outputs
    from peerpress.load import load_catalog

    catalog = load_catalog(built_site)
    site = tmp_path / "site"
    shutil.copytree(built_site / "site", site)
    secret = tmp_path / "notes.txt"
    secret.write_text("FACMD-6666 planted in an attached file")
    pdf = weasyprint.HTML(string=f'<p>Hello <a rel="attachment" href="{secret.as_uri()}">notes</a></p>').write_pdf()
    (site / "workbooks").mkdir(exist_ok=True)
    (site / "workbooks/extra.pdf").write_bytes(pdf)
    (site / "modules/first-module/orphan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    leaks = [str(leak) for leak in audit_outputs(catalog, site)]
    assert any(leak.startswith("workbooks/extra.pdf: \"FACMD-6666") for leak in leaks), leaks
    assert any(leak.startswith("workbooks/extra.pdf: \"an embedded file: notes.txt") for leak in leaks), leaks
    assert any(leak.startswith("modules/first-module/orphan.png: \"a file no participant page shows") for leak in leaks)


def test_a_whole_facilitator_value_is_a_leak_even_where_participant_text_repeats_it(tmp_path, built_site):
    from peerpress.audit import audit_outputs
    from peerpress.load import load_catalog

    project = tmp_path / "project"
    shutil.copytree(built_site, project)
    # The same words as a participant objective and as a facilitator note: runs alone would pass it.
    _apply(project, MOD, "open: FACNOTES-7d41 read the agreement aloud before anyone speaks.",
           "open: name three tasks to hand over to a colleague today")
    _apply(project, MOD, "      - PARTOBJ-1c1c name three tasks to hand over",
           "      - PARTOBJ-1c1c name three tasks to hand over\n      - name three tasks to hand over to a colleague today")
    catalog = load_catalog(project)
    page = project / "site/modules/first-module/session-1/index.html"
    page.write_text(page.read_text() + "<p>name three tasks to hand over to a colleague today</p>")
    leaks = [str(leak) for leak in audit_outputs(catalog, project / "site")]
    assert any("name three tasks to hand over to a colleague today" in leak for leak in leaks), leaks


def test_a_file_found_clean_is_searched_again_once_the_facilitator_text_changes(tmp_path, built_site):
    """The audit remembers files it found clean; the memory holds only for the same facilitator text."""
    from peerpress.audit import audit_outputs
    from peerpress.load import load_catalog

    project = tmp_path / "project"
    shutil.copytree(built_site, project)
    site, remembered = project / "site", tmp_path / "audit-text"
    planted = "Chairs go in a horseshoe facing the window before anyone arrives."
    (site / "handout.txt").write_text(f"Room notes. {planted}")
    assert audit_outputs(load_catalog(project), site, remembered) == []
    session = project / S1
    session.write_text(session.read_text().replace("PARTINTRO-4a4a", "PARTINTRO-4a4a Welcome back.", 1))
    assert audit_outputs(load_catalog(project), site, remembered) == []  # participant text only: still clean
    guide = project / "modules/first-module/facilitator.md"
    guide.write_text(guide.read_text() + f"\n\n{planted}\n")
    leaks = [str(leak) for leak in audit_outputs(load_catalog(project), site, remembered)]
    assert leaks == ['handout.txt: "chairs go in a horseshoe facing the window before anyone arrives" '
                     "(from modules/first-module/facilitator.md)"]


def test_a_damaged_clean_record_means_every_file_is_searched_again(tmp_path, built_site):
    import json

    from peerpress.audit import audit_outputs
    from peerpress.load import load_catalog

    catalog, remembered = load_catalog(built_site), tmp_path / "audit-text"
    site = tmp_path / "site"
    shutil.copytree(built_site / "site", site)
    assert audit_outputs(catalog, site, remembered) == []
    record = json.loads((remembered / "clean.json").read_text())
    (remembered / "clean.json").write_text(json.dumps({**record, "clean": 5}))
    (site / "handout.txt").write_text("FACBLOCK-1111 arrange the chairs in a circle before people arrive.")
    assert [leak.file for leak in audit_outputs(catalog, site, remembered)] == ["handout.txt", "handout.txt"]
