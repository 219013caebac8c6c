"""The typed model of the catalog and its modules, built once by `load` and read by every renderer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from .settings import Settings

RESPONSE_KINDS = ("lines", "text", "checklist", "scale", "grid")
SESSION_NAMES = {1: "Exploration", 2: "Reflection"}


class Edition(StrEnum):
    """Who a rendering is for. Participant outputs are published; facilitator ones never are."""

    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"


@dataclass(frozen=True)
class Question:
    prompt: str
    response: str
    lines: int = 0
    options: tuple[str, ...] = ()
    answer_key: str | None = None  # facilitator-only
    rows: tuple[str, ...] = ()  # a grid's named rows and columns; each cell is a field
    columns: tuple[str, ...] = ()
    measure: str | None = None  # an evaluation scale's figure in the program report (peerpress.measures)
    option_measures: tuple[tuple[int, str], ...] = ()  # an evaluation checklist's: (option number, measure id)


@dataclass(frozen=True)
class Worksheet:
    id: str
    title: str
    session: int
    instructions: str
    questions: tuple[Question, ...]
    source: str  # display path, for messages


@dataclass(frozen=True)
class FacilitatorNotes:
    """How the facilitator runs one agenda item: words to open and close, timed steps, cues."""

    open: str
    steps: tuple[tuple[int, str], ...]  # (minutes, what to do)
    close: str
    listen_for: tuple[str, ...] = ()
    smaller_groups: str | None = None  # how the item runs with four or five members

    def texts(self) -> tuple[str, ...]:
        return (self.open, *(step for _, step in self.steps), *self.listen_for,
                *((self.smaller_groups,) if self.smaller_groups else ()), self.close)


@dataclass(frozen=True)
class AgendaItem:
    title: str
    minutes: int
    method: str  # participant-visible: how the group works in this item
    materials: str | None = None  # facilitator-only: what to bring for it
    facilitator_notes: FacilitatorNotes | None = None  # facilitator-only


@dataclass(frozen=True)
class Session:
    number: int
    minutes: int
    objectives: tuple[str, ...]
    agenda: tuple[AgendaItem, ...]
    desired_output: str | None  # facilitator-only
    markdown: str  # the page source; in the participant view, facilitator blocks are already gone
    source: str

    @property
    def name(self) -> str:
        return SESSION_NAMES[self.number]


@dataclass(frozen=True)
class Reference:
    title: str
    author: str | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Video:
    title: str
    url: str
    minutes: int


@dataclass(frozen=True)
class ManagerNote:
    """The module's part of the page a member hands to their own manager."""

    practice: str
    support: tuple[str, ...]


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    category: str
    summary: str
    sessions: tuple[Session, Session]
    manager_note: ManagerNote
    worksheets: tuple[Worksheet, ...]
    references: tuple[Reference, ...] = ()
    video: Video | None = None
    facilitator_markdown: str | None = None  # facilitator-only, the whole of facilitator.md
    hr_card: bool = False  # the workbooks print the shared "When to involve HR" card
    folder: Path = field(default=Path("."), compare=False)

    def worksheet(self, worksheet_id: str) -> Worksheet | None:
        return next((w for w in self.worksheets if w.id == worksheet_id), None)


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    description: str
    modules: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    """The form members fill in at the end of one session; its field names come from `forms`."""

    session: int
    title: str
    instructions: str  # says who collects the form and what happens to it
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Catalog:
    root: Path
    categories: tuple[Category, ...]
    tracks: tuple[Track, ...]
    evaluations: tuple[Evaluation, Evaluation]
    modules: tuple[Module, ...]
    agreement: str = ""  # participant text, printed in every workbook
    facilitator_guide: str | None = None  # facilitator-only, shared by all modules
    hr_card: str | None = None  # participant text: when to involve HR
    manager_note: str = ""  # participant text: the shared part of "A note for your manager"
    settings: Settings = field(default_factory=Settings)
    outcomes: tuple[str, ...] = ()  # the primary outcomes a group chooses from, by name

    def evaluation(self, session: int) -> Evaluation:
        return self.evaluations[session - 1]

    def module(self, slug: str) -> Module:
        return next(m for m in self.modules if m.slug == slug)

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def in_category(self, category_id: str) -> list[Module]:
        return [m for m in self.modules if m.category == category_id]


def without_answer_keys(questions: tuple[Question, ...]) -> tuple[Question, ...]:
    return tuple(replace(q, answer_key=None) for q in questions)
