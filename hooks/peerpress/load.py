"""Load `modules/` into the typed model, checking everything first and reporting every problem."""

from __future__ import annotations

import re
from pathlib import Path

from . import page_check
from .agenda import load_agenda_item
from .lint import lint_project
from .measures import MEASURES
from .model import (
    RESPONSE_KINDS,
    Catalog,
    Category,
    Evaluation,
    ManagerNote,
    Module,
    Question,
    Reference,
    Session,
    Track,
    Video,
    Worksheet,
)
from .problems import Problem, SourceError
from .schema import Field, check_entries, check_mapping, did_you_mean, get
from .settings import load_settings
from .svg_check import svg_problems
from .text_fields import text_field_problems
from .yaml_source import Key, YamlDoc, load_yaml

HR_CATEGORIES = ("performance-management", "supervision", "conflict-management")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AGREEMENT_FILE, GUIDE_FILE, HR_CARD_FILE = "agreement.md", "facilitator-guide.md", "hr-card.md"
MANAGER_NOTE_FILE = "manager-note.md"

CATALOG = {"categories": Field(list, True), "tracks": Field(list), "outcomes": Field(list),
           "evaluations": Field(dict, True, "add `evaluations:` with `session_1:` and `session_2:` forms")}
EVALUATIONS = {"session_1": Field(dict, True, "add the session 1 form under `session_1:`"),
               "session_2": Field(dict, True, "add the session 2 form under `session_2:`")}
CATEGORY = {"id": Field(str, True), "title": Field(str, True), "description": Field(str, True)}
TRACK = {"id": Field(str, True), "title": Field(str, True), "description": Field(str, True),
         "modules": Field(list, True, "list the module slugs in order under `modules:`")}
EVALUATION = {"title": Field(str, True),
              "instructions": Field(str, True, "say who collects the form and what happens to the answers"),
              "questions": Field(list, True)}
QUESTION = {"prompt": Field(str, True), "response": Field(str, True, "lines, text, checklist, scale or grid"),
            "lines": Field(int), "options": Field(list), "rows": Field(list), "columns": Field(list),
            "answer_key": Field(str)}
# An evaluation's questions have no answer key; they may name the report figure they give (peerpress.measures).
EVALUATION_QUESTION = {**{k: v for k, v in QUESTION.items() if k != "answer_key"},
                       "measure": Field(str, hint="one of: " + ", ".join(m.id for m in MEASURES
                                                                        if m.response == "scale")),
                       "measures": Field(dict, hint="a mapping from an option to a measure, e.g. "
                                                    "`measures: {I felt safe: felt-safe}`")}
MODULE = {"title": Field(str, True), "category": Field(str, True), "summary": Field(str, True),
          "video": Field(dict), "references": Field(list), "hr_card": Field(bool),
          "manager_note": Field(dict, True, "add `manager_note:` with `practice:` and `support:` "
                                            "(the page a member hands to their own manager)"),
          "sessions": Field(list, True, "add `sessions:` with two entries, exploration then reflection")}
MANAGER_NOTE = {"practice": Field(str, True, "say, to the member's manager, what the member will practise"),
                "support": Field(list, True, "list two to four things the member's manager can do to help")}
