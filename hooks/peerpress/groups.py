"""The groups file: who meets, where, which modules and when, checked against the catalog.

Loaded like module sources, every problem at once as `path:line: what — how to fix`. A group's
schedule is the list of its modules' sessions in the order written, which must be date order.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from .model import Catalog
from .problems import Problem, SourceError
from .schema import Field, check_mapping, did_you_mean, get
from .yaml_source import Key, YamlDoc, load_yaml

MIN_MEMBERS, MAX_MEMBERS = 2, 6
MIN_GAP_DAYS, MAX_GAP_DAYS = 14, 35  # between a module's two sessions: time to practise, not to forget
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # group and member ids name output folders and files
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# Dates and times are parsed here, so YAML's own readings (a timestamp, or 14:00 as the base-60
# number 840) are kept as the text written; no field of this file is a number.
AS_WRITTEN = frozenset({"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})

FILE = {"groups": Field(list, True, "list the groups under `groups:`, each starting with `- id:`")}
GROUP = {"id": Field(str, True, "write lowercase letters, digits and hyphens, e.g. north-2027"),
         "name": Field(str, True, "write the group's name as it is printed, e.g. North site managers"),
         "location": Field(str, True, "write the room where the group meets, e.g. Building 2, room 4.12"),
         "outcome": Field(str, True, "write the id of the group's outcome, e.g. management-development"),
         "members": Field(list, True, "list the members, each as `- {id: m1, name: ..., department: ...}`"),
         "modules": Field(list, True, "list the modules, each with `module:` and its two `sessions:`")}
MEMBER = {"id": Field(str, True, "write a short id such as m1; it names the member's workbook files"),
          "name": Field(str, True, "write the member's name as it is printed on their workbook"),
          "department": Field(str, True, "write the member's department; members of a group come from "
                                         "different departments")}
MODULE = {"module": Field(str, True, "write the module's folder name under modules/"),
          "sessions": Field(list, True, "list the two sessions, each with date, time and facilitator")}
SESSION = {"date": Field(str, True, "write the day as YYYY-MM-DD, e.g. 2027-01-12"),
           "time": Field(str, True, 'write the start on the 24-hour clock, e.g. "14:00"'),
           "facilitator": Field(str, True, "write the id of the member who facilitates this session")}


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    department: str


@dataclass(frozen=True)
class GroupSession:
    number: int  # 1 exploration, 2 reflection
    date: datetime.date
    time: datetime.time
    facilitator: str  # a member id

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.time)


@dataclass(frozen=True)
class GroupModule:
    slug: str
    sessions: tuple[GroupSession, GroupSession]


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    location: str
    outcome: str  # the catalog's outcome name, e.g. "Management development"
    members: tuple[Member, ...]
    modules: tuple[GroupModule, ...]

    def member(self, member_id: str) -> Member:
        return next(m for m in self.members if m.id == member_id)


def outcome_id(name: str) -> str:
    """How the groups file writes an outcome: "Management development" → management-development."""
    return name.lower().replace(" ", "-")


def load_groups(path: Path, catalog: Catalog, display_path: str | None = None) -> tuple[Group, ...]:
    """Load and check a groups file; raise SourceError listing every problem found."""
    shown = display_path or str(path)
    if not path.is_file():
        raise SourceError([Problem(shown, 1, "the groups file does not exist",
                                   "check the path, or start from program/groups.example.yml")])
    doc, problems = load_yaml(path, shown, AS_WRITTEN)
    if doc is None:
        raise SourceError(problems)
    problems += check_mapping(doc, (), FILE, "the groups file")
    if get(doc, ("groups",)) == []:
        problems.append(Problem(doc.path, doc.line(("groups",)), "no groups are listed",
                                "add a group under `groups:`, as in program/groups.example.yml"))
    written = get(doc, ("groups",))
    groups, seen = [], set()
    for key in [("groups", index) for index in range(len(written))] if isinstance(written, list) else []:
        group = _group(doc, key, catalog, problems)
        if group:
            groups.append(group)
        group_id = get(doc, (*key, "id"))
        if _filled(group_id) and group_id in seen:
            problems.append(Problem(doc.path, doc.line((*key, "id")), f"group id '{group_id}' is used twice",
                                    "give each group its own id"))
        if _filled(group_id):
            seen.add(group_id)
    if problems:
        raise SourceError(problems)
    return tuple(groups)


def select_group(groups: tuple[Group, ...], group_id: str | None, path_for_messages: str) -> tuple[Group, ...]:
    """All groups, or the one named `group_id`; an unknown id is a SourceError with the nearest id."""
    if group_id is None:
        return groups
    chosen = tuple(g for g in groups if g.id == group_id)
    if not chosen:
        raise SourceError([Problem(path_for_messages, 1, f"no group with id '{group_id}'",
                                   did_you_mean(group_id, [g.id for g in groups],
                                            f"the groups in this file: {', '.join(g.id for g in groups)}"))])
    return chosen


@dataclass
class _Slot:
    """One session as written, with whatever of it could be read (None where it has a problem)."""

    key: Key
    module: str  # as messages name it: 'slug', or "module 2" when the slug is missing
    start: datetime.datetime | None
    facilitator: str | None  # a known member id

    @property
    def number(self) -> int:
        return self.key[-1] + 1

    def label(self) -> str:
        return f"session {self.number} of {self.module}"


def _group(doc: YamlDoc, key: Key, catalog: Catalog, problems: list[Problem]) -> Group | None:
    """Every check of one group runs whatever the others found; the group is built if none failed."""
    group_id = get(doc, (*key, "id"))
    what = f"group '{group_id}'" if _filled(group_id) else "a group"
    found = check_mapping(doc, key, GROUP, what)
    if not isinstance(get(doc, key), dict):
        problems += found
        return None
    if _filled(group_id) and not ID.match(group_id):
        found.append(Problem(doc.path, doc.line((*key, "id")), f"group id '{group_id}' is not valid",
                             "use lowercase letters, digits and single hyphens, e.g. north-2027 "
                             "(it names the group's output folder)"))
    outcome = _outcome(doc, (*key, "outcome"), catalog, found)
    members, roster = _members(doc, (*key, "members"), what, found)
    modules, slots = _modules(doc, (*key, "modules"), catalog, roster, what, found)
    if get(doc, (*key, "modules")) == []:
        found.append(Problem(doc.path, doc.line((*key, "modules")), f"{what} takes no modules",
                             "list at least one module with its two sessions"))
    found += _order_problems(doc, slots)
    found += _rotation_problems(doc, slots, list(roster))
    problems += found
    if found:
        return None
    return Group(group_id, _text(doc, (*key, "name")), _text(doc, (*key, "location")), outcome,
                 tuple(members), tuple(modules))


def _outcome(doc: YamlDoc, key: Key, catalog: Catalog, problems: list[Problem]) -> str:
    written = get(doc, key)
    names = {outcome_id(name): name for name in catalog.outcomes}
    if _filled(written) and written not in names:
        problems.append(Problem(doc.path, doc.line(key), f"unknown outcome '{written}'",
                                did_you_mean(written, list(names), f"use one of: {', '.join(names)}")))
    return names.get(written, "") if _filled(written) else ""


def _members(doc: YamlDoc, key: Key, group: str, problems: list[Problem]) -> tuple[list[Member], dict[str, str]]:
    """The members whose fields are all valid, and every member id written, with its name.

    Facilitators are looked up in the second, so a member with a problem of their own does not
    also make each of their sessions an "unknown member".
    """
    members, roster, departments = [], {}, {}
    for item, data, found in _entries(doc, key, MEMBER, "a member", problems):
        member_id, department = data.get("id"), data.get("department")
        if _filled(member_id):
            if not ID.match(member_id):
                found.append(Problem(doc.path, doc.line((*item, "id")), f"member id '{member_id}' is not valid",
                                     "use lowercase letters, digits and single hyphens, e.g. m1 "
                                     "(it names the member's workbook files)"))
            elif member_id in roster:
                found.append(Problem(doc.path, doc.line((*item, "id")),
                                     f"member id '{member_id}' is used twice in {group}",
                                     "give each member their own id"))
            roster.setdefault(member_id, str(data.get("name") or ""))
        if _filled(department):
            same = " ".join(department.split()).casefold()
            if same in departments:
                found.append(Problem(doc.path, doc.line((*item, "department")),
                                     f"'{member_id}' and '{departments[same]}' are both from "
                                     f"{' '.join(department.split())}",
                                     "peers in a group come from different departments: move one of them "
                                     "to another group"))
            departments.setdefault(same, member_id)
        problems += found
        if not found:
            members.append(Member(member_id, _text(doc, (*item, "name")), _text(doc, (*item, "department"))))
    written = get(doc, key)
    if isinstance(written, list) and not MIN_MEMBERS <= len(written) <= MAX_MEMBERS:
        count = len(written)
        problems.append(Problem(doc.path, doc.line(key),
                                f"{group} has {count} member{'s' if count != 1 else ''}; a group has "
                                f"{MIN_MEMBERS} to {MAX_MEMBERS}",
                                "add members: each session needs a facilitator and peers" if count < MIN_MEMBERS
                                else "split the group in two, or move members to another group"))
    return members, roster


def _modules(doc: YamlDoc, key: Key, catalog: Catalog, roster: dict[str, str], group: str,
             problems: list[Problem]) -> tuple[list[GroupModule], list[_Slot]]:
    """The modules whose sessions are all valid, and every session written, for the checks across modules."""
    slugs = [m.slug for m in catalog.modules]
    modules, slots, seen = [], [], set()
    for item, data, found in _entries(doc, key, MODULE, "a module entry", problems):
        slug = data.get("module")
        if _filled(slug):
            if slug not in slugs:
                found.append(Problem(doc.path, doc.line((*item, "module")), f"unknown module '{slug}'",
                                     did_you_mean(slug, slugs, "use the folder name of a module under modules/")))
            elif slug in seen:
                found.append(Problem(doc.path, doc.line((*item, "module")),
                                     f"module '{slug}' is listed twice in {group}",
                                     "a group takes each module once: remove one of them"))
            seen.add(slug)
        name = f"'{slug}'" if _filled(slug) else f"module {item[-1] + 1}"
        sessions_key = (*item, "sessions")
        written = get(doc, sessions_key)
        if isinstance(written, list) and len(written) != 2:
            found.append(Problem(doc.path, doc.line(sessions_key),
                                 f"{name} has {len(written)} session{'s' if len(written) != 1 else ''}; "
                                 "a module runs in exactly two",
                                 "list session 1 (exploration), then session 2 (reflection)"))
        pair = []
        for session_key, session, session_found in _entries(doc, sessions_key, SESSION, "a session", found):
            pair.append(_session(doc, session_key, session, name, roster, session_found))
            found += session_found
        if len(pair) == 2 and isinstance(written, list) and len(written) == 2:
            found += _pair_problems(doc, *pair)
        slots += pair
        problems += found
        if not found and len(pair) == 2:
            modules.append(GroupModule(slug, tuple(GroupSession(s.number, s.start.date(), s.start.time(),
                                                                s.facilitator) for s in pair)))
    return modules, slots


def _session(doc: YamlDoc, key: Key, data: dict, module: str, roster: dict[str, str],
             problems: list[Problem]) -> _Slot:
    day, hour = _date(doc, (*key, "date"), problems), _time(doc, (*key, "time"), problems)
    facilitator = data.get("facilitator")
    if _filled(facilitator) and facilitator not in roster:
        problems.append(Problem(doc.path, doc.line((*key, "facilitator")), f"unknown member '{facilitator}'",
                                _member_hint(facilitator, roster)))
    start = datetime.datetime.combine(day, hour) if day and hour else None
    return _Slot(key, module, start, facilitator if _filled(facilitator) and facilitator in roster else None)


def _member_hint(written: str, roster: dict[str, str]) -> str:
    named = [member_id for member_id, name in roster.items() if name.casefold() == written.casefold()]
    if named:  # a facilitator written by name, as people say it
        return f"write the member's id, '{named[0]}', not their name"
    if not roster:
        return "list the group's members, then name one of them here"
    return did_you_mean(written, list(roster), f"use one of the member ids: {', '.join(roster)}")


def _date(doc: YamlDoc, key: Key, problems: list[Problem]) -> datetime.date | None:
    written = get(doc, key)
    if not _filled(written):
        return None  # missing or not text: reported with the session's fields
    if not DATE.match(written):
        problems.append(Problem(doc.path, doc.line(key), f"date '{written}' is not written as YYYY-MM-DD",
                                "write it as year-month-day, e.g. 2027-01-12"))
        return None
    try:
        return datetime.date.fromisoformat(written)
    except ValueError:
        problems.append(Problem(doc.path, doc.line(key), f"date '{written}' does not exist",
                                "check the day and the month"))
        return None


def _time(doc: YamlDoc, key: Key, problems: list[Problem]) -> datetime.time | None:
    written = get(doc, key)
    if not _filled(written):
        return None
    match = TIME.match(written)
    if not match:
        problems.append(Problem(doc.path, doc.line(key), f"time '{written}' is not a 24-hour time",
                                'write it as hours:minutes, e.g. "14:00" or "09:30"'))
        return None
    return datetime.time(int(match[1]), int(match[2]))


def _pair_problems(doc: YamlDoc, first: _Slot, second: _Slot) -> list[Problem]:
    """A module's two sessions: time between them to practise, and two different facilitators."""
    problems = []
    if first.start and second.start:
        days = (second.start.date() - first.start.date()).days
        if days >= 0 and not MIN_GAP_DAYS <= days <= MAX_GAP_DAYS:  # earlier than session 1: an order problem
            earliest, latest = (first.start.date() + datetime.timedelta(days=d) for d in (MIN_GAP_DAYS, MAX_GAP_DAYS))
            problems.append(Problem(doc.path, doc.line((*second.key, "date")),
                                    f"{second.label()} is {days} day{'s' if days != 1 else ''} after session 1; "
                                    f"it should be {MIN_GAP_DAYS} to {MAX_GAP_DAYS} days after",
                                    f"move it to a day from {earliest} to {latest}"))
    if first.facilitator and first.facilitator == second.facilitator:
        problems.append(Problem(doc.path, doc.line((*second.key, "facilitator")),
                                f"both sessions of {second.module} are facilitated by '{second.facilitator}'",
                                "give session 2 to another member: each session is led by a different peer"))
    return problems


