"""A group's print run: every member's participant copy, each facilitator's copy, and the schedule.

Each module's two editions are rendered once (or taken from the build's cache, which holds no
personal data); the copies are personalised from them (`personalise`). Everything is written to a
scratch folder, checked for facilitator-only text, and only then swapped into build/print/<group>/.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from . import forms
from .audit import Detector, pdf_text
from .build import BuildFailed, cache_dir, render_workbooks
from .fonts import font_face_css
from .groups import Group, GroupModule, GroupSession, Member
from .ics import schedule_ics
from .identity import Identity, form_version, write_identity
from .model import SESSION_NAMES, Catalog, Edition
from .pdf import render_with_fonts
from .personalise import Copy, personalise
from .print_html import print_requests
from .publish import replace_dir
from .scratch import ScratchDir

log = logging.getLogger("peerpress")
PRINT_DIR = Path("build") / "print"


@dataclass(frozen=True)
class PersonalCopy:
    path: str  # relative to the group's folder, e.g. coaching-employees-for-success/m1-participant.pdf
    edition: Edition
    member: Member
    copy: Copy


def when(session: GroupSession) -> str:
    """"Tuesday 12 January 2027, 14:00": the day spelled out, as people check it against a diary."""
    return f"{session.date:%A} {session.date.day} {session.date:%B %Y}, {session.time:%H:%M}"


def copies(group: Group, taken: GroupModule, version: str) -> list[PersonalCopy]:
    """Everyone's participant copy, then the facilitator copy of each session's facilitator."""
    planned = [_copy(group, taken, member, Edition.PARTICIPANT, version) for member in group.members]
    for facilitator in dict.fromkeys(s.facilitator for s in taken.sessions):
        planned.append(_copy(group, taken, group.member(facilitator), Edition.FACILITATOR, version))
    return planned


def _copy(group: Group, taken: GroupModule, member: Member, edition: Edition, version: str) -> PersonalCopy:
    values = {forms.MEMBER_NAME.name: member.name, forms.GROUP_NAME.name: group.name,
              forms.LOCATION.name: group.location, forms.AGREEMENT_NAME.name: member.name,
              forms.MANAGER_NOTE_FROM.name: member.name, forms.GROUP_OUTCOME.name: group.outcome}
    emphasised = set()
    for session in taken.sessions:
        runner = group.member(session.facilitator)
        own = edition == Edition.FACILITATOR and runner.id == member.id
        cover_runner = forms.session_facilitator(session.number).name
        values[forms.session_date(session.number).name] = when(session)
        values[cover_runner] = f"{runner.name} (you)" if own else runner.name
        if edition == Edition.FACILITATOR:
            field = forms.run_sheet_facilitator(session.number).name
            values[field] = (f"You, {when(session)}: this is your session" if own
                             else f"{runner.name}, {when(session)}")
            if own:
                emphasised |= {field, cover_runner}
    # A returned copy says whose it is. Each facilitator's copy too: the two facilitators of a module
    # each return the record of the session they ran, and one must not replace the other.
    identity = Identity(taken.slug, edition, version, group.id, member.id)
    return PersonalCopy(f"{taken.slug}/{member.id}-{edition}.pdf", edition, member,
                        Copy(values, frozenset(emphasised), lambda document: write_identity(document, identity)))


def run_print(root: Path, catalog: Catalog, groups: tuple[Group, ...]) -> list[Path]:
    """Write build/print/<group-id>/ for each group; nothing is replaced unless all of it succeeded."""
    slugs = {taken.slug for group in groups for taken in group.modules}
    requests = [r for r in print_requests(catalog, catalog.settings.paper) if r.slug in slugs]
    results, _ = render_workbooks(catalog, requests, cache_dir(root))
    failed = [f"modules/{r.slug} ({r.edition} workbook): {r.error}" for r in results if r.pdf is None]
    if failed:
        raise BuildFailed("; ".join(failed))
    workbooks = {(r.slug, r.edition): r.pdf for r in results}
    detector = Detector(catalog)
    version = form_version(catalog)
    written = []
    with ScratchDir(root) as work:
        for group in groups:
            folder = work.path / group.id
            planned = [(taken, c) for taken in group.modules for c in copies(group, taken, version)]
            by_workbook: dict[tuple[str, Edition], list[PersonalCopy]] = {}
            for taken, c in planned:
                by_workbook.setdefault((taken.slug, c.edition), []).append(c)
            keys = list(by_workbook)
            made = personalise([(workbooks[key], [c.copy for c in by_workbook[key]]) for key in keys])
            leaks = []
            for key, pdfs in zip(keys, made, strict=True):
                for personal, pdf in zip(by_workbook[key], pdfs, strict=True):
                    if personal.edition == Edition.PARTICIPANT:
                        leaks += detector.find(pdf_text(pdf), f"{group.id}/{personal.path}")
                    target = folder / personal.path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(pdf)
            if leaks:
                for leak in leaks:
                    log.error("peerpress: facilitator-only text in a participant copy: %s", leak)
                raise BuildFailed(f"{len(leaks)} facilitator-only passage(s) in participant copies")
            (folder / "schedule.pdf").write_bytes(schedule_pdf(root, catalog, group))
            stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
            (folder / "schedule.ics").write_bytes(schedule_ics(group, catalog, stamp).encode("utf-8"))
        for group in groups:
            replace_dir(work.path / group.id, root / PRINT_DIR / group.id)
            written.append(root / PRINT_DIR / group.id)
    return written


def schedule_rows(group: Group, catalog: Catalog) -> list[dict]:
    return [{"module": catalog.module(taken.slug).title, "session": f"{s.number}, {SESSION_NAMES[s.number]}",
             "when": when(s), "facilitator": group.member(s.facilitator).name}
            for taken in group.modules for s in taken.sessions]


def schedule_pdf(root: Path, catalog: Catalog, group: Group) -> bytes:
    """The group's modules, dates, times, room and facilitators on one page."""
    import jinja2

    from .settings import PAPER_SIZES

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(root / "overrides" / "print"), autoescape=True)
    document = env.get_template("schedule.html").render(
        group=group, rows=schedule_rows(group, catalog), paper=PAPER_SIZES[catalog.settings.paper],
        css=font_face_css())
    return render_with_fonts(document, pdf_variant="pdf/ua-1")
