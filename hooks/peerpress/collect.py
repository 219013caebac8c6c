"""Returned workbooks into the program's database: evaluation answers and session records.

Every file under a folder is read once. Participant copies give their evaluation answers (`eval-s1-*`,
`eval-s2-*`) and nothing else, so no worksheet or personal note is ever stored; facilitator copies give their
session records (attendance as numbers, date, length). A file the program cannot use is refused with one line
that names it and says what to do; refusals never stop the run or undo what was collected.

A file is known by its content: the same file again is skipped. A copy is known by its identity (a print-run
copy by module, edition, group and member; a generic copy by its identity and its place in the folder), so a
corrected file replaces the answers its copy gave before. Each facilitator of a print-run group returns their own
copy; where two copies record the same session, the report counts the later file and collect says so.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import logging
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from .forms import evaluation_field, question_fields, session_record, session_record_parts
from .identity import Identity, form_version, from_info
from .model import Catalog, Edition

SCHEMA = """
CREATE TABLE IF NOT EXISTS returned_file (
    sha256 TEXT PRIMARY KEY,                  -- the file's content: the same file twice counts once
    copy_key TEXT NOT NULL,                   -- which copy the file is (see copy_key())
    current INTEGER NOT NULL CHECK (current IN (0, 1)),  -- 0 once a corrected file of the copy replaced it
    path TEXT NOT NULL,                       -- where it was first found, relative to the collected folder
    module TEXT NOT NULL,
    edition TEXT NOT NULL CHECK (edition IN ('participant', 'facilitator')),
    form_version TEXT NOT NULL,
    group_id TEXT,
    member_id TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS one_current_file_per_copy ON returned_file (copy_key) WHERE current = 1;
CREATE TABLE IF NOT EXISTS answers (
    sha256 TEXT NOT NULL REFERENCES returned_file (sha256),
    field TEXT NOT NULL,                      -- the form field, named by peerpress.forms
    session INTEGER NOT NULL CHECK (session IN (1, 2)),
    question INTEGER,                         -- the evaluation question's number; NULL in a session record
    value TEXT NOT NULL,                      -- text as written; a scale's point (1 = first); 'on' for a tick
    PRIMARY KEY (sha256, field)
);
CREATE TABLE IF NOT EXISTS records (
    sha256 TEXT NOT NULL REFERENCES returned_file (sha256),
    session INTEGER NOT NULL CHECK (session IN (1, 2)),
    group_label TEXT NOT NULL,                -- the group id, else what the cover's Group field says
    date TEXT,                                -- ISO 8601; NULL when what was written is not a date
    members INTEGER,
    present INTEGER,
    minutes INTEGER,
    PRIMARY KEY (sha256, session)
);
"""
CSV_NAME = "answers.csv"
NO_GROUP = "group not given"
_NUMBERS = ("members", "present", "minutes")
log = logging.getLogger("peerpress")


@dataclass(frozen=True, order=True)
class Refusal:
    """A file that was not collected, and what its sender or the program manager can do about it."""

    path: str  # relative to the collected folder
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message} — {self.hint}"


@dataclass(frozen=True)
class CollectReport:
    new: int  # files that gave a copy its first answers
    replaced: int  # corrected files that replaced their copy's earlier answers
    unchanged: int  # files collected before (or superseded by a correction), skipped
    refused: tuple[Refusal, ...]
    notes: tuple[str, ...]  # collected, but something in it could not be used

    @property
    def ok(self) -> bool:
        return not self.refused

    def lines(self) -> list[str]:
        """What to print: one line per refusal and note, then the counts."""
        summary = (f"collected {self.new} new, {self.replaced} corrected, {self.unchanged} already collected, "
                   f"{len(self.refused)} refused")
        return [*(str(r) for r in self.refused), *self.notes, summary]


class _Refused(Exception):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class _Returned:
    identity: Identity
    answers: tuple[tuple[str, int, int | None, str], ...]  # field, session, question, value
    records: tuple[tuple[int, str, str | None, int | None, int | None, int | None], ...]
    notes: tuple[str, ...]


def collect(folder: Path, db_path: Path, catalog: Catalog) -> CollectReport:
    """Collect every file under `folder` into the database at `db_path`, then rewrite the CSV beside it."""
    version = form_version(catalog)
    counts = {"new": 0, "replaced": 0, "unchanged": 0}
    refused: list[Refusal] = []
    notes: list[str] = []
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder — name the folder that holds the returned workbooks")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with closing(_connect(db_path)) as db:
        for path in _files_oldest_first(folder):
            rel = path.relative_to(folder).as_posix()
            try:
                data = path.read_bytes()
            except OSError as error:
                refused.append(Refusal(rel, f"cannot be opened ({error.strerror})", "check the file's permissions"))
                continue
            sha = hashlib.sha256(data).hexdigest()
            if db.execute("SELECT 1 FROM returned_file WHERE sha256 = ?", (sha,)).fetchone():
                counts["unchanged"] += 1
                continue
            try:
                returned = _read(data, rel, catalog, version)
            except _Refused as refusal:
                refused.append(Refusal(rel, refusal.message, refusal.hint))
                continue
            counts[_store(db, sha, rel, returned)] += 1
            notes += returned.notes
        notes += recorded_twice(db)
        export_csv(db, db_path.parent / CSV_NAME, catalog, version)
    return CollectReport(counts["new"], counts["replaced"], counts["unchanged"], tuple(sorted(refused)), tuple(notes))


# The session records the report counts: of a print-run group's session recorded in two facilitator copies, the
# later file's. Generic copies name their group in writing, so two records under one name may be two groups.
COUNTED_RECORDS = """
    SELECT r.group_label, f.module, r.session, r.date, r.present, r.members, r.minutes
    FROM records r JOIN returned_file f USING (sha256)
    WHERE f.current = 1 AND (f.group_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM records r2 JOIN returned_file f2 USING (sha256)
        WHERE f2.current = 1 AND f2.group_id = f.group_id AND f2.module = f.module AND r2.session = r.session
          AND f2.rowid > f.rowid))"""


def recorded_twice(db: sqlite3.Connection) -> list[str]:
    """A note for each print-run session recorded in more than one current facilitator copy."""
    rows = db.execute("""
        SELECT f.group_id, f.module, r.session, f.path FROM records r JOIN returned_file f USING (sha256)
        WHERE f.current = 1 AND f.group_id IS NOT NULL ORDER BY f.rowid""").fetchall()
    paths: dict[tuple[str, str, int], list[str]] = {}
    for group, module, session, path in rows:
        paths.setdefault((group, module, session), []).append(path)
    return [f"{found[-1]}: session {session} of {module} for group {group} is also recorded in "
            f"{' and '.join(found[:-1])}; the report counts {found[-1]}, the later file — if that is wrong, "
            "send the right record again"
            for (group, module, session), found in sorted(paths.items()) if len(found) > 1]


def copy_key(identity: Identity, rel_path: str) -> str:
    """A print-run copy is one member's; a generic copy is told apart by where it lies in the folder."""
    parts = [identity.module, identity.edition, identity.form_version]
    parts += [identity.group, identity.member or ""] if identity.printed_for_group else [rel_path]
    return "/".join(str(p) for p in parts)