VIDEO = {"title": Field(str, True), "url": Field(str, True), "minutes": Field(int, True)}
REFERENCE = {"title": Field(str, True), "author": Field(str), "url": Field(str), "note": Field(str)}
SESSION = {"minutes": Field(int), "objectives": Field(list, True, "list at least one objective"),
           "agenda": Field(list, True, "list the agenda items, each with title and minutes"),
           "desired_output": Field(str)}
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
    doc, found = _read_yaml(modules_dir / "catalog.yml", "modules/catalog.yml") \
        if (modules_dir / "catalog.yml").is_file() else (None, [
            Problem("modules/catalog.yml", 1, "the catalog file is missing",
                    "create modules/catalog.yml with categories, tracks and evaluations")])
    problems += found
    categories, tracks, evaluation, outcomes = _catalog_parts(doc, problems) if doc else ((), (), None, ())
    modules = []
    folders = sorted(p for p in modules_dir.iterdir() if p.is_dir()) if modules_dir.is_dir() else []
    templates = folder_signature(root / "overrides") if (root / "overrides").is_dir() else ()
    for folder in folders:
        module = _load_module_once(folder, root, {c.id for c in categories}, templates, problems)
        if module:
            modules.append(module)
    for gone in [f for f in _modules if f.parent == modules_dir and f not in folders]:
        del _modules[gone]
    slugs = [f.name for f in folders]  # a module with problems of its own is still a known slug
    if doc:
        for index, track in enumerate(tracks):
            for position, slug in enumerate(track.modules):
                if slug not in slugs:
                    problems.append(Problem(doc.path, doc.line(("tracks", index, "modules", position)),
                                            f"track '{track.id}' lists unknown module '{slug}'",
                                            _nearest(slug, slugs, "module folder")))
    problems += lint_project(root)
    problems += _shared_page_problems(root)
    settings, found = load_settings(root)
    problems += found
    if problems:
        raise SourceError(problems)
    return Catalog(root, categories, tracks, evaluation, tuple(modules),
                   _read_text(modules_dir / AGREEMENT_FILE) or "",
                   _read_text(modules_dir / GUIDE_FILE), _read_text(modules_dir / HR_CARD_FILE),
                   _read_text(modules_dir / MANAGER_NOTE_FILE) or "", settings, outcomes)


def _shared_page_problems(root: Path) -> list[Problem]:
    """The shared texts and the program pages under docs/ follow the same rules as module pages."""
    problems = []
    for name, rules in ((AGREEMENT_FILE, page_check.SHARED_PAGE), (HR_CARD_FILE, page_check.SHARED_PAGE),
                        (MANAGER_NOTE_FILE, page_check.SHARED_PAGE),
                        (GUIDE_FILE, page_check.GUIDE_PAGE)):
        text = _read_text(root / "modules" / name)
        if text is not None:
            problems += page_check.check_page(text, f"modules/{name}", rules)[0]
    docs = root / "docs"
    for page in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        problems += page_check.check_page(page.read_text(encoding="utf-8"), page.relative_to(root).as_posix(),
                                          page_check.PROGRAM_PAGE)[0]
    if docs.is_dir():
        problems += svg_problems(docs, root)
    return problems


def _catalog_parts(doc: YamlDoc, problems: list[Problem]):
    problems += check_mapping(doc, (), CATALOG, "the catalog")
    categories = tuple(Category(**_fields(doc, key, CATEGORY))
                       for key in _items(doc, ("categories",), CATEGORY, "a category", problems))
    _unique(doc, ("categories",), [c.id for c in categories], "category id", problems)
    tracks = tuple(Track(**{**_fields(doc, key, TRACK), "modules": tuple(get(doc, (*key, "modules")) or ())})
                   for key in _items(doc, ("tracks",), TRACK, "a track", problems))
    _unique(doc, ("tracks",), [t.id for t in tracks], "track id", problems)
    found = check_entries(doc, ("outcomes",), str, "an outcome")
    problems += found
    outcomes = () if found else tuple(str(o) for o in get(doc, ("outcomes",)) or ())
    evaluations = None
    if isinstance(get(doc, ("evaluations",)), dict):
        problems += check_mapping(doc, ("evaluations",), EVALUATIONS, "the evaluations")
        forms = []
        for number in (1, 2):
            key = ("evaluations", f"session_{number}")
            if not isinstance(get(doc, key), dict):
                continue
            found = check_mapping(doc, key, EVALUATION, f"the session {number} evaluation")
            problems += found
            questions = _questions(doc, (*key, "questions"), problems, answer_keys=False)
            if not found:
                forms.append(Evaluation(number, str(get(doc, (*key, "title"))),
                                        str(get(doc, (*key, "instructions"))), questions))
        evaluations = tuple(forms) if len(forms) == 2 else None
    return categories, tracks, evaluations, outcomes


_modules: dict[Path, tuple[tuple, list[Problem], Module | None]] = {}


def _load_module_once(folder: Path, root: Path, category_ids: set[str], templates: tuple,
                      problems: list[Problem]) -> Module | None:
    """`_load_module`, remembered per folder: the live preview reloads the catalog on every save, and
    a one-module edit should not re-check the other modules. Same files, categories and macro
    templates (`templates`, their signature; the checks render the macros): same result."""
    key = (root.resolve(), frozenset(category_ids), templates, folder_signature(folder))
    if folder not in _modules or _modules[folder][0] != key:
        found: list[Problem] = []
        _modules[folder] = (key, found, _load_module(folder, root, category_ids, found))
    problems += _modules[folder][1]
    return _modules[folder][2]


