"""The groups file: one fixture per rule with its exact messages, and the group's calendar parsed back."""

import datetime
from pathlib import Path

import icalendar
import pytest

from conftest import REPO
from peerpress.groups import Group, load_groups, select_group
from peerpress.ics import fold, schedule_ics
from peerpress.load import load_catalog
from peerpress.problems import SourceError
from peerpress.yaml_source import load_yaml

FIXTURES = Path(__file__).parent / "fixtures" / "groups"
EXAMPLE = REPO / "program" / "groups.example.yml"
STAMP = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(REPO)


def problems_of(name: str, catalog) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_groups(FIXTURES / name, catalog, f"groups/{name}")
    return [str(p) for p in caught.value.problems]


def test_the_example_loads_cleanly_against_the_real_catalog(catalog):
    north, riverside = load_groups(EXAMPLE, catalog, "program/groups.example.yml")
    assert (north.id, north.name, north.location, north.outcome) == (
        "north-2027", "North site managers", "Building 2, room 4.12", "Management development")
    assert [m.id for m in north.members] == ["m1", "m2", "m3", "m4", "m5", "m6"]
    assert len({m.department for m in north.members}) == 6
    assert [m.slug for m in north.modules] == ["coaching-employees-for-success", "delegating-effectively",
                                               "running-one-to-one-meetings"]
    assert [s.facilitator for m in north.modules for s in m.sessions] == ["m1", "m2", "m3", "m4", "m5", "m6"]
    first = north.modules[0].sessions[0]
    assert (first.number, first.date, first.time) == (1, datetime.date(2027, 1, 12), datetime.time(14, 0))
    assert north.member("m4").name == "Devon Specimen"
    assert (riverside.id, len(riverside.members), riverside.outcome) == (
        "riverside-2027", 3, "Supervisory development")


def test_unquoted_dates_and_times_are_read_as_written(catalog):
    (group,) = load_groups(FIXTURES / "valid.yml", catalog)
    delegating = group.modules[1].sessions
    assert [(s.date, s.time) for s in delegating] == [(datetime.date(2027, 3, 2), datetime.time(14, 0)),
                                                      (datetime.date(2027, 3, 23), datetime.time(9, 30))]


def test_module_files_still_refuse_yaml_timestamps(tmp_path):
    # Keeping dates as text is the groups file's choice; other files keep their plain-tags-only rule.
    file = tmp_path / "module.yml"
    file.write_text("title: x\ndate: 2027-01-12\n")
    doc, problems = load_yaml(file, "module.yml")
    assert [str(p) for p in problems] == ["module.yml:2: YAML tag 'tag:yaml.org,2002:timestamp' is not allowed "
                                          "— use plain text, numbers, lists and mappings only"]


