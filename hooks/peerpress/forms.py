"""The fillable fields every workbook prints, named once here.

Filled-in workbooks come back as data (attendance, evaluations), so a field's name is a contract:
templates take names from this module only, and a reader of returned PDFs uses the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Evaluation

HANDOVER_ROWS = 6  # a group has up to six members


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = "line"  # line (one line), text (a box), number
    lines: int = 1


def evaluation_field(session: int, question: int) -> str:
    """`eval-s1-q3`; a checklist's options add their position: `eval-s1-q3-2`."""
    return f"eval-s{session}-q{question}"


def option_field(question_field: str, option: int) -> str:
    return f"{question_field}-{option}"


def grid_field(question_field: str, row: int, column: int) -> str:
    """One cell of a grid question: `ws-plan-q2-r1-c3`."""
    return f"{question_field}-r{row}-c{column}"


def evaluation_fields(evaluation: Evaluation) -> list[str]:
    """Every field name of one session's evaluation form, in print order."""
    return [name for _, name in question_fields(evaluation)]


def question_fields(evaluation: Evaluation) -> list[tuple[int, str]]:
    """Every field of one session's evaluation form with its question's number, in print order."""
    fields = []
    for number, question in enumerate(evaluation.questions, start=1):
        base = evaluation_field(evaluation.session, number)
        if question.response == "checklist":
            names = [option_field(base, i) for i in range(1, len(question.options) + 1)]
        elif question.response == "grid":
            names = [grid_field(base, r, c) for r in range(1, len(question.rows) + 1)
                     for c in range(1, len(question.columns) + 1)]
        else:
            names = [base]
        fields += [(number, name) for name in names]
    return fields


MEMBER_NAME = FormField("member-name", "This copy belongs to")
GROUP_NAME = FormField("group-name", "Group")
LOCATION = FormField("location", "Where we meet")


def session_date(session: int) -> FormField:
    return FormField(f"session-{session}-date", f"Session {session} date and time")


def session_facilitator(session: int) -> FormField:
    return FormField(f"session-{session}-facilitator", f"Session {session} facilitator")


COVER = (MEMBER_NAME, GROUP_NAME, LOCATION, session_date(1), session_date(2),
         session_facilitator(1), session_facilitator(2))

MANAGER_NOTE_FROM = FormField("manager-note-from", "From (your name)")

AGREEMENT_NAME = FormField("agreement-name", "Name")

GROUP_OUTCOME = FormField("group-outcome", "Our group's primary outcome", "text", 2)

PRACTICE_CARD = (
    FormField("practice-what", "What I will try", "text", 3),
    FormField("practice-when", "When, and in which situation", "text", 2),
    FormField("practice-with", "With whom (a role, not a name)", "line"),
    FormField("practice-watch", "What I will watch for: how I will know it worked", "text", 2),
    FormField("practice-tell", "Who I will tell that I am practising this", "line"),
)

HANDOVER_COLUMNS = (("who", "Member"), ("what", "What they will practise"),
                    ("when", "By when"), ("know", "How they will know"))


def handover_fields() -> list[list[FormField]]:
    """One row per member: `handover-m1-who`, `handover-m1-what`, …"""
    return [[FormField(f"handover-m{row}-{key}", f"Member {row}: {label}") for key, label in HANDOVER_COLUMNS]
            for row in range(1, HANDOVER_ROWS + 1)]


HANDOVER_EVALUATION = (
    FormField("handover-eval-worked", "From the session 1 evaluations: one thing that worked", "text", 2),
    FormField("handover-eval-change", "From the session 1 evaluations: one thing to change", "text", 2),
)
HANDOVER_NOTES = FormField("handover-notes", "Anything else the session 2 facilitator should know "
                           "(no names of employees)", "text", 2)


def session_record(session: int) -> tuple[FormField, ...]:
    """Attendance as numbers and what the group produced, written without names."""
    return tuple(session_record_parts(session).values())


def session_record_parts(session: int) -> dict[str, FormField]:
    """The session record's fields by what each holds: date, members, present, minutes, ideas, …"""
    prefix = f"record-s{session}"
    return {
        "date": FormField(f"{prefix}-date", "Date"),
        "members": FormField(f"{prefix}-members", "Group size", "number"),
        "present": FormField(f"{prefix}-present", "Members present", "number"),
        "minutes": FormField(f"{prefix}-minutes", "Length in minutes", "number"),
        "ideas": FormField(f"{prefix}-ideas", "Ideas, strategies and tools members shared", "text", 4),
        "resources": FormField(f"{prefix}-resources", "Resources mentioned (books, articles, people to ask, tools)",
                               "text", 3),
        "commitments": FormField(f"{prefix}-commitments",
                                 "Commitments made" if session == 1 else "What members will keep doing", "text", 3),
    }


def timekeeper(session: int) -> FormField:
    return FormField(f"timekeeper-s{session}", "Timekeeper (a member other than the facilitator)")


def run_sheet_facilitator(session: int) -> FormField:
    """Who runs this session, and when: filled in by a group's print run, marked on the facilitator's own."""
    return FormField(f"facilitator-s{session}", "Facilitator, date and time")
