"""A group's print run: personalised copies of both editions, the schedule, and nothing leaked."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

from conftest import tree_digest
from markers import FACILITATOR_PATTERN
from peerpress.audit import pdf_text

GROUPS = Path(__file__).parent / "fixtures" / "print-run" / "groups.yml"
NAMES = {"m1": "Ada PRG-NAME-01", "m2": "Ben PRG-NAME-02", "m3": "Cy PRG-NAME-03"}


def print_run(project: Path, groups: Path = GROUPS, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "peerpress", "--root", str(project), "print-run", str(groups), *extra],
                          capture_output=True, text=True, cwd=project)


@pytest.fixture(scope="module")
def printed(built_workbooks, tmp_path_factory) -> Path:
    """The built fixture (its workbook cache warm) after one print run of the fixture groups file."""
    project = tmp_path_factory.mktemp("print-run") / "project"
    shutil.copytree(built_workbooks, project, symlinks=True)
    result = print_run(project)
    assert result.returncode == 0, result.stderr
    return project


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def test_every_member_and_both_facilitators_get_their_copy(printed):
    folder = printed / "build/print/lab-group"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "first-module/m1-facilitator.pdf", "first-module/m1-participant.pdf", "first-module/m2-facilitator.pdf",
        "first-module/m2-participant.pdf", "first-module/m3-participant.pdf", "schedule.ics", "schedule.pdf"]
    assert (printed / "build/print/other-group/first-module/p2-facilitator.pdf").is_file()


def test_covers_carry_the_members_names_as_printed_text(printed):
    for member, name in NAMES.items():
        cover = page_texts(printed / f"build/print/lab-group/first-module/{member}-participant.pdf")[0]
        for value in (name, "Lab group PRG-GROUP-51", "Room PRG-ROOM-52", "Tuesday 12 January 2027, 14:00",
                      "Tuesday 2 February 2027, 09:30", "Ada PRG-NAME-01", "Ben PRG-NAME-02"):
            assert value in cover, (member, value)
        others = set(NAMES.values()) - {name, NAMES["m1"], NAMES["m2"]}  # facilitators are named on every cover
        assert not any(other in cover for other in others)
        whole = "\n".join(page_texts(printed / f"build/print/lab-group/first-module/{member}-participant.pdf"))
        assert whole.count(name) >= 3  # cover, agreement, the note for their manager
        assert "Team building" in whole


def test_the_values_stay_in_the_fields_read_only(printed):
    reader = PdfReader(printed / "build/print/lab-group/first-module/m3-participant.pdf")
    fields = reader.get_fields()
    assert fields["member-name"]["/V"] == "Cy PRG-NAME-03"
    assert fields["agreement-name"]["/V"] == "Cy PRG-NAME-03"
    assert int(fields["member-name"]["/Ff"]) & 1  # read-only
    assert fields["practice-what"].get("/V") in (None, "")  # the member's own fields stay blank and writable
    assert not int(fields["practice-what"].get("/Ff", 0)) & 1


def test_each_facilitator_copy_marks_its_owners_session(printed):
    pages = page_texts(printed / "build/print/lab-group/first-module/m2-facilitator.pdf")
    assert "Ben PRG-NAME-02 (you)" in pages[0] and "Ada PRG-NAME-01 (you)" not in pages[0]
    own = [i for i, text in enumerate(pages) if "You, Tuesday 2 February 2027, 09:30: this is your session" in text]
    other = [i for i, text in enumerate(pages) if "Ada PRG-NAME-01, Tuesday 12 January 2027, 14:00" in text]
    assert len(own) == 1 and len(other) == 1 and other[0] < own[0]
    assert "Run sheet: session 2" in pages[own[0]] and "Run sheet: session 1" in pages[other[0]]
    first = page_texts(printed / "build/print/lab-group/first-module/m1-facilitator.pdf")
    assert "Ada PRG-NAME-01 (you)" in first[0]
    assert any("You, Tuesday 12 January 2027, 14:00: this is your session" in text for text in first)


def test_no_participant_copy_holds_facilitator_only_text(printed):
    copies = sorted((printed / "build/print").rglob("*.pdf"))
    participant = [p for p in copies if p.name.endswith("-participant.pdf")]
    facilitator = [p for p in copies if p.name.endswith("-facilitator.pdf")]
    assert len(participant) == 5 and len(facilitator) == 4
    assert {p.name: FACILITATOR_PATTERN.findall(pdf_text(p)) for p in participant} == {p.name: [] for p in participant}
    # The same search finds the planted markers where they belong.
    assert all(FACILITATOR_PATTERN.search(pdf_text(p)) for p in facilitator)


def test_the_schedule_page_and_calendar(printed):
    schedule = page_texts(printed / "build/print/lab-group/schedule.pdf")
    assert len(schedule) == 1
    for value in ("Lab group PRG-GROUP-51", "Room PRG-ROOM-52", "Team building", "Tuesday 12 January 2027, 14:00",
                  "Tuesday 2 February 2027, 09:30", "Ada PRG-NAME-01", "Ben PRG-NAME-02", "Cy PRG-NAME-03, Legal"):
        assert value in schedule[0], value
    calendar = icalendar.Calendar.from_ical((printed / "build/print/lab-group/schedule.ics").read_bytes())
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert [(e.decoded("DTSTART"), e.decoded("DTEND"), str(e["LOCATION"])) for e in events] == [
        (datetime.datetime(2027, 1, 12, 14, 0), datetime.datetime(2027, 1, 12, 15, 30), "Room PRG-ROOM-52"),
        (datetime.datetime(2027, 2, 2, 9, 30), datetime.datetime(2027, 2, 2, 11, 0), "Room PRG-ROOM-52")]
    assert "Ben PRG-NAME-02" in str(events[1]["DESCRIPTION"])


def test_personal_data_stays_in_build_print(printed):
    names = [*NAMES.values(), "PRG-GROUP-51", "PRG-ROOM-52"]
    elsewhere = [p for p in printed.rglob("*") if p.is_file() and "build/print" not in p.as_posix()
                 and any(n.encode() in p.read_bytes() for n in names)]
    assert elsewhere == []
    cached = [p for p in (printed / ".peerpress-build").rglob("*") if p.is_file()]
    assert cached and not any(b"PRG-NAME" in pdf_text(p).encode() for p in cached if p.suffix == ".pdf")


def test_one_group_only(printed, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(printed, project, symlinks=True)
    shutil.rmtree(project / "build/print")
    result = print_run(project, GROUPS, "--group", "other-group")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (project / "build/print").iterdir()) == ["other-group"]
    unknown = print_run(project, GROUPS, "--group", "other-grup")
    assert unknown.returncode == 1
    assert "no group with id 'other-grup' — did you mean 'other-group'?" in unknown.stderr


def test_a_broken_groups_file_leaves_the_previous_print_run_untouched(printed, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(printed, project, symlinks=True)
    before = tree_digest(project / "build/print")
    broken = tmp_path / "groups.yml"
    broken.write_text(GROUPS.read_text().replace("facilitator: m2}", "facilitator: m1}")
                      .replace("department: Legal", "department: Claims"))
    result = print_run(project, broken)
    assert result.returncode == 1
    assert f"{broken}:10: " in result.stderr and f"{broken}:15: " in result.stderr  # both problems at once
    assert "3 problems in the groups file:" in result.stderr
    assert "print run refused, build/print/ left as it was" in result.stderr
    assert tree_digest(project / "build/print") == before


def test_copies_are_stamped_from_one_render(printed):
    """Personalising adds a page overlay to the same workbook: copies differ from it only on their pages."""
    a = PdfReader(io.BytesIO((printed / "build/print/lab-group/first-module/m1-participant.pdf").read_bytes()))
    b = PdfReader(io.BytesIO((printed / "build/print/lab-group/first-module/m3-participant.pdf").read_bytes()))
    assert len(a.pages) == len(b.pages)
    same = [i for i in range(len(a.pages)) if a.pages[i].extract_text() == b.pages[i].extract_text()]
    assert 0 not in same and len(same) >= len(a.pages) - 4  # cover, agreement, manager note differ


def test_a_returned_copy_says_whose_it_is(printed):
    from peerpress import identity
    from peerpress.load import load_catalog
    from peerpress.model import Edition

    version = identity.form_version(load_catalog(printed))
    folder = printed / "build/print/lab-group/first-module"
    assert identity.read(folder / "m3-participant.pdf") == identity.Identity(
        "first-module", Edition.PARTICIPANT, version, "lab-group", "m3")
    assert identity.read(folder / "m2-facilitator.pdf") == identity.Identity(
        "first-module", Edition.FACILITATOR, version, "lab-group", "m2")
    generic = printed / "site/workbooks/first-module-participant.pdf"
    assert identity.read(generic) == identity.Identity("first-module", Edition.PARTICIPANT, version)


@pytest.mark.parametrize("name", ["first-module/m3-participant.pdf", "first-module/m2-facilitator.pdf",
                                  "schedule.pdf"])
def test_print_run_files_pass_the_pdf_ua_checks(printed, name):
    """Stamping values onto a copy keeps it tagged, and the schedule's table says which cells head it."""
    pdfua = Path(sys.executable).parent / "pdfua"
    result = subprocess.run([str(pdfua), "check", str(printed / "build/print/lab-group" / name)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "result: PASS (no findings)" in result.stdout, result.stdout


def test_workbooks_of_different_page_sizes_are_not_personalised_together():
    import weasyprint

    from peerpress.personalise import Copy, personalise

    def page(size: str) -> bytes:
        html = f'<style>@page {{ size: {size} }}</style><input type="text" name="member-name">'
        return weasyprint.HTML(string=html).write_pdf(pdf_forms=True)

    with pytest.raises(ValueError, match="^the workbooks have different page sizes .*: print them in separate runs$"):
        personalise([(page("A4"), [Copy({"member-name": "Ada"})]), (page("letter"), [Copy({"member-name": "Ben"})])])
