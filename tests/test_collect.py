"""Returned workbooks back into program data: identity stamps, collect into SQLite, the report page.

Real workbooks from the shared fixture build are stamped and filled with pypdf as a PDF viewer would, then
collected; every figure in the database, the CSV and the report is asserted exactly.
"""

import csv
import dataclasses
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from peerpress.collect import collect
from peerpress.identity import Identity, form_version, read, stamp
from peerpress.load import load_catalog
from peerpress.model import Edition
from peerpress.report import write_report

PARTICIPANT = "site/workbooks/first-module-participant.pdf"
FACILITATOR = "build/facilitator/first-module-facilitator.pdf"
# Radio buttons are chosen by their appearance state: /0 is a scale's first point.
NOT_USEFUL, SOMEWHAT, VERY, TICK = "/0", "/1", "/2", "/on"


def fill(pdf: bytes, values: dict[str, str]) -> bytes:
    """The PDF with form fields set as a viewer saves them."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def copy(blank: bytes, version: str, group=None, member=None, edition=Edition.PARTICIPANT) -> bytes:
    return stamp(blank, Identity("first-module", edition, version, group, member))


@pytest.fixture(scope="module")
def returned(built_workbooks, tmp_path_factory):
    """A folder of returned files, in the order they arrived, collected once into a database."""
    catalog = load_catalog(built_workbooks)
    version = form_version(catalog)
    part, fac = (built_workbooks / PARTICIPANT).read_bytes(), (built_workbooks / FACILITATOR).read_bytes()
    first = fill(copy(part, version, "north", "m1"), {
        "eval-s1-q1": VERY, "eval-s1-q2-2": TICK, "eval-s1-q3": "Ask for the handover list",
        "eval-s2-q1": VERY, "eval-s2-q2": "Weekly check-ins",
        "practice-what": "Ask Sam in payroll to cover Fridays"})  # the member's own notes stay theirs
    generic_b = fill(copy(part, version), {"eval-s2-q1": VERY, "eval-s2-q2": "Keep the rota"})
    locked = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(first)))
    locked.encrypt(user_password="secret", owner_password="secret")
    foreign = pypdf.PdfWriter()
    foreign.add_blank_page(200, 200)
    foreign.add_metadata({"/Title": "Team minutes"})
    files = [
        ("north/m1.pdf", first),
        ("north/m2.pdf", fill(copy(part, version, "north", "m2"), {
            "eval-s1-q1": SOMEWHAT, "eval-s1-q2-1": TICK, "eval-s1-q2-2": TICK, "eval-s1-q3": "Write it down"})),
        ("north/m3.pdf", fill(copy(part, version, "north", "m3"), {"eval-s1-q1": NOT_USEFUL})),
        ("north/m4.pdf", fill(copy(part, version, "north", "m4"), {"eval-s1-q1": VERY, "eval-s1-q2-1": TICK})),
        ("north/m5.pdf", fill(copy(part, version, "north", "m5"), {
            "eval-s1-q1": NOT_USEFUL, "eval-s1-q3": "Leave it as it was"})),
        ("north/m6.pdf", copy(part, version, "north", "m6")),  # returned without an answer
        ("generic/a.pdf", fill(copy(part, version), {"eval-s1-q1": SOMEWHAT, "eval-s1-q2-2": TICK})),
        ("generic/b.pdf", generic_b),
        ("north/m5 corrected.pdf", fill(copy(part, version, "north", "m5"), {
            "eval-s1-q1": VERY, "eval-s1-q3": "Delegate earlier"})),
        ("again/b.pdf", generic_b),  # the same file sent twice
        ("north/m7.pdf", fill(copy(part, "0123456789ab", "north", "m7"), {"eval-s1-q1": VERY})),
        ("north/m8.pdf", _bytes(locked)),
        ("north/m9.pdf", first[: len(first) // 2]),  # cut short in transfer
        ("minutes.pdf", _bytes(foreign)),
        ("notes.txt", b"Bring biscuits on the 12th.\n"),
        ("records/north.pdf", fill(copy(fac, version, "north", edition=Edition.FACILITATOR), {
            "record-s1-date": "2027-01-12", "record-s1-members": "6", "record-s1-present": "5",
            "record-s1-minutes": "90", "record-s1-ideas": "A handover checklist",
            "record-s2-date": "9 February 2027", "record-s2-members": "6", "record-s2-present": "4",
            "record-s2-minutes": "85",
            "eval-s1-q1": NOT_USEFUL})),  # a facilitator's own tick is not a member's evaluation
        ("records/south.pdf", fill(copy(fac, version, "south", edition=Edition.FACILITATOR), {
            "record-s1-date": "2027-01-14", "record-s1-members": "6", "record-s1-present": "6"})),
        ("records/east.pdf", fill(copy(fac, version, edition=Edition.FACILITATOR), {
            "group-name": "East", "record-s1-date": "next Tuesday", "record-s1-members": "5",
            "record-s1-present": "three"})),
    ]
    folder = tmp_path_factory.mktemp("returned") / "evals"
    for index, (name, data) in enumerate(files):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, (1_800_000_000 + index, 1_800_000_000 + index))  # the order they arrived in
    program = folder.parent / "program"
    result = collect(folder, program / "program.db", catalog)
    page = write_report(program / "program.db", program, catalog)
    return catalog, folder, program, result, page


def _bytes(writer: pypdf.PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def dump(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as db:
        return list(db.iterdump())


def test_identity_survives_stamping_and_keeps_the_workbook_metadata(built_workbooks):
    blank = (built_workbooks / PARTICIPANT).read_bytes()
    identity = Identity("first-module", Edition.PARTICIPANT, "abcdef012345", "north", "m1")
    stamped = stamp(blank, identity)
    assert read(stamped) == identity
    assert read(stamp(stamped, dataclasses.replace(identity, group=None, member=None))) == Identity(
        "first-module", Edition.PARTICIPANT, "abcdef012345")
    # The build stamps every workbook it renders with its generic identity.
    assert read(blank) == Identity("first-module", Edition.PARTICIPANT, form_version(load_catalog(built_workbooks)))
    import pikepdf

    with pikepdf.open(io.BytesIO(stamped)) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Handing Work Over: Participant workbook"
        assert str(pdf.Root.Lang) == "en"
        assert pdf.open_metadata()["{urn:x-peerpress:workbook:1/}member"] == "m1"


def test_a_stamped_workbook_still_passes_the_pdf_ua_checks(built_workbooks, tmp_path):
    stamped = tmp_path / "stamped.pdf"
    stamped.write_bytes(stamp((built_workbooks / FACILITATOR).read_bytes(),
                              Identity("first-module", Edition.FACILITATOR, "abcdef012345", "north")))
    result = subprocess.run([str(Path(sys.executable).parent / "pdfua"), "check", str(stamped)],
                            capture_output=True, text=True)
    assert "result: PASS (no findings)" in result.stdout, result.stdout + result.stderr


def test_the_form_version_follows_the_questions_not_their_wording_around(built_workbooks):
    catalog = load_catalog(built_workbooks)
    first = catalog.evaluation(1)
    retitled = dataclasses.replace(first, title="Another title", instructions="Other instructions")
    scale = dataclasses.replace(first.questions[0], options=("No", "Somewhat", "Very"))
    reworded = dataclasses.replace(first, questions=(scale, *first.questions[1:]))
    assert form_version(dataclasses.replace(catalog, evaluations=(retitled, catalog.evaluation(2)))) == \
        form_version(catalog)
    assert form_version(dataclasses.replace(catalog, evaluations=(reworded, catalog.evaluation(2)))) != \
        form_version(catalog)
    assert re.fullmatch(r"[0-9a-f]{12}", form_version(catalog))


def test_a_scale_reads_the_same_whichever_way_a_viewer_records_the_choice(built_workbooks):
    import pikepdf

    from peerpress.collect import form_values

    def choose(value: str | None, shown: str) -> dict[str, str]:
        with pikepdf.open(built_workbooks / PARTICIPANT) as pdf:
            group = next(f for f in pdf.Root.AcroForm.Fields if str(f.get("/T")) == "eval-s1-q1" and "/Kids" in f)
            if value:  # the group holds the value, as the PDF standard has it
                group.V = pikepdf.Name(value)
            for kid in group.Kids:  # the button shown as chosen
                kid.AS = pikepdf.Name(shown if shown in kid.AP.N.keys() else "/Off")
            out = io.BytesIO()
            pdf.save(out)
        return {name: value for name, value in form_values(pypdf.PdfReader(out)).items() if name.startswith("eval")}

    assert choose("/2", "/2") == {"eval-s1-q1": "3"}
    assert choose(None, "/1") == {"eval-s1-q1": "2"}  # only the button's appearance was changed
    assert choose("/0", "/Off") == {"eval-s1-q1": "1"}  # only the value: appearances left to the viewer


def test_collect_refuses_each_bad_file_in_one_line_and_keeps_the_rest(returned):
    catalog, _, _, result, _ = returned
    version = form_version(catalog)
    assert [str(r) for r in result.refused] == [
        "minutes.pdf: is a PDF but not a peerpress workbook (it carries no workbook identity) — only the workbook PDFs peerpress made can be collected: ask the sender to fill in the evaluation in their workbook",
        "north/m6.pdf: has an empty evaluation form (no answers) — ask the member to fill in the evaluation and send the file again",
        f"north/m7.pdf: was printed with form version 0123456789ab, but the current catalog's forms are version {version}: its evaluation questions or fields have changed since — collect it with the catalog version it was printed with",
        "north/m8.pdf: is protected with a password — ask the sender to save it again without a password",
        "north/m9.pdf: is a damaged PDF that cannot be read — ask the sender for the file again",
        "notes.txt: is not a PDF — only returned workbook PDFs can be collected: move this file out of the folder",
    ]
    assert result.notes == (
        "records/east.pdf: the session 1 date 'next Tuesday' is not a date — write it as 2027-01-12 and send the file again",
        "records/east.pdf: session 1 'three' is not a whole number (present) — write digits only and send the file again",
    )
    assert (result.new, result.replaced, result.unchanged) == (10, 1, 1)
    assert not result.ok
    assert result.lines()[-1] == "collected 10 new, 1 corrected, 1 already collected, 6 refused"


def test_the_database_holds_each_copy_once_with_its_latest_answers(returned):
    _, _, program, _, _ = returned
    with sqlite3.connect(program / "program.db") as db:
        files = db.execute("SELECT path, current, edition, group_id, member_id FROM returned_file "
                           "ORDER BY path").fetchall()
        answers = db.execute("SELECT f.path, a.field, a.session, a.question, a.value FROM answers a "
                             "JOIN returned_file f USING (sha256) ORDER BY f.path, a.field").fetchall()
        records = db.execute("SELECT group_label, session, date, members, present, minutes FROM records "
                             "ORDER BY group_label, session").fetchall()
    assert files == [
        ("generic/a.pdf", 1, "participant", None, None),
        ("generic/b.pdf", 1, "participant", None, None),
        ("north/m1.pdf", 1, "participant", "north", "m1"),
        ("north/m2.pdf", 1, "participant", "north", "m2"),
        ("north/m3.pdf", 1, "participant", "north", "m3"),
        ("north/m4.pdf", 1, "participant", "north", "m4"),
        ("north/m5 corrected.pdf", 1, "participant", "north", "m5"),
        ("north/m5.pdf", 0, "participant", "north", "m5"),
        ("records/east.pdf", 1, "facilitator", None, None),
        ("records/north.pdf", 1, "facilitator", "north", None),
        ("records/south.pdf", 1, "facilitator", "south", None),
    ]
    assert answers == [
        ("generic/a.pdf", "eval-s1-q1", 1, 1, "2"),
        ("generic/a.pdf", "eval-s1-q2-2", 1, 2, "on"),
        ("generic/b.pdf", "eval-s2-q1", 2, 1, "3"),
        ("generic/b.pdf", "eval-s2-q2", 2, 2, "Keep the rota"),
        ("north/m1.pdf", "eval-s1-q1", 1, 1, "3"),
        ("north/m1.pdf", "eval-s1-q2-2", 1, 2, "on"),
        ("north/m1.pdf", "eval-s1-q3", 1, 3, "Ask for the handover list"),
        ("north/m1.pdf", "eval-s2-q1", 2, 1, "3"),
        ("north/m1.pdf", "eval-s2-q2", 2, 2, "Weekly check-ins"),
        ("north/m2.pdf", "eval-s1-q1", 1, 1, "2"),
        ("north/m2.pdf", "eval-s1-q2-1", 1, 2, "on"),
        ("north/m2.pdf", "eval-s1-q2-2", 1, 2, "on"),
        ("north/m2.pdf", "eval-s1-q3", 1, 3, "Write it down"),
        ("north/m3.pdf", "eval-s1-q1", 1, 1, "1"),
        ("north/m4.pdf", "eval-s1-q1", 1, 1, "3"),
        ("north/m4.pdf", "eval-s1-q2-1", 1, 2, "on"),
        ("north/m5 corrected.pdf", "eval-s1-q1", 1, 1, "3"),
        ("north/m5 corrected.pdf", "eval-s1-q3", 1, 3, "Delegate earlier"),
        ("records/east.pdf", "record-s1-date", 1, None, "next Tuesday"),
        ("records/east.pdf", "record-s1-members", 1, None, "5"),
        ("records/east.pdf", "record-s1-present", 1, None, "three"),
        ("records/north.pdf", "record-s1-date", 1, None, "2027-01-12"),
        ("records/north.pdf", "record-s1-ideas", 1, None, "A handover checklist"),
        ("records/north.pdf", "record-s1-members", 1, None, "6"),
        ("records/north.pdf", "record-s1-minutes", 1, None, "90"),
        ("records/north.pdf", "record-s1-present", 1, None, "5"),
        ("records/north.pdf", "record-s2-date", 2, None, "9 February 2027"),
        ("records/north.pdf", "record-s2-members", 2, None, "6"),
        ("records/north.pdf", "record-s2-minutes", 2, None, "85"),
        ("records/north.pdf", "record-s2-present", 2, None, "4"),
        ("records/south.pdf", "record-s1-date", 1, None, "2027-01-14"),
        ("records/south.pdf", "record-s1-members", 1, None, "6"),
        ("records/south.pdf", "record-s1-present", 1, None, "6"),
    ]
    assert not any("Sam in payroll" in line for line in dump(program / "program.db"))
    assert records == [
        ("East", 1, None, 5, None, None),
        ("north", 1, "2027-01-12", 6, 5, 90),
        ("north", 2, "2027-02-09", 6, 4, 85),
        ("south", 1, "2027-01-14", 6, 6, None),
    ]


def test_the_csv_export_names_no_member(returned):
    _, _, program, _, _ = returned
    rows = list(csv.reader((program / "answers.csv").open(encoding="utf-8")))
    assert rows[0] == ["response", "module", "edition", "group", "session", "question", "field", "prompt",
                       "value", "answer"]
    participant = [row for row in rows[1:] if row[2] == "participant"]
    assert participant == [
        ["4", "first-module", "participant", "", "1", "1", "eval-s1-q1", "How useful was the session?", "3", "Very"],
        ["4", "first-module", "participant", "", "1", "2", "eval-s1-q2-2", "Which of these describe the session?: I felt safe", "on", "ticked"],
        ["4", "first-module", "participant", "", "1", "3", "eval-s1-q3", "What will you do differently?", "Ask for the handover list", "Ask for the handover list"],
        ["4", "first-module", "participant", "", "2", "1", "eval-s2-q1", "How useful was the module?", "3", "Very"],
        ["4", "first-module", "participant", "", "2", "2", "eval-s2-q2", "What will you keep doing?", "Weekly check-ins", "Weekly check-ins"],
        ["5", "first-module", "participant", "", "1", "1", "eval-s1-q1", "How useful was the session?", "2", "Somewhat"],
        ["5", "first-module", "participant", "", "1", "2", "eval-s1-q2-1", "Which of these describe the session?: We kept to time", "on", "ticked"],
        ["5", "first-module", "participant", "", "1", "2", "eval-s1-q2-2", "Which of these describe the session?: I felt safe", "on", "ticked"],
        ["5", "first-module", "participant", "", "1", "3", "eval-s1-q3", "What will you do differently?", "Write it down", "Write it down"],
        ["6", "first-module", "participant", "", "1", "1", "eval-s1-q1", "How useful was the session?", "1", "Not useful"],
        ["7", "first-module", "participant", "", "1", "1", "eval-s1-q1", "How useful was the session?", "3", "Very"],
        ["7", "first-module", "participant", "", "1", "2", "eval-s1-q2-1", "Which of these describe the session?: We kept to time", "on", "ticked"],
        ["8", "first-module", "participant", "", "1", "1", "eval-s1-q1", "How useful was the session?", "2", "Somewhat"],
        ["8", "first-module", "participant", "", "1", "2", "eval-s1-q2-2", "Which of these describe the session?: I felt safe", "on", "ticked"],
        ["9", "first-module", "participant", "", "2", "1", "eval-s2-q1", "How useful was the module?", "3", "Very"],
        ["9", "first-module", "participant", "", "2", "2", "eval-s2-q2", "What will you keep doing?", "Keep the rota", "Keep the rota"],
        ["10", "first-module", "participant", "", "1", "1", "eval-s1-q1", "How useful was the session?", "3", "Very"],
        ["10", "first-module", "participant", "", "1", "3", "eval-s1-q3", "What will you do differently?", "Delegate earlier", "Delegate earlier"],
    ]
    assert len(rows) == 1 + len(participant) + 15  # and the session records' fields
    assert ["1", "first-module", "facilitator", "north", "1", "", "record-s1-present", "Members present", "5", "5"] in rows
    assert not any(member in (program / "answers.csv").read_text() for member in ("m1", "m5"))


def test_the_report_shows_exact_figures_and_hides_small_groups(returned):
    _, _, program, _, page = returned
    html = page.read_text(encoding="utf-8")
    assert page == program / "report.html"
    assert "<td>2.3 of 3 (6 answered)</td>" in html  # (3 + 2 + 1 + 3 + 3 + 2) / 6, the corrected m5 counted
    assert "<td>50%</td>" in html  # felt safe: m1, m2 and generic a of six
    assert html.count("fewer than 3 responses: only the count is shown") == 1  # session 2's usefulness
    assert html.count("not asked in this session&#39;s form") == 1  # felt safe: session 2 has no checklist
    assert "<h4>Session 1 (Exploration): 6 responses</h4>" in html
    assert "<h4>Session 2 (Reflection): 2 responses</h4>" in html
    answers = re.findall(r"<li>(.*?)</li>", html)
    assert answers == ["Ask for the handover list", "Delegate earlier", "Write it down"]
    for hidden in ("Weekly check-ins", "Keep the rota", "Leave it as it was", "north/m", ">m1<"):
        assert hidden not in html
    rows = list(csv.reader((program / "usefulness.csv").open(encoding="utf-8")))
    assert rows == [
        ["Module", "Session", "Responses", "Usefulness (mean score)", "Note"],
        ["Handing Work Over", "Session 1 (Exploration)", "6", "2.3 of 3 (6 answered)", ""],
        ["Handing Work Over", "Session 2 (Reflection)", "2", "", "fewer than 3 responses: only the count is shown"],
    ]
    assert list(csv.reader((program / "responses.csv").open(encoding="utf-8"))) == [
        ["Module", "Session", "Responses"],
        ["Handing Work Over", "Session 1 (Exploration)", "6"],
        ["Handing Work Over", "Session 2 (Reflection)", "2"],
    ]
    assert list(csv.reader((program / "attendance.csv").open(encoding="utf-8"))) == [
        ["Group", "Module", "Session", "Date", "Members present", "Group size", "Minutes"],
        ["East", "Handing Work Over", "Session 1 (Exploration)", "not given", "", "5", ""],
        ["north", "Handing Work Over", "Session 1 (Exploration)", "2027-01-12", "5", "6", "90"],
        ["north", "Handing Work Over", "Session 2 (Reflection)", "2027-02-09", "4", "6", "85"],
        ["south", "Handing Work Over", "Session 1 (Exploration)", "2027-01-14", "6", "6", ""],
    ]
    assert sorted(p.name for p in program.glob("*.csv")) == [
        "answers.csv", "attendance.csv", "equal-voice.csv", "felt-safe.csv", "learned-from-member.csv",
        "responses.csv", "usefulness.csv"]


def test_the_report_is_one_self_contained_accessible_page(returned):
    html = returned[4].read_text(encoding="utf-8")
    assert "http" not in html and "src=" not in html and "<script" not in html and "@import" not in html
    assert set(re.findall(r"url\((.)", html)) == {"#"}  # only the page's own clip paths and patterns
    assert set(re.findall(r'href="(?!#)([^"]*)"', html)) <= {f"{name}.csv" for name in (
        "responses", "usefulness", "equal-voice", "felt-safe", "learned-from-member", "attendance")}
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    charts = re.findall(r'<svg viewBox="[^"]+" role="img" aria-labelledby="([\w-]+)-title \1-desc">'
                        r'<title id="\1-title">', html)
    assert charts == ["responses", "usefulness", "felt-safe", "attendance"]  # the others were not asked
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert "<th scope=\"col\">" in html and "<th>" not in html


def test_collecting_again_changes_nothing(returned, tmp_path):
    catalog, folder, program, _, _ = returned
    db = tmp_path / "program.db"
    shutil.copy(program / "program.db", db)
    shutil.copy(program / "answers.csv", tmp_path / "answers.csv")
    before = dump(db)
    result = collect(folder, db, catalog)
    assert (result.new, result.replaced, result.unchanged, len(result.refused)) == (0, 0, 12, 6)
    assert result.notes == ()
    assert dump(db) == before
    assert (tmp_path / "answers.csv").read_bytes() == (program / "answers.csv").read_bytes()


def test_a_correction_sent_later_replaces_the_copy_it_corrects(returned, built_workbooks, tmp_path):
    catalog, folder, program, _, _ = returned
    db = tmp_path / "program.db"
    shutil.copy(program / "program.db", db)
    later = tmp_path / "later"
    later.mkdir()
    blank = (built_workbooks / PARTICIPANT).read_bytes()
    (later / "m2 again.pdf").write_bytes(fill(copy(blank, form_version(catalog), "north", "m2"),
                                              {"eval-s1-q1": NOT_USEFUL}))
    result = collect(later, db, catalog)
    assert (result.new, result.replaced, result.unchanged, result.refused) == (0, 1, 0, ())
    with sqlite3.connect(db) as connection:
        assert connection.execute(
            "SELECT a.field, a.value FROM answers a JOIN returned_file f USING (sha256) "
            "WHERE f.member_id = 'm2' AND f.current = 1").fetchall() == [("eval-s1-q1", "1")]
        assert connection.execute("SELECT count(*) FROM answers a JOIN returned_file f USING (sha256) "
                                  "WHERE f.member_id = 'm2'").fetchone() == (1,)


def test_make_collect_then_report_in_a_browser(returned, built_workbooks, tmp_path):
    """The commands a program manager runs, and the page they open from disk: no request leaves it, axe finds nothing."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright
    from test_browser import ARGS, CHROMIUM

    from conftest import REPO

    _, folder, _, _, _ = returned
    project = tmp_path / "project"
    shutil.copytree(built_workbooks, project, symlinks=True)

    def peerpress(*args):
        return subprocess.run([sys.executable, "-m", "peerpress", "--root", str(project), *args],
                              capture_output=True, text=True)

    collected = peerpress("collect", str(folder))
    assert collected.returncode == 1  # files were refused; the rest were collected
    assert "collect: minutes.pdf: " in collected.stderr and "collect: notes.txt: " in collected.stderr
    assert "collect: collected 10 new, 1 corrected, 1 already collected, 6 refused" in collected.stderr
    again = peerpress("collect", str(folder))
    assert "collected 0 new, 0 corrected, 12 already collected, 6 refused" in again.stderr
    reported = peerpress("report")
    assert reported.returncode == 0, reported.stderr
    report = project / "build/program/report.html"
    assert not [p for p in (project / "site").rglob("*") if p.suffix in (".db", ".csv")]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        violations = [f"{v['id']} ({v['impact']})" for v in Axe().run(page).response["violations"]]
        shots = REPO / "build" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "program-report.png"), full_page=True)
        browser.close()
    assert [url for url in requests if url != report.as_uri() and not url.startswith("data:")] == []
    assert violations == []