def _connect(db_path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA foreign_keys = ON")
    db.executescript(SCHEMA)
    return db


def _files_oldest_first(folder: Path) -> list[Path]:
    # When a file and its correction arrive together, the one saved later is the correction.
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.relative_to(folder).as_posix()))


def _read(data: bytes, rel: str, catalog: Catalog, version: str) -> _Returned:
    import pypdf

    if b"%PDF-" not in data[:1024]:
        raise _Refused("is not a PDF", "only returned workbook PDFs can be collected: move this file out of the "
                       "folder")
    # pypdf logs every repair it makes to a damaged file; the refusal line says all that matters.
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Refused("is protected with a password", "ask the sender to save it again without a password")
        identity = from_info(reader.metadata or {})
        values = form_values(reader) if identity else {}
    except _Refused:
        raise
    except Exception as error:  # a damaged PDF raises many kinds of error, all meaning the same here
        log.debug("%s: %s", rel, error)
        raise _Refused("is a damaged PDF that cannot be read", "ask the sender for the file again") from None
    finally:
        quiet.setLevel(level)
    if identity is None:
        raise _Refused("is a PDF but not a peerpress workbook (it carries no workbook identity)",
                       "only the workbook PDFs peerpress made can be collected: ask the sender to fill in "
                       "the evaluation in their workbook")
    if identity.form_version != version:
        raise _Refused(f"was printed with form version {identity.form_version}, but the current catalog's "
                       f"forms are version {version}: its evaluation questions or fields have changed since",
                       "collect it with the catalog version it was printed with")
    if identity.edition is Edition.PARTICIPANT:
        returned = _participant(identity, values, catalog)
        if not returned.answers:
            raise _Refused("has an empty evaluation form (no answers)",
                           "ask the member to fill in the evaluation and send the file again")
    else:
        returned = _facilitator(identity, values, rel)
        if not returned.answers:
            raise _Refused("has an empty session record (nothing filled in)",
                           "ask the facilitator to fill in the session record and send the file again")
    return returned