def _order_problems(doc: YamlDoc, slots: list[_Slot]) -> list[Problem]:
    """Sessions listed in the order they happen, so the written order is the group's schedule."""
    problems, previous = [], None
    for slot in (s for s in slots if s.start):
        if previous and slot.start < previous.start:
            problems.append(Problem(doc.path, doc.line((*slot.key, "date")),
                                    f"{slot.label()} ({slot.start:%Y-%m-%d %H:%M}) is earlier than "
                                    f"{previous.label()} ({previous.start:%Y-%m-%d %H:%M}), listed before it",
                                    "list the modules in the order they happen, each with session 1 "
                                    "before session 2"))
        previous = slot
    return problems


def _rotation_problems(doc: YamlDoc, slots: list[_Slot], member_ids: list[str]) -> list[Problem]:
    """Walking the schedule in order, nobody takes another turn while a member has had fewer turns."""
    problems, turns = [], dict.fromkeys(member_ids, 0)
    for slot in (s for s in slots if s.facilitator):
        fewest = min(turns.values())
        if turns[slot.facilitator] > fewest:
            waiting = [member_id for member_id, count in turns.items() if count == fewest]
            others = f"'{waiting[0]}'" if len(waiting) == 1 else f"{len(waiting)} other members"
            had = "not facilitated yet" if fewest == 0 else f"facilitated only {_times(fewest)}"
            names = ", ".join(f"'{w}'" for w in waiting[:-1]) + (" or " if len(waiting) > 1 else "") + \
                f"'{waiting[-1]}'"
            problems.append(Problem(doc.path, doc.line((*slot.key, "facilitator")),
                                    f"rotation: '{slot.facilitator}' facilitates a "
                                    f"{_ordinal(turns[slot.facilitator] + 1)} time while {others} "
                                    f"{'has' if len(waiting) == 1 else 'have'} {had}",
                                    f"give {slot.label()} to {names}"))
        turns[slot.facilitator] += 1
    return problems


def _entries(doc: YamlDoc, key: Key, spec: dict[str, Field], what: str,
             problems: list[Problem]) -> list[tuple[Key, dict, list[Problem]]]:
    """Each mapping in the list at `key`, with its data and the problems of its fields so far.

    An entry that is not a mapping is reported here; a list that is missing or not a list was
    reported with its parent's fields.
    """
    written = get(doc, key)
    entries = []
    for index, item in enumerate(written if isinstance(written, list) else []):
        found = check_mapping(doc, (*key, index), spec, what)
        if isinstance(item, dict):
            entries.append(((*key, index), item, found))
        else:
            problems += found
    return entries


def _filled(value: object) -> bool:
    """Text with something in it; anything else was reported by the field checks."""
    return isinstance(value, str) and bool(value.strip())


def _text(doc: YamlDoc, key: Key) -> str:
    return " ".join(str(get(doc, key)).split())


def _ordinal(number: int) -> str:
    return {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}.get(number, f"{number}th")


def _times(number: int) -> str:
    return {1: "once", 2: "twice"}.get(number, f"{number} times")