def test_each_facilitator_returns_the_record_of_the_session_they_ran(built_workbooks, tmp_path):
    """Two facilitators' copies are two copies: neither replaces the other. A session both recorded is
    counted once, from the later file, and collect says so."""
    catalog = load_catalog(built_workbooks)
    version = form_version(catalog)
    fac = (built_workbooks / FACILITATOR).read_bytes()
    ran_first = {"record-s1-date": "2027-03-02", "record-s1-members": "5", "record-s1-present": "5",
                 "record-s1-minutes": "90"}
    ran_second = {"record-s2-date": "2027-03-23", "record-s2-members": "5", "record-s2-present": "4",
                  "record-s2-minutes": "88"}
    folder = tmp_path / "evals"
    folder.mkdir()
    files = [("west-m1.pdf", fill(copy(fac, version, "west", "m1", Edition.FACILITATOR), ran_first)),
             ("west-m2.pdf", fill(copy(fac, version, "west", "m2", Edition.FACILITATOR), ran_second)),
             ("east-m4.pdf", fill(copy(fac, version, "east", "m4", Edition.FACILITATOR), ran_first)),
             ("east-m5.pdf", fill(copy(fac, version, "east", "m5", Edition.FACILITATOR),
                                  {**ran_first, **ran_second, "record-s1-present": "3"}))]
    for index, (name, data) in enumerate(files):
        (folder / name).write_bytes(data)
        os.utime(folder / name, (1_800_000_000 + index, 1_800_000_000 + index))
    program = tmp_path / "program"
    result = collect(folder, program / "program.db", catalog)
    assert (result.new, result.replaced, result.refused) == (4, 0, ())
    assert result.notes == ("east-m5.pdf: session 1 of first-module for group east is also recorded in east-m4.pdf; "
                            "the report counts east-m5.pdf, the later file — if that is wrong, send the right "
                            "record again",)
    write_report(program / "program.db", program, catalog)
    assert list(csv.reader((program / "attendance.csv").open(encoding="utf-8")))[1:] == [
        ["east", "Handing Work Over", "Session 1 (Exploration)", "2027-03-02", "3", "5", "90"],
        ["east", "Handing Work Over", "Session 2 (Reflection)", "2027-03-23", "4", "5", "88"],
        ["west", "Handing Work Over", "Session 1 (Exploration)", "2027-03-02", "5", "5", "90"],
        ["west", "Handing Work Over", "Session 2 (Reflection)", "2027-03-23", "4", "5", "88"],
    ]


def test_a_report_figure_follows_its_tag_not_the_words_of_its_question(built_workbooks):
    from peerpress.measures import BY_ID, locate

    first = load_catalog(built_workbooks).evaluation(1)
    assert locate(BY_ID["usefulness"], first) == ("eval-s1-q1", 3)
    assert locate(BY_ID["felt-safe"], first) == ("eval-s1-q2-2", 1)
    assert locate(BY_ID["equal-voice"], first) is None  # the fixture's forms do not ask it
    question = first.questions[0]
    reworded = dataclasses.replace(question, prompt="How was today, for your own work?")
    untagged = dataclasses.replace(question, measure=None)
    assert locate(BY_ID["usefulness"], dataclasses.replace(first, questions=(reworded, *first.questions[1:]))) == \
        ("eval-s1-q1", 3)
    assert locate(BY_ID["usefulness"], dataclasses.replace(first, questions=(untagged, *first.questions[1:]))) is None
