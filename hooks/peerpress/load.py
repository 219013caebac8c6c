"""Load `modules/` into the typed model, checking everything first and reporting every problem."""

from __future__ import annotations

import re
from difflib import get_close_matches
from pathlib import Path

from . import page_check
from .lint import lint_project
from .model import (
    RESPONSE_KINDS,
    AgendaItem,
    Catalog,
    Category,
    Evaluation,
    Module,
    Question,
    Reference,
    Session,
    Track,
    Video,
    Worksheet,
)
from .problems import Problem, SourceError
from .schema import Field, check_mapping, check_type, get
from .yaml_source import Key, YamlDoc, load_yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AGREEMENT_FILE, GUIDE_FILE = "agreement.md", "facilitator-guide.md"

CATALOG = {"categories": Field(list, True), "tracks": Field(list), "evaluation": Field(dict, True)}
CATEGORY = {"id": Field(str, True), "title": Field(str, True), "description": Field(str, True)}
TRACK = {"id": Field(str, True), "title": Field(str, True), "description": Field(str, True),
         "modules": Field(list, True, "list the module slugs in order under `modules:`")}
EVALUATION = {"title": Field(str), "instructions": Field(str), "questions": Field(list, True)}
QUESTION = {"prompt": Field(str, True), "response": Field(str, True, "lines, text, checklist or scale"),
            "lines": Field(int), "options": Field(list), "answer_key": Field(str)}
MODULE = {"title": Field(str, True), "category": Field(str, True), "summary": Field(str, True),
          "video": Field(dict), "references": Field(list),
          "sessions": Field(list, True, "add `sessions:` with two entries, exploration then reflection")}
VIDEO = {"title": Field(str, True), "url": Field(str, True), "minutes": Field(int, True)}
REFERENCE = {"title": Field(str, True), "author": Field(str), "url": Field(str), "note": Field(str)}
SESSION = {"minutes": Field(int), "objectives": Field(list, True, "list at least one objective"),
           "agenda": Field(list, True, "list the agenda items, each with title and minutes"),
           "desired_output": Field(str)}
AGENDA_ITEM = {"title": Field(str, True), "minutes": Field(int, True), "facilitator_notes": Field(str)}
WORKSHEET = {"title": Field(str, True), "session": Field(int, True, "write `session: 1` or `session: 2`"),
             "instructions": Field(str), "questions": Field(list, True)}


_loaded: dict[Path, tuple[tuple, Catalog]] = {}


def source_signature(root: Path) -> tuple:
    """Names, sizes and times of every file a catalog load reads: equal signatures, equal catalogs."""
    files = [root / "mkdocs.yml"]
    for folder in ("modules", "docs", "overrides"):
        if (root / folder).is_dir():
            files += sorted(p for p in (root / folder).rglob("*") if p.is_file())
    return tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.exists())


def load_catalog(root: Path) -> Catalog:
    """Load and check `root/modules`; raise SourceError listing every problem found.

    The build loads once for its own checks and once more inside MkDocs; the second load of
    unchanged files returns the same (immutable) catalog.
    """
    signature = source_signature(root)
    if root in _loaded and _loaded[root][0] == signature:
        return _loaded[root][1]
    catalog = _load_catalog(root)
    _loaded[root] = (signature, catalog)
    return catalog