def digest_files(digest, root: Path, paths) -> None:
    """Add the names (relative to `root`) and contents of the files at `paths`, folders walked, to `digest`.

    Contents, not times: a key for caches that must change with what a file says, however it was saved.
    """
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")


def folder_signature(folder: Path) -> tuple:
    """Names, sizes and times of every file under `folder`: equal signatures, unchanged files."""
    # Where each link points as well: a link moved outside the project must be reported again.
    entries = [(f, f.stat(), f.is_symlink()) for f in sorted(folder.rglob("*")) if f.exists()]
    return (str(folder.resolve()), *((str(f), str(f.resolve()) if link else "", s.st_size, s.st_mtime_ns)
                                     for f, s, link in entries))


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
    # Every check runs whatever the others found, so an author sees all problems in one run.
    found: list[Problem] = []
    doc, yaml_problems = _read_yaml(folder / "module.yml", f"{rel}/module.yml")
    found += yaml_problems
    worksheets, infos = _load_worksheets(folder, rel, found)
    sessions = manager_note = None
    if doc is not None:
        found += check_mapping(doc, (), MODULE, "the module")
        found += _check_urls(doc)
        category = get(doc, ("category",))
        if isinstance(category, str) and category not in category_ids:
            found.append(Problem(doc.path, doc.line(("category",)), f"unknown category '{category}'",
                                 _nearest(category, sorted(category_ids), "category id")))
        if category in HR_CATEGORIES and get(doc, ("hr_card",)) is not True:
            found.append(Problem(doc.path, doc.line(("category",)),
                                 f"modules in {category} touch what HR must handle, so they print the HR card",
                                 "add `hr_card: true` (the card is modules/hr-card.md)"))
        if "video" in (doc.data if isinstance(doc.data, dict) else {}):
            found += check_mapping(doc, ("video",), VIDEO, "the video")
        sessions = _sessions(doc, folder, rel, found)
        manager_note = _manager_note(doc, found)
    pages = [(text, f"{rel}/{name}", number) for number, name in ((1, "session-1.md"), (2, "session-2.md"),
                                                                   (None, "facilitator.md"))
             if (text := _read_text(folder / name)) is not None]
    found += svg_problems(folder, root)
    found += page_check.check_module_pages(folder.name, pages, infos)
    problems += found
    if found or doc is None or sessions is None or manager_note is None:
        return None
    return Module(
        slug=folder.name, title=str(doc.data["title"]), category=doc.data["category"],
        summary=str(doc.data["summary"]), sessions=sessions, manager_note=manager_note, worksheets=worksheets,
        references=tuple(Reference(**_fields(doc, key, REFERENCE))
                         for key in _items(doc, ("references",), REFERENCE, "a reference", problems)),
        video=Video(**_fields(doc, ("video",), VIDEO)) if "video" in doc.data else None,
        facilitator_markdown=_read_text(folder / "facilitator.md"),
        hr_card=doc.data.get("hr_card") is True,
        folder=folder,
    )


def _sessions(doc: YamlDoc, folder: Path, rel: str, problems: list[Problem]):
    valid = set(_items(doc, ("sessions",), SESSION, "a session", problems))
    raw = get(doc, ("sessions",))
    if isinstance(raw, list) and len(raw) != 2:
        problems.append(Problem(doc.path, doc.line(("sessions",)),
                                f"a module has exactly two sessions, this one has {len(raw)}",
                                "keep one exploration session and one reflection session, in that order"))
        return None
    sessions = []
    # A session with a problem of its own still has its agenda and objectives checked.
    for number, key in enumerate(_mappings(doc, ("sessions",)), start=1):
        minutes = get(doc, (*key, "minutes")) or 90
        agenda = _agenda(doc, (*key, "agenda"), problems)
        if get(doc, (*key, "agenda")) == []:
            problems.append(Problem(doc.path, doc.line((*key, "agenda")), "the agenda is empty",
                                    "list at least one agenda item with title and minutes"))
        problems += _agenda_total(doc, key, number, minutes)
        objectives = get(doc, (*key, "objectives"))
        problems += check_entries(doc, (*key, "objectives"), str, "an objective")
        if objectives == []:
            problems.append(Problem(doc.path, doc.line((*key, "objectives")), "no objectives",
                                    "list at least one objective"))
        page = folder / f"session-{number}.md"
        if not page.is_file():
            problems.append(Problem(f"{rel}/session-{number}.md", 1, f"session-{number}.md is missing",
                                    f"create the page for session {number}"))
            continue
        if key in valid:
            sessions.append(Session(number, minutes, tuple(str(o) for o in objectives or ()), agenda,
                                    _text_or_none(get(doc, (*key, "desired_output"))),
                                    _read_text(page) or "", f"{rel}/session-{number}.md"))
    return tuple(sessions) if len(sessions) == 2 else None


