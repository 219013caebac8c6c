"""Agenda items and the facilitator's notes for running them, loaded and checked.

The contract: every item says how the group works (`method`); every item of ten minutes or more
tells a first-time facilitator what to say, what to do minute by minute, what to listen for and
how to close; an item that splits the group or goes round it says how it runs with fewer members.
"""

from __future__ import annotations

import re
from difflib import get_close_matches

from .model import AgendaItem, FacilitatorNotes
from .problems import Problem
from .schema import Field, check_entries, check_mapping, get
from .yaml_source import Key, YamlDoc

NOTES_FROM_MINUTES = 10
METHOD_MAX = 140

AGENDA_ITEM = {"title": Field(str, True), "minutes": Field(int, True),
               "method": Field(str, True, "add `method:`, one line on how the group works, e.g. "
                                          "\"A round: each member, about two minutes\""),
               "materials": Field(str), "facilitator_notes": Field(dict)}
NOTES = {"open": Field(str, True, "add `open:`, the words the facilitator says to start the item"),
         "steps": Field(list, True, "add `steps:`, a list of `N min: what to do` lines"),
         "listen_for": Field(list), "smaller_groups": Field(str),
         "close": Field(str, True, "add `close:`, the words that end the item and lead to the next")}
NOTES_HINT = ("add `facilitator_notes:` with open, steps (`N min: …`), listen_for and close; "
              "a first-time facilitator runs the item from them")
STEP = re.compile(r"^\s*(\d+)\s*min(?:utes?)?\s*[:.–—-]\s*(\S.*)$", re.DOTALL)
# Methods that split the group or go round it depend on how many members came.
SPLITS = re.compile(r"\b(pairs?|threes|trios?|small groups?|groups of|rounds?|report-back)\b", re.IGNORECASE)


def load_agenda_item(doc: YamlDoc, key: Key) -> tuple[AgendaItem | None, list[Problem]]:
    """The item at `key`, or None with every problem it has."""
    data = get(doc, key)
    title = data.get("title") if isinstance(data, dict) else None
    name = f"agenda item '{title}'" if isinstance(title, (str, int)) else "an agenda item"
    problems = check_mapping(doc, key, AGENDA_ITEM, name)
    if not isinstance(data, dict):
        return None, problems
    minutes, method = data.get("minutes"), data.get("method")
    if isinstance(method, str) and method.strip():
        if "\n" in method.strip() or len(method.strip()) > METHOD_MAX:
            problems.append(Problem(doc.path, doc.line((*key, "method")),
                                    f"the method of {name} should be one line of at most {METHOD_MAX} characters",
                                    "say how the group works in one line; put the detail in facilitator_notes"))
    notes = None
    if isinstance(data.get("facilitator_notes"), dict):
        notes, found = _notes(doc, (*key, "facilitator_notes"), name, minutes, method)
        problems += found
    elif (data.get("facilitator_notes") is None and isinstance(minutes, int) and minutes >= NOTES_FROM_MINUTES
          and not _misspelt_notes(data)):
        problems.append(Problem(doc.path, doc.line(key), f"{name} ({minutes} min) has no facilitator_notes",
                                NOTES_HINT))
    if problems:
        return None, problems
    return AgendaItem(str(title), minutes, str(method).strip(), _text(data.get("materials")), notes), []


def _notes(doc: YamlDoc, key: Key, name: str, minutes, method) -> tuple[FacilitatorNotes | None, list[Problem]]:
    problems = check_mapping(doc, key, NOTES, f"the facilitator_notes of {name}")
    data = get(doc, key)
    if not isinstance(data, dict):
        return None, problems
    long_item = isinstance(minutes, int) and minutes >= NOTES_FROM_MINUTES
    if long_item and not data.get("listen_for"):
        problems.append(Problem(doc.path, doc.line(key), f"the facilitator_notes of {name} have no listen_for",
                                "add `listen_for:`, a list of what the facilitator listens for in this item"))
    for field in ("listen_for", "steps"):
        problems += check_entries(doc, (*key, field), str, f"an entry of {field} in {name}")
    steps = []
    for index, step in enumerate(data.get("steps") if isinstance(data.get("steps"), list) else []):
        match = STEP.match(step) if isinstance(step, str) else None
        if isinstance(step, str) and not match:
            problems.append(Problem(doc.path, doc.line((*key, "steps", index)),
                                    f"step {index + 1} of {name} does not start with its minutes",
                                    "start it with `N min:`, e.g. `3 min: quiet writing`"))
        elif match:
            steps.append((int(match.group(1)), match.group(2).strip()))
    step_list = data.get("steps")
    total = sum(m for m, _ in steps)
    if (isinstance(minutes, int) and isinstance(step_list, list) and step_list and len(steps) == len(step_list)
            and total != minutes):
        problems.append(Problem(doc.path, doc.line((*key, "steps")),
                                f"the steps of {name} add up to {total} minutes, not {minutes}",
                                f"{'shorten' if total > minutes else 'lengthen'} the steps by "
                                f"{abs(total - minutes)} minutes in all, or change the item's `minutes:`"))
    splits = SPLITS.search(method) if isinstance(method, str) else None
    if splits and not data.get("smaller_groups"):
        problems.append(Problem(doc.path, doc.line(key),
                                f"{name} splits the group or goes round it ({splits.group(0)}), "
                                "but its facilitator_notes have no smaller_groups",
                                "add `smaller_groups:`, how the item runs with 4, 5 and 6 members "
                                "and when someone is absent"))
    if problems:
        return None, problems
    return FacilitatorNotes(str(data["open"]).strip(), tuple(steps), str(data["close"]).strip(),
                            tuple(str(x) for x in data.get("listen_for") or ()),
                            _text(data.get("smaller_groups"))), []


def _misspelt_notes(data: dict) -> bool:
    """A misspelt notes field is already reported as unknown, with the right spelling."""
    return any(k not in AGENDA_ITEM and get_close_matches(str(k), ["facilitator_notes"], cutoff=0.6) for k in data)


def _text(value) -> str | None:
    return str(value).strip() if value is not None and str(value).strip() else None