def _load_catalog(root: Path) -> Catalog:
    modules_dir = root / "modules"
    problems: list[Problem] = []
    doc, found = load_yaml(modules_dir / "catalog.yml", "modules/catalog.yml") \
        if (modules_dir / "catalog.yml").is_file() else (None, [
            Problem("modules/catalog.yml", 1, "the catalog file is missing",
                    "create modules/catalog.yml with categories, tracks and evaluation")])
    problems += found
    categories, tracks, evaluation = _catalog_parts(doc, problems) if doc else ((), (), None)
    modules = []
    folders = sorted(p for p in modules_dir.iterdir() if p.is_dir()) if modules_dir.is_dir() else []
    for folder in folders:
        module = _load_module(folder, root, {c.id for c in categories}, problems)
        if module:
            modules.append(module)
    slugs = [f.name for f in folders]  # a module with problems of its own is still a known slug
    if doc:
        for index, track in enumerate(tracks):
            for position, slug in enumerate(track.modules):
                if slug not in slugs:
                    problems.append(Problem(doc.path, doc.line(("tracks", index, "modules", position)),
                                            f"track '{track.id}' lists unknown module '{slug}'",
                                            _nearest(slug, slugs, "module folder")))
    problems += lint_project(root)
    if problems:
        raise SourceError(problems)
    return Catalog(root, categories, tracks, evaluation, tuple(modules),
                   _read_text(modules_dir / AGREEMENT_FILE) or "",
                   _read_text(modules_dir / GUIDE_FILE))


def _catalog_parts(doc: YamlDoc, problems: list[Problem]):
    problems += check_mapping(doc, (), CATALOG, "the catalog")
    categories = tuple(Category(**_fields(doc, key, CATEGORY))
                       for key in _items(doc, ("categories",), CATEGORY, "a category", problems))
    _unique(doc, ("categories",), [c.id for c in categories], "category id", problems)
    tracks = tuple(Track(**{**_fields(doc, key, TRACK), "modules": tuple(get(doc, (*key, "modules")) or ())})
                   for key in _items(doc, ("tracks",), TRACK, "a track", problems))
    _unique(doc, ("tracks",), [t.id for t in tracks], "track id", problems)
    evaluation = None
    found = check_mapping(doc, ("evaluation",), EVALUATION, "the evaluation")
    problems += found
    if not found:
        evaluation = Evaluation(
            str(get(doc, ("evaluation", "title")) or "Session evaluation"),
            str(get(doc, ("evaluation", "instructions")) or ""),
            _questions(doc, ("evaluation", "questions"), problems, answer_keys=False))
    return categories, tracks, evaluation


def _load_module(folder: Path, root: Path, category_ids: set[str], problems: list[Problem]) -> Module | None:
    rel = folder.relative_to(root).as_posix()
    outside = [f for f in folder.rglob("*") if not f.resolve().is_relative_to(root.resolve())]
    if outside or not folder.resolve().is_relative_to(root.resolve()):
        for file in outside or [folder]:
            problems.append(Problem(file.relative_to(root).as_posix(), 1,
                                    "is a link to a file outside the project",
                                    "replace the link with the file itself"))
        return None
    if not SLUG.match(folder.name):
        problems.append(Problem(f"{rel}/module.yml", 1, f"folder name '{folder.name}' is not a valid slug",
                                "use lowercase letters, digits and single hyphens, e.g. giving-feedback"))
        return None
    if not (folder / "module.yml").is_file():
        problems.append(Problem(f"{rel}/module.yml", 1, "module.yml is missing",
                                "every folder under modules/ is a module: add module.yml or remove the folder"))
        return None
    doc, found = load_yaml(folder / "module.yml", f"{rel}/module.yml")
    problems += found
    if doc is None:
        return None
    before = len(problems)
    problems += check_mapping(doc, (), MODULE, "the module")
    problems += _check_urls(doc)
    category = get(doc, ("category",))
    if isinstance(category, str) and category not in category_ids:
        problems.append(Problem(doc.path, doc.line(("category",)), f"unknown category '{category}'",
                                _nearest(category, sorted(category_ids), "category id")))
    worksheets = _load_worksheets(folder, rel, problems)
    sessions = _sessions(doc, folder, rel, problems)
    if len(problems) > before or sessions is None:
        return None
    video_problems = check_mapping(doc, ("video",), VIDEO, "the video") if "video" in doc.data else []
    problems += video_problems
    module = Module(
        slug=folder.name, title=str(doc.data["title"]), category=category,
        summary=str(doc.data["summary"]), sessions=sessions, worksheets=worksheets,
        references=tuple(Reference(**_fields(doc, key, REFERENCE))
                         for key in _items(doc, ("references",), REFERENCE, "a reference", problems)),
        video=Video(**_fields(doc, ("video",), VIDEO))
        if "video" in doc.data and not video_problems else None,
        facilitator_markdown=_read_text(folder / "facilitator.md"),
        folder=folder,
    )
    problems += page_check.check_module_pages(module)
    return module if len(problems) == before else None