def _agenda(doc: YamlDoc, key: Key, problems: list[Problem]) -> tuple:
    items = get(doc, key)
    if items is not None and not isinstance(items, list):
        problems.append(Problem(doc.path, doc.line(key), "'agenda' should be a list",
                                "start each item on its own line with `- `"))
        return ()
    agenda = []
    for index in range(len(items or [])):
        item, found = load_agenda_item(doc, (*key, index))
        problems += found
        if item:
            agenda.append(item)
    return tuple(agenda)


def _manager_note(doc: YamlDoc, problems: list[Problem]) -> ManagerNote | None:
    if not isinstance(get(doc, ("manager_note",)), dict):
        return None  # missing or mistyped: reported with the module's fields
    found = check_mapping(doc, ("manager_note",), MANAGER_NOTE, "the manager_note")
    support = get(doc, ("manager_note", "support"))
    found += check_entries(doc, ("manager_note", "support"), str, "an entry of support in manager_note")
    if support == []:
        found.append(Problem(doc.path, doc.line(("manager_note", "support")), "support in manager_note is empty",
                             "list two to four things the member's manager can do to help"))
    problems += found
    return None if found else ManagerNote(str(get(doc, ("manager_note", "practice"))).strip(),
                                          tuple(str(s) for s in support))


def _agenda_total(doc: YamlDoc, key: Key, number: int, minutes) -> list[Problem]:
    """The agenda's minutes against the session's, counting items that have problems of their own."""
    items = get(doc, (*key, "agenda"))
    if not isinstance(items, list) or not items or not isinstance(minutes, int):
        return []
    times = [item.get("minutes") if isinstance(item, dict) else None for item in items]
    if not all(isinstance(t, int) and not isinstance(t, bool) for t in times):
        return []  # an item without a usable time is reported on its own; a total would mislead
    total = sum(times)
    if total == minutes:
        return []
    return [Problem(doc.path, doc.line((*key, "agenda")),
                    f"session {number} agenda adds up to {total} minutes, not {minutes}",
                    f"{'shorten' if total > minutes else 'lengthen'} items by "
                    f"{abs(total - minutes)} minutes in all, or set the session's `minutes:`")]


def _mappings(doc: YamlDoc, key: Key) -> list[Key]:
    value = get(doc, key)
    return [(*key, i) for i, item in enumerate(value)] if isinstance(value, list) and all(
        isinstance(item, dict) for item in value) else []


def _load_worksheets(folder: Path, rel: str, problems: list[Problem]):
    """The valid worksheets, and what the page checks need of every worksheet file."""
    worksheets, infos = [], {}
    for file in sorted((folder / "worksheets").glob("*.yml")):
        path = f"{rel}/worksheets/{file.name}"
        if not SLUG.match(file.stem):
            problems.append(Problem(path, 1, f"worksheet id '{file.stem}' is not valid",
                                    "name the file with lowercase letters, digits and hyphens"))
            continue
        doc, found = _read_yaml(file, path)
        problems += found
        session = get(doc, ("session",)) if doc else None
        infos[file.stem] = page_check.WorksheetInfo(session if session in (1, 2) else None, path)
        found = check_mapping(doc, (), WORKSHEET, "the worksheet") if doc else []
        problems += found
        if doc is None or not isinstance(doc.data, dict):
            continue
        questions = _questions(doc, ("questions",), problems, answer_keys=True)
        if session is not None and session not in (1, 2):
            problems.append(Problem(path, doc.line(("session",)), f"session {session} does not exist",
                                    "write `session: 1` (exploration) or `session: 2` (reflection)"))
        elif not found:
            worksheets.append(Worksheet(file.stem, str(doc.data["title"]), session,
                                        str(doc.data.get("instructions") or ""), questions, path))
    return tuple(worksheets), infos