@pytest.mark.parametrize("name, expected", [
    ("unknown-field.yml", [
        "groups/unknown-field.yml:4: unknown field 'nmae' in group 'north-2027' — did you mean 'name'?"]),
    ("missing-field.yml", [
        "groups/missing-field.yml:10: a member is missing 'department' — write the member's department; members "
        "of a group come from different departments"]),
    ("wrong-types.yml", [
        "groups/wrong-types.yml:5: 'location' in group 'north-2027' should be text, not a list — write the room "
        "where the group meets, e.g. Building 2, room 4.12",
        "groups/wrong-types.yml:9: a member should be a mapping of fields — write it as `field: value` lines "
        "(id, name, department)",
        "groups/wrong-types.yml:14: 'facilitator' in a session should be text, not a list — write the id of the "
        "member who facilitates this session",
        "groups/wrong-types.yml:15: unknown member 'm2' — use one of the member ids: m1, m3",
        "groups/wrong-types.yml:18: a session should be a mapping of fields — write it as `field: value` lines "
        "(date, time, facilitator)"]),
    ("empty.yml", [
        "groups/empty.yml:2: no groups are listed — add a group under `groups:`, as in program/groups.example.yml"]),
    ("group-id.yml", [
        "groups/group-id.yml:3: group id 'North 2027' is not valid — use lowercase letters, digits and single "
        "hyphens, e.g. north-2027 (it names the group's output folder)"]),
    ("group-id-twice.yml", [
        "groups/group-id-twice.yml:20: group id 'north-2027' is used twice — give each group its own id"]),
    ("member-id.yml", [
        "groups/member-id.yml:10: member id 'M3' is not valid — use lowercase letters, digits and single hyphens, "
        "e.g. m1 (it names the member's workbook files)"]),
    ("member-id-twice.yml", [
        "groups/member-id-twice.yml:10: member id 'm2' is used twice in group 'north-2027' — give each member "
        "their own id"]),
    ("too-few-members.yml", [
        "groups/too-few-members.yml:7: group 'north-2027' has 1 member; a group has 2 to 6 — add members: each "
        "session needs a facilitator and peers",
        "groups/too-few-members.yml:13: both sessions of 'coaching-employees-for-success' are facilitated by "
        "'m1' — give session 2 to another member: each session is led by a different peer"]),
    ("too-many-members.yml", [
        "groups/too-many-members.yml:7: group 'north-2027' has 7 members; a group has 2 to 6 — split the group "
        "in two, or move members to another group"]),
    ("same-department.yml", [
        "groups/same-department.yml:10: 'm3' and 'm1' are both from claims — peers in a group come from "
        "different departments: move one of them to another group"]),
    ("unknown-outcome.yml", [
        "groups/unknown-outcome.yml:6: unknown outcome 'Management development' — did you mean "
        "'management-development'?"]),
    ("unknown-module.yml", [
        "groups/unknown-module.yml:12: unknown module 'coaching-employes-for-success' — did you mean "
        "'coaching-employees-for-success'?"]),
    ("module-twice.yml", [
        "groups/module-twice.yml:16: module 'coaching-employees-for-success' is listed twice in group "
        "'north-2027' — a group takes each module once: remove one of them"]),
    ("no-modules.yml", [
        "groups/no-modules.yml:11: group 'north-2027' takes no modules — list at least one module with its two "
        "sessions"]),
    ("unknown-member.yml", [
        "groups/unknown-member.yml:18: unknown member 'Casey Placeholder' — write the member's id, 'm3', not "
        "their name",
        "groups/unknown-member.yml:19: unknown member 'm4' — use one of the member ids: m1, m2, m3"]),
    ("session-count.yml", [
        "groups/session-count.yml:13: 'coaching-employees-for-success' has 3 sessions; a module runs in exactly "
        "two — list session 1 (exploration), then session 2 (reflection)"]),
    ("dates.yml", [
        "groups/dates.yml:14: date '12/01/2027' is not written as YYYY-MM-DD — write it as year-month-day, "
        "e.g. 2027-01-12",
        "groups/dates.yml:19: date '2027-02-30' does not exist — check the day and the month"]),
    ("times.yml", [
        "groups/times.yml:14: time '2pm' is not a 24-hour time — write it as hours:minutes, e.g. \"14:00\" or "
        "\"09:30\"",
        "groups/times.yml:19: time '24:00' is not a 24-hour time — write it as hours:minutes, e.g. \"14:00\" or "
        "\"09:30\""]),
    ("gap.yml", [
        "groups/gap.yml:15: session 2 of 'coaching-employees-for-success' is 7 days after session 1; it should "
        "be 14 to 35 days after — move it to a day from 2027-01-26 to 2027-02-16",
        "groups/gap.yml:19: session 2 of 'delegating-effectively' is 49 days after session 1; it should be 14 "
        "to 35 days after — move it to a day from 2027-03-16 to 2027-04-06"]),
    ("order.yml", [
        "groups/order.yml:15: session 2 of 'coaching-employees-for-success' (2027-04-06 14:00) is earlier than "
        "session 1 of 'coaching-employees-for-success' (2027-04-27 14:00), listed before it — list the modules "
        "in the order they happen, each with session 1 before session 2",
        "groups/order.yml:18: session 1 of 'delegating-effectively' (2027-03-02 14:00) is earlier than session "
        "2 of 'coaching-employees-for-success' (2027-04-06 14:00), listed before it — list the modules in the "
        "order they happen, each with session 1 before session 2"]),
    ("same-facilitator.yml", [
        "groups/same-facilitator.yml:19: both sessions of 'delegating-effectively' are facilitated by 'm3' — "
        "give session 2 to another member: each session is led by a different peer"]),
    ("rotation.yml", [
        "groups/rotation.yml:19: rotation: 'm1' facilitates a second time while 2 other members have not "
        "facilitated yet — give session 1 of 'delegating-effectively' to 'm3' or 'm4'",
        "groups/rotation.yml:40: rotation: 'r1' facilitates a third time while 2 other members have "
        "facilitated only once — give session 1 of 'running-one-to-one-meetings' to 'r2' or 'r3'"]),
])
def test_each_rule_has_its_fixture_and_exact_messages(catalog, name, expected):
    assert problems_of(name, catalog) == expected


def test_several_problems_are_reported_in_one_run(catalog):
    with pytest.raises(SourceError) as caught:
        load_groups(FIXTURES / "several.yml", catalog, "groups/several.yml")
    assert str(caught.value).splitlines()[1:] == [
        "  groups/several.yml:6: unknown outcome 'managment-development' — did you mean 'management-development'?",
        "  groups/several.yml:10: 'm3' and 'm2' are both from Underwriting — peers in a group come from different "
        "departments: move one of them to another group",
        "  groups/several.yml:15: session 2 of 'coaching-employees-for-success' is 7 days after session 1; it "
        "should be 14 to 35 days after — move it to a day from 2027-01-26 to 2027-02-16",
        "  groups/several.yml:16: unknown module 'delegating' — did you mean 'delegating-effectively'?",
        "  groups/several.yml:19: both sessions of 'delegating' are facilitated by 'm3' — give session 2 to "
        "another member: each session is led by a different peer",
        "  groups/several.yml:19: time '25:00' is not a 24-hour time — write it as hours:minutes, e.g. \"14:00\" "
        "or \"09:30\""]