def _sessions(doc: YamlDoc, folder: Path, rel: str, problems: list[Problem]):
    keys = _items(doc, ("sessions",), SESSION, "a session", problems)
    raw = get(doc, ("sessions",))
    if isinstance(raw, list) and len(raw) != 2:
        problems.append(Problem(doc.path, doc.line(("sessions",)),
                                f"a module has exactly two sessions, this one has {len(raw)}",
                                "keep one exploration session and one reflection session, in that order"))
        return None
    sessions = []
    for number, key in enumerate(keys, start=1):
        minutes = get(doc, (*key, "minutes")) or 90
        agenda = tuple(AgendaItem(**_fields(doc, item, AGENDA_ITEM))
                       for item in _items(doc, (*key, "agenda"), AGENDA_ITEM, "an agenda item", problems))
        if get(doc, (*key, "agenda")) == []:
            problems.append(Problem(doc.path, doc.line((*key, "agenda")), "the agenda is empty",
                                    "list at least one agenda item with title and minutes"))
        total = sum(i.minutes for i in agenda)
        timed = all(isinstance(i.minutes, int) and not isinstance(i.minutes, bool) for i in agenda)
        if agenda and timed and isinstance(minutes, int) and total != minutes:
            problems.append(Problem(doc.path, doc.line((*key, "agenda")),
                                    f"session {number} agenda adds up to {total} minutes, not {minutes}",
                                    f"{'shorten' if total > minutes else 'lengthen'} items by "
                                    f"{abs(total - minutes)} minutes in all, or set the session's `minutes:`"))
        objectives = get(doc, (*key, "objectives"))
        for index, _ in enumerate(objectives if isinstance(objectives, list) else []):
            problems += check_type(doc, (*key, "objectives", index), str, "an objective")
        if objectives == []:
            problems.append(Problem(doc.path, doc.line((*key, "objectives")), "no objectives",
                                    "list at least one objective"))
        page = folder / f"session-{number}.md"
        if not page.is_file():
            problems.append(Problem(f"{rel}/session-{number}.md", 1, f"session-{number}.md is missing",
                                    f"create the page for session {number}"))
            continue
        sessions.append(Session(number, minutes, tuple(str(o) for o in objectives or ()), agenda,
                                _text_or_none(get(doc, (*key, "desired_output"))),
                                _read_text(page) or "", f"{rel}/session-{number}.md"))
    return tuple(sessions) if len(sessions) == 2 else None


def _load_worksheets(folder: Path, rel: str, problems: list[Problem]) -> tuple[Worksheet, ...]:
    worksheets = []
    for file in sorted((folder / "worksheets").glob("*.yml")):
        path = f"{rel}/worksheets/{file.name}"
        if not SLUG.match(file.stem):
            problems.append(Problem(path, 1, f"worksheet id '{file.stem}' is not valid",
                                    "name the file with lowercase letters, digits and hyphens"))
            continue
        doc, found = load_yaml(file, path)
        problems += found
        found = check_mapping(doc, (), WORKSHEET, "the worksheet") if doc else []
        problems += found
        if doc is None or found:
            continue
        session = doc.data["session"]
        if session not in (1, 2):
            problems.append(Problem(path, doc.line(("session",)), f"session {session} does not exist",
                                    "write `session: 1` (exploration) or `session: 2` (reflection)"))
        worksheets.append(Worksheet(file.stem, str(doc.data["title"]), session,
                                    str(doc.data.get("instructions") or ""),
                                    _questions(doc, ("questions",), problems, answer_keys=True), path))
    return tuple(worksheets)