def form_values(reader) -> dict[str, str]:
    """The filled-in fields of a PDF form by name: text as written, a button's chosen export value.

    Walks the field tree itself because WeasyPrint names each radio button like its group: a viewer may
    record the choice on the group (`/V`) or only on the button it shows as chosen (`/AS`).
    """
    acroform = reader.trailer["/Root"].get("/AcroForm")
    if acroform is None:
        return {}
    nodes: dict[str, list] = {}
    stack = [(field, None, None) for field in acroform.get_object().get("/Fields", [])]
    seen: set[int] = set()
    while stack:
        ref, name, kind = stack.pop()
        node = ref.get_object()
        if id(node) in seen:
            continue
        seen.add(id(node))
        name = str(node["/T"]) if "/T" in node else name
        kind = node.get("/FT", kind)
        if name is not None:
            nodes.setdefault(name, []).append((node, kind))
        stack += [(kid, name, kind) for kid in node.get("/Kids", [])]
    values = {name: _value(found) for name, found in nodes.items()}
    return {name: value for name, value in values.items() if value}


def _value(found: list) -> str:
    kind = next((k for _, k in found if k is not None), None)
    if kind == "/Btn":
        states = [str(n.get("/V", "")) for n, _ in found] + [str(n.get("/AS", "")) for n, _ in found]
        state = next((s.lstrip("/") for s in states if s.lstrip("/") not in ("", "Off")), "")
        options = next((n["/Opt"] for n, _ in found if "/Opt" in n), None)
        if options is not None and state.isdigit() and int(state) < len(options):
            return str(options[int(state)])  # a radio group's states index its export values
        return state
    texts = [n.get("/V") for n, _ in found if n.get("/V") is not None]
    text = next((t for t in texts if str(t).strip()), "")
    text = "; ".join(str(t) for t in text) if isinstance(text, list) else str(text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _participant(identity: Identity, values: dict[str, str], catalog: Catalog) -> _Returned:
    answers = []
    for evaluation in catalog.evaluations:
        for question, name in question_fields(evaluation):
            if values.get(name):
                answers.append((name, evaluation.session, question, values[name]))
    return _Returned(identity, tuple(answers), (), ())


def _facilitator(identity: Identity, values: dict[str, str], rel: str) -> _Returned:
    answers, records, notes = [], [], []
    for session in (1, 2):
        parts = session_record_parts(session)
        fields = {part: values.get(field.name) for part, field in parts.items()}
        if not any(fields.values()):
            continue
        answers += [(field.name, session, None, fields[part]) for part, field in parts.items() if fields[part]]
        group = identity.group or values.get("group-name") or NO_GROUP
        if group == NO_GROUP:
            notes.append(f"{rel}: the session {session} record names no group — write the group on the cover "
                         "and send the file again, so attendance can be shown per group")
        date = _date(fields["date"])
        if fields["date"] and date is None:
            notes.append(f"{rel}: the session {session} date '{fields['date']}' is not a date — write it as "
                         "2027-01-12 and send the file again")
        numbers = {}
        for key in _NUMBERS:
            numbers[key] = int(fields[key]) if (fields[key] or "").isdigit() else None
            if fields[key] and numbers[key] is None:
                notes.append(f"{rel}: session {session} '{fields[key]}' is not a whole number "
                             f"({key}) — write digits only and send the file again")
        records.append((session, group, date, numbers["members"], numbers["present"], numbers["minutes"]))
    return _Returned(identity, tuple(answers), tuple(records), tuple(notes))


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y")


def _date(written: str | None) -> str | None:
    """ISO date for what a facilitator wrote; day/month order is only guessed where it cannot be wrong."""
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime((written or "").strip(), pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _store(db: sqlite3.Connection, sha: str, rel: str, returned: _Returned) -> str:
    """Store one file in one transaction; the copy's earlier file, if any, stops counting."""
    identity = returned.identity
    key = copy_key(identity, rel)
    with db:
        earlier = db.execute("SELECT sha256 FROM returned_file WHERE copy_key = ? AND current = 1", (key,)).fetchone()
        if earlier:
            db.execute("DELETE FROM answers WHERE sha256 = ?", earlier)
            db.execute("DELETE FROM records WHERE sha256 = ?", earlier)
            db.execute("UPDATE returned_file SET current = 0 WHERE sha256 = ?", earlier)
        db.execute("INSERT INTO returned_file VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)",
                   (sha, key, rel, identity.module, str(identity.edition), identity.form_version,
                    identity.group, identity.member))
        db.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?)", [(sha, *a) for a in returned.answers])
        db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", [(sha, *r) for r in returned.records])
    return "replaced" if earlier else "new"


CSV_COLUMNS = ("response", "module", "edition", "group", "session", "question", "field", "prompt", "value",
               "answer")


def export_csv(db: sqlite3.Connection, path: Path, catalog: Catalog, version: str) -> None:
    """Every current answer, one row each. Members' answers carry neither group nor member, so the sheet
    reads as totals; a session record, which names no one, keeps its group. Answers to forms of another
    version than `catalog`'s are written without their question, which this catalog no longer knows."""
    rows = db.execute("""
        SELECT f.rowid, f.module, f.edition, r.group_label, a.session, a.question, a.field, a.value,
               f.form_version = ?
        FROM answers a JOIN returned_file f USING (sha256)
        LEFT JOIN records r ON r.sha256 = a.sha256 AND r.session = a.session
        WHERE f.current = 1 ORDER BY f.module, f.edition, f.rowid, a.session, a.field""", (version,)).fetchall()
    response_numbers: dict[int, int] = {}
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for rowid, module, edition, group, session, question, field, value, known in rows:
            number = response_numbers.setdefault(rowid, len(response_numbers) + 1)
            prompt, answer = describe(catalog, session, question, field, value) if known else ("", value)
            writer.writerow((number, module, edition, group or "", session, question or "", field, prompt, value,
                             answer))


def describe(catalog: Catalog, session: int, question: int | None, field: str, value: str) -> tuple[str, str]:
    """The question an answer belongs to and the answer in words (a scale point or ticked option by name)."""
    if question is None:
        return next((f.label for f in session_record(session) if f.name == field), field), value
    asked = catalog.evaluation(session).questions[question - 1]
    suffix = field.removeprefix(evaluation_field(session, question)).lstrip("-")
    if asked.response == "scale" and value.isdigit() and 1 <= int(value) <= len(asked.options):
        return asked.prompt, str(asked.options[int(value) - 1])
    if asked.response == "checklist" and suffix.isdigit() and 1 <= int(suffix) <= len(asked.options):
        return f"{asked.prompt}: {asked.options[int(suffix) - 1]}", "ticked"
    return asked.prompt, value