def test_the_path_in_messages_defaults_to_the_path_given(catalog):
    with pytest.raises(SourceError) as caught:
        load_groups(FIXTURES / "empty.yml", catalog)
    assert str(caught.value.problems[0]).startswith(f"{FIXTURES / 'empty.yml'}:2: no groups are listed")


def test_a_missing_groups_file(catalog, tmp_path):
    with pytest.raises(SourceError) as caught:
        load_groups(tmp_path / "groups.yml", catalog, "groups.yml")
    assert [str(p) for p in caught.value.problems] == [
        "groups.yml:1: the groups file does not exist — check the path, or start from program/groups.example.yml"]


def test_select_group(catalog):
    groups = load_groups(EXAMPLE, catalog)
    assert select_group(groups, None, "g.yml") == groups
    assert [g.id for g in select_group(groups, "riverside-2027", "g.yml")] == ["riverside-2027"]
    with pytest.raises(SourceError) as caught:
        select_group(groups, "north-2072", "g.yml")
    assert [str(p) for p in caught.value.problems] == ["g.yml:1: no group with id 'north-2072' — did you mean "
                                                        "'north-2027'?"]
    with pytest.raises(SourceError) as caught:
        select_group(groups, "east", "g.yml")
    assert [str(p) for p in caught.value.problems] == ["g.yml:1: no group with id 'east' — the groups in this "
                                                        "file: north-2027, riverside-2027"]


# The calendar

LONG_LOCATION = ("Building 2, room 4.12; the long room, past the café — turn left, then right, by the lifts, "
                 "and ask at reception\\desk")


@pytest.fixture(scope="module")
def north(catalog) -> Group:
    group = load_groups(EXAMPLE, catalog)[0]
    return Group(group.id, group.name, LONG_LOCATION, group.outcome, group.members, group.modules)


def test_the_calendar_parses_back_with_every_session(north, catalog):
    calendar = icalendar.Calendar.from_ical(schedule_ics(north, catalog, STAMP))
    assert (str(calendar["VERSION"]), str(calendar["PRODID"])) == ("2.0", "-//peerpress//group schedule//EN")
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [
        f"north-2027-{slug}-s{n}@peerpress" for slug in ("coaching-employees-for-success",
                                                         "delegating-effectively", "running-one-to-one-meetings")
        for n in (1, 2)]
    first, last = events[0], events[-1]
    assert first.decoded("DTSTART") == datetime.datetime(2027, 1, 12, 14, 0)  # floating: no time zone
    assert first.decoded("DTEND") == datetime.datetime(2027, 1, 12, 15, 30)
    assert last.decoded("DTSTART") == datetime.datetime(2027, 5, 11, 9, 30)
    assert first.decoded("DTSTAMP") == STAMP
    assert str(first["SUMMARY"]) == "Coaching Employees for Success — session 1 (exploration)"
    assert str(last["SUMMARY"]) == "Running One-to-One Meetings — session 2 (reflection)"
    assert str(first["LOCATION"]) == LONG_LOCATION
    assert str(first["DESCRIPTION"]) == "Facilitator: Avery Example\nGroup: North site managers"
    assert str(last["DESCRIPTION"]) == "Facilitator: Finley Testcase\nGroup: North site managers"


def test_the_calendar_text_is_folded_and_escaped(north, catalog):
    text = schedule_ics(north, catalog, STAMP)
    assert text.endswith("END:VCALENDAR\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in lines) == 75  # the long location was folded, to the limit
    unfolded = text.replace("\r\n ", "").split("\r\n")
    location = next(line for line in unfolded if line.startswith("LOCATION:"))
    assert location == ("LOCATION:Building 2\\, room 4.12\\; the long room\\, past the café — turn left\\, then "
                        "right\\, by the lifts\\, and ask at reception\\\\desk")
    assert "DESCRIPTION:Facilitator: Avery Example\\nGroup: North site managers" in unfolded


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "é—" * 40
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_stamp_is_written_in_utc(north, catalog):
    paris = datetime.timezone(datetime.timedelta(hours=1))
    text = schedule_ics(north, catalog, datetime.datetime(2026, 12, 1, 10, 30, tzinfo=paris))
    assert "DTSTAMP:20261201T093000Z\r\n" in text
    assert text == schedule_ics(north, catalog, STAMP)  # and the same input gives the same calendar
