"""A group's schedule as an RFC 5545 calendar: one event per session, to import into any calendar.

Times are floating (no time zone): a session at 14:00 is at 14:00 wherever the group meets, which
is what the groups file says; a zone would have to be guessed.
"""

from __future__ import annotations

import datetime
import re

from .groups import Group
from .model import SESSION_NAMES, Catalog

PRODID = "-//peerpress//group schedule//EN"
_LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # not allowed in TEXT values (tab and newline are)


def schedule_ics(group: Group, catalog: Catalog, stamp: datetime.datetime) -> str:
    """The calendar text, CRLF-terminated; `stamp` (UTC, or naive meaning UTC) is every DTSTAMP.

    UIDs stay the same from run to run, so importing a corrected schedule updates the events.
    """
    stamp = stamp.astimezone(datetime.UTC) if stamp.tzinfo else stamp.replace(tzinfo=datetime.UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    for taken in group.modules:
        module = catalog.module(taken.slug)
        for session in taken.sessions:
            start = datetime.datetime.combine(session.date, session.time)
            end = start + datetime.timedelta(minutes=module.sessions[session.number - 1].minutes)
            facilitator = group.member(session.facilitator)
            lines += [
                "BEGIN:VEVENT",
                f"UID:{group.id}-{taken.slug}-s{session.number}@peerpress",
                f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
                f"DTSTART:{start:%Y%m%dT%H%M%S}",
                f"DTEND:{end:%Y%m%dT%H%M%S}",
                "SUMMARY:" + text(f"{module.title} — session {session.number} "
                                  f"({SESSION_NAMES[session.number].lower()})"),
                "LOCATION:" + text(group.location),
                "DESCRIPTION:" + text(f"Facilitator: {facilitator.name}\nGroup: {group.name}"),
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    parts, current, size = [], [], 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = _LINE_OCTETS if not parts else _LINE_OCTETS - 1  # a continuation starts with a space
        if size + octets > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts)