def _questions(doc: YamlDoc, key: Key, problems: list[Problem], answer_keys: bool) -> tuple[Question, ...]:
    spec = QUESTION if answer_keys else {k: v for k, v in QUESTION.items() if k != "answer_key"}
    questions = []
    if get(doc, key) == []:
        problems.append(Problem(doc.path, doc.line(key), "no questions", "add at least one question"))
    for item in _items(doc, key, spec, "a question", problems):
        data = _fields(doc, item, spec)
        response = data["response"]
        where = doc.line((*item, "response"))
        if response not in RESPONSE_KINDS:
            problems.append(Problem(doc.path, where, f"unknown response kind '{response}'",
                                    _nearest(str(response), RESPONSE_KINDS, "response kind")))
            continue
        if response == "lines" and not (isinstance(data.get("lines"), int) and 1 <= data["lines"] <= 30):
            problems.append(Problem(doc.path, doc.line((*item, "lines")),
                                    "a `lines` question needs `lines:` between 1 and 30",
                                    "add `lines: 4` (the number of writing lines)"))
        if response != "lines" and data.get("lines") is not None:
            problems.append(Problem(doc.path, doc.line((*item, "lines")),
                                    f"`lines:` only applies to `response: lines`, not {response}",
                                    "remove `lines:` or change the response kind"))
        options = data.get("options")
        if response in ("checklist", "scale"):
            if not (isinstance(options, list) and len(options) >= 2
                    and all(isinstance(o, (str, int)) and str(o).strip() for o in options)):
                problems.append(Problem(doc.path, doc.line((*item, "options")),
                                        f"a {response} question needs `options:` with at least two entries",
                                        "add e.g. `options: [Never, Sometimes, Often]`"))
                continue
        elif options is not None:
            problems.append(Problem(doc.path, doc.line((*item, "options")),
                                    f"`options:` only applies to checklist and scale, not {response}",
                                    "remove `options:` or change the response kind"))
        questions.append(Question(str(data["prompt"]), response, data.get("lines") or 0,
                                  tuple(str(o) for o in options or ()),
                                  _text_or_none(data.get("answer_key"))))
    return tuple(questions)


def _check_urls(doc: YamlDoc) -> list[Problem]:
    """Links printed on the site and in workbooks must be web addresses (no javascript:, file:)."""
    keys = [("video", "url")] + [("references", i, "url") for i in range(len(get(doc, ("references",)) or []))
                                 if isinstance(get(doc, ("references",)), list)]
    problems = []
    for key in keys:
        url = get(doc, key)
        if isinstance(url, str) and not re.match(r"https?://[^\s/]+", url):
            problems.append(Problem(doc.path, doc.line(key), f"'{url}' is not a web address",
                                    "use a full address starting with https://"))
    return problems


def _items(doc: YamlDoc, key: Key, spec, what: str, problems: list[Problem]) -> list[Key]:
    """Keys of the valid entries of the list at `key`; problems for the others."""
    value = get(doc, key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem(doc.path, doc.line(key), f"'{key[-1]}' should be a list",
                                "start each entry on its own line with `- `"))
        return []
    keys = []
    for index in range(len(value)):
        found = check_mapping(doc, (*key, index), spec, what)
        problems += found
        if not found:
            keys.append((*key, index))
    return keys


def _fields(doc: YamlDoc, key: Key, spec) -> dict:
    data = get(doc, key)
    return {name: (str(data[name]) if spec[name].kind is str and data.get(name) is not None
                   else data.get(name)) for name in spec}


def _unique(doc: YamlDoc, key: Key, ids: list[str], what: str, problems: list[Problem]) -> None:
    seen = set()
    for index, value in enumerate(ids):
        if value in seen:
            problems.append(Problem(doc.path, doc.line((*key, index, "id")), f"{what} '{value}' is used twice",
                                    "give each entry its own id"))
        seen.add(value)


def _nearest(value: str, choices, what: str) -> str:
    close = get_close_matches(value, list(choices), n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"use an existing {what}: {', '.join(choices)}" if choices else f"no {what} exists yet"


def _read_text(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _text_or_none(value) -> str | None:
    return str(value) if value is not None and str(value).strip() else None