def _questions(doc: YamlDoc, key: Key, problems: list[Problem], answer_keys: bool) -> tuple[Question, ...]:
    spec = QUESTION if answer_keys else EVALUATION_QUESTION
    questions, measured = [], {}
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
        grid = {name: data.get(name) for name in ("rows", "columns")}
        if response == "grid":
            bad = [name for name, names in grid.items()
                   if not (isinstance(names, list) and names and all(str(n).strip() for n in names))]
            for name in bad:
                problems.append(Problem(doc.path, doc.line((*item, name)),
                                        f"a grid question needs `{name}:` with at least one name",
                                        "add e.g. `rows: [Person 1, Person 2]` and `columns: [Task, Level]`"))
            if bad:
                continue
        else:
            for name, names in grid.items():
                if names is not None:
                    problems.append(Problem(doc.path, doc.line((*item, name)),
                                            f"`{name}:` only applies to `response: grid`, not {response}",
                                            f"remove `{name}:` or change the response kind"))
        measure, option_measures = _measures(doc, item, data, response, measured, problems)
        questions.append(Question(str(data["prompt"]), response, data.get("lines") or 0,
                                  tuple(str(o) for o in options or ()),
                                  _text_or_none(data.get("answer_key")),
                                  tuple(str(r) for r in grid["rows"] or ()) if response == "grid" else (),
                                  tuple(str(c) for c in grid["columns"] or ()) if response == "grid" else (),
                                  measure, option_measures))
    return tuple(questions)


def _measures(doc: YamlDoc, item: Key, data: dict, response: str, measured: dict[str, int],
              problems: list[Problem]) -> tuple[str | None, tuple[tuple[int, str], ...]]:
    """An evaluation question's report figures: `measure:` on a scale, `measures:` on a checklist's options.

    `measured` holds the figures already named in this form, with their lines: each may be named once.
    """
    def named(measure_id, line: int, kind: str) -> bool:
        known = [m.id for m in MEASURES if m.response == kind]
        if measure_id not in known:
            problems.append(Problem(doc.path, line, f"unknown {kind} measure '{measure_id}'",
                                    _nearest(str(measure_id), known, f"{kind} measure")))
            return False
        if measure_id in measured:
            problems.append(Problem(doc.path, line, f"the measure '{measure_id}' is already given at line "
                                    f"{measured[measure_id]}", "each figure comes from one question of a form"))
            return False
        measured[measure_id] = line
        return True

    measure, option_measures = None, []
    if data.get("measure") is not None:
        line = doc.line((*item, "measure"))
        if response != "scale":
            problems.append(Problem(doc.path, line, f"`measure:` only applies to `response: scale`, not {response}",
                                    "on a checklist, name the options that count with `measures:`"))
        elif named(data["measure"], line, "scale"):
            measure = data["measure"]
    if data.get("measures") is not None:
        line = doc.line((*item, "measures"))
        options = [str(o) for o in data.get("options") or ()]
        if response != "checklist":
            problems.append(Problem(doc.path, line, f"`measures:` only applies to `response: checklist`, not "
                                    f"{response}", "on a scale, write `measure:` with one measure"))
            return measure, ()
        for option, measure_id in data["measures"].items():
            where = doc.line((*item, "measures", option))
            if str(option) not in options:
                problems.append(Problem(doc.path, where, f"'{option}' is not one of this question's options",
                                        _nearest(str(option), options, "option")))
            elif named(measure_id, where, "checklist"):
                option_measures.append((options.index(str(option)) + 1, measure_id))
    return measure, tuple(option_measures)


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
    otherwise = f"use an existing {what}: {', '.join(choices)}" if choices else f"no {what} exists yet"
    return did_you_mean(value, choices, otherwise, cutoff=0.5)


def _read_yaml(file: Path, display_path: str) -> tuple[YamlDoc | None, list[Problem]]:
    doc, problems = load_yaml(file, display_path)
    return doc, problems + (text_field_problems(doc) if doc else [])


def _read_text(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _text_or_none(value) -> str | None:
    return str(value) if value is not None and str(value).strip() else None
