"""The leak audit: facilitator-only text searched for in every participant output file.

Every facilitator-only passage is cut into runs of five words; runs that also occur in participant
sources are dropped (they are ordinary phrases, not leaks). Any remaining run, or a planted marker
such as `LEAKTEST-12ab`, found in any file under the site fails the build and names the file.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .edition import find_blocks
from .edition import participant_text as split_participant_text
from .load import digest_files
from .model import Catalog
from .publish import replace_file
from .sanitise import local_links
from .views import participant_view

RUN = 5
_WORD = re.compile(r"[a-z0-9]+")
_MARKER = re.compile(r"\b[A-Z][A-Z0-9]{2,}-[A-Za-z0-9]{4,}\b")


@dataclass(frozen=True)
class Leak:
    file: str
    passage: str
    source: str
    also_in_templates: bool = False  # the templates print it too: likely an echo, still never allowed

    def __str__(self) -> str:
        text = f"{self.file}: \"{self.passage}\" (from {self.source})"
        if self.also_in_templates:
            text += (" — the workbook templates print these words to participants too; reword them in "
                     f"{self.source.split(' ')[0]} so facilitator-only text stays searchable")
        return text


def words(text: str) -> list[str]:
    return _WORD.findall(html.unescape(text).lower())


def runs(text: str) -> set[str]:
    found = words(text)
    return {" ".join(found[i:i + RUN]) for i in range(len(found) - RUN + 1)}


_CLAUSE_END = re.compile(r"[.!?:;]+(?:\s|$)")


def clause_runs(text: str) -> set[str]:
    """Runs that stay within one sentence or clause of `text`.

    A run across "…before session 2: a habit…" would match any page where a heading ending in
    "session 2" meets a paragraph starting with "A": words from two places, not a leak.
    """
    return {run for clause in _CLAUSE_END.split(text) for run in runs(clause)}


def facilitator_passages(catalog: Catalog) -> list[tuple[str, str]]:
    """(source, text) for every facilitator-only passage of the catalog."""
    passages = []
    for source, text in _shared_pages(catalog):
        blocks, _ = find_blocks(text, source)
        passages += [(source, text[b.body_start:b.body_end]) for b in blocks]
    if catalog.facilitator_guide:
        passages.append(("modules/facilitator-guide.md", catalog.facilitator_guide))
    for module in catalog.modules:
        base = f"modules/{module.slug}"
        if module.facilitator_markdown:
            passages.append((f"{base}/facilitator.md", module.facilitator_markdown))
        for session in module.sessions:
            if session.desired_output:
                passages.append((f"{base}/module.yml (desired_output)", session.desired_output))
            for item in session.agenda:
                passages += [(f"{base}/module.yml (facilitator_notes)", text)
                             for text in item.facilitator_notes.texts()] if item.facilitator_notes else []
                passages += [(f"{base}/module.yml (materials)", item.materials)] if item.materials else []
            blocks, _ = find_blocks(session.markdown, session.source)
            passages += [(session.source, session.markdown[b.body_start:b.body_end]) for b in blocks]
        for worksheet in module.worksheets:
            passages += [(worksheet.source, q.answer_key) for q in worksheet.questions if q.answer_key]
    return passages


def participant_text(catalog: Catalog) -> str:
    """All participant source text: what participant outputs may legitimately contain."""
    return "\n".join(participant_texts(catalog).values())


def participant_texts(catalog: Catalog) -> dict[str | None, str]:
    """Participant source text by owner: each module's slug, and None for the shared pages."""
    parts = []
    for source, text in _shared_pages(catalog):
        blocks, _ = find_blocks(text, source)
        parts.append(split_participant_text(text, blocks))
    catalog_file = catalog.root / "modules" / "catalog.yml"
    parts.append(catalog_file.read_text(encoding="utf-8"))
    texts: dict[str | None, str] = {None: "\n".join(parts)}
    for module in catalog.modules:
        view = participant_view(module)
        parts = [view.title, view.summary, *(r.title + " " + (r.note or "") for r in view.references),
                 view.manager_note.practice, *view.manager_note.support]
        for session in view.sessions:
            parts += [session.markdown, *session.objectives, *(f"{i.title}. {i.method}." for i in session.agenda)]
        for worksheet in view.worksheets:
            parts += [worksheet.title, worksheet.instructions,
                      *(q.prompt + " " + " ".join(q.options) for q in worksheet.questions)]
        texts[module.slug] = "\n".join(parts)
    return texts


def _owner(source: str) -> str | None:
    """The module a facilitator passage comes from (`modules/<slug>/…`), or None for a shared text."""
    parts = source.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "modules" else None


FACILITATOR_TEMPLATES = ("run-sheet.html",)  # rendered for the facilitator edition only


def _template_text(root: Path) -> str:
    """The words templates and fixed forms print in participant workbooks (not under `{% if facilitator %}`).

    They are never allowed text: a template can leak too. They only explain a leak that is an echo.
    """
    from jinja2 import Environment, nodes

    from . import forms

    def words(node) -> list[str]:
        if isinstance(node, nodes.TemplateData):
            return [node.data]
        names = [node.test, *node.test.find_all(nodes.Name)] if isinstance(node, nodes.If) else []
        if any(isinstance(n, nodes.Name) and n.name == "facilitator" for n in names):
            return [w for child in node.else_ for w in words(child)]
        return [w for child in node.iter_child_nodes() for w in words(child)]

    files = [f for f in sorted((root / "overrides" / "peerpress").glob("*.html"))
             if f.name not in FACILITATOR_TEMPLATES]
    files.append(root / "overrides" / "print" / "workbook.html")
    env = Environment()
    text = [re.sub(r"<[^>]+>", " ", "".join(words(env.parse(f.read_text(encoding="utf-8"))))) for f in files]
    fields = [*forms.COVER, forms.GROUP_OUTCOME, forms.MANAGER_NOTE_FROM, *forms.PRACTICE_CARD]
    return "\n".join(text + [f.label for f in fields])


def _shared_pages(catalog: Catalog) -> list[tuple[str, str]]:
    """The pages outside modules that reach participants: shared texts and program pages."""
    pages = [("modules/agreement.md", catalog.agreement), ("modules/hr-card.md", catalog.hr_card or ""),
             ("modules/manager-note.md", catalog.manager_note)]
    docs = catalog.root / "docs"
    pages += [(p.relative_to(catalog.root).as_posix(), p.read_text(encoding="utf-8"))
              for p in sorted(docs.rglob("*.md"))] if docs.is_dir() else []
    return pages


def _spans(starts: list[int]) -> list[tuple[int, int]]:
    """Merge run start positions into (first, last) spans of consecutive starts."""
    spans: list[tuple[int, int]] = []
    for start in starts:
        if spans and start == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], start)
        else:
            spans.append((start, start))
    return spans


class Detector:
    """Finds facilitator-only runs and markers in text."""

    def __init__(self, catalog: Catalog):
        by_owner = participant_texts(catalog)
        allowed_text = "\n".join(by_owner.values())
        allowed = runs(allowed_text)
        joined = {owner: f" {' '.join(words(text))} " for owner, text in by_owner.items()}
        allowed_markers = {m.lower() for m in _MARKER.findall(allowed_text)}
        self.runs: dict[str, str] = {}
        self.markers: dict[str, str] = {}
        # A whole facilitator-only value is a leak wherever it appears, even where a participant
        # field of its own module holds the same words (a value copied across, say): its runs are
        # not "allowed". Where another module's participant text says the same (a common
        # instruction such as "a round, one sentence each"), the words cannot be told apart.
        self.whole: dict[str, str] = {}
        passages = [(source, text, words(text)) for source, text in facilitator_passages(catalog)]
        # Only an owner whose text has a value's first run can hold the whole value: the others are
        # not searched, which keeps this linear in the size of the catalog.
        firsts = {" ".join(found[:RUN]) for _, _, found in passages if len(found) >= RUN}
        owners_of: dict[str, set[str]] = {}
        for owner, text in by_owner.items():
            for run in runs(text) & firsts:
                owners_of.setdefault(run, set()).add(owner)
        for source, text, found in passages:
            owner, value = _owner(source), f" {' '.join(found)} "
            elsewhere = any(value in joined[other] for other in owners_of.get(" ".join(found[:RUN]), set()) - {owner})
            if len(found) >= RUN and not elsewhere:
                self.whole.setdefault(" ".join(found), source)
            for run in clause_runs(text) - allowed:
                self.runs.setdefault(run, source)
            for marker in _MARKER.findall(text):
                if marker.lower() not in allowed_markers:
                    self.markers.setdefault(marker.lower(), source)
        self._first_run = {passage: " ".join(passage.split()[:RUN]) for passage in self.whole}
        self._whole_firsts = set(self._first_run.values())
        self._marker_pattern = (re.compile("|".join(re.escape(m).replace(r"\-", "[-_ ]?")
                                                    for m in self.markers), re.IGNORECASE)
                                if self.markers else None)

    def fingerprint(self) -> str:
        """What the Detector searches for, and the code that searches: equal fingerprints, equal findings."""
        digest = hashlib.sha256(Path(__file__).read_bytes())
        for table in (self.runs, self.whole, self.markers):
            digest.update("\n".join(sorted(table)).encode() + b"\0")
        return digest.hexdigest()

    def _passages(self, found: list[str], present: set[str], file: str) -> list[Leak]:
        """Leaked runs of the words `found`, merged into the longest passages they form."""
        if not present & self.runs.keys():
            return []
        starts = [i for i in range(len(found) - RUN + 1) if " ".join(found[i:i + RUN]) in self.runs]
        return [Leak(file, " ".join(found[first:last + RUN]), self.runs[" ".join(found[first:first + RUN])])
                for first, last in _spans(starts)]

    def _wholes(self, found: list[str], present: set[str], file: str, leaks: list[Leak]) -> list[Leak]:
        """Whole facilitator values in the words `found`, not already inside one of `leaks`.

        Only a value whose first run is present can be there: the text is searched for those alone,
        as a search index holds megabytes and a catalog thousands of values."""
        candidates = present & self._whole_firsts
        if not candidates:
            return []
        joined = f" {' '.join(found)} "
        return [Leak(file, passage, source) for passage, source in self.whole.items()
                if self._first_run[passage] in candidates and f" {passage} " in joined
                and not any(passage in leak.passage for leak in leaks)]

    def find(self, text: str, file: str, markers_only: bool = False) -> list[Leak]:
        leaks = []
        if not markers_only:
            found = words(text)
            present = {" ".join(found[i:i + RUN]) for i in range(len(found) - RUN + 1)}
            leaks = self._passages(found, present, file)
            leaks += self._wholes(found, present, file, leaks)
        for line in text.splitlines():
            if line.startswith(ATTACHMENT_MARK):
                leaks.append(Leak(file, "an embedded file: " + line[len(ATTACHMENT_MARK):].strip(),
                                  "participant PDFs embed no files"))
        if self._marker_pattern:
            for match in self._marker_pattern.finditer(text):
                key = next(m for m in self.markers if re.fullmatch(
                    re.escape(m).replace(r"\-", "[-_ ]?"), match.group(0), re.IGNORECASE))
                leaks.append(Leak(file, match.group(0), self.markers[key]))
        return leaks


def audit_outputs(catalog: Catalog, site_dir: Path, text_cache: Path | None = None,
                  theme_dirs: tuple[Path, ...] = (), record: CleanRecord | None = None) -> list[Leak]:
    """Every leak of facilitator-only text into any file under `site_dir`.

    `text_cache` keeps the text extracted from each PDF under the hash of its bytes, so an
    unchanged workbook is not parsed again on the next build. A file that is byte for byte a file
    of a `theme_dirs` folder (the theme's own scripts) is searched for markers only: it cannot
    hold our text, and a library's prose shares everyday five-word phrases with anyone's.
    `record`, made beforehand for the same catalog and `text_cache`, saves the time of making it here.
    """
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    record = record or CleanRecord(catalog, text_cache)
    leaks: list[Leak] = []
    for file in files:
        rel = file.relative_to(site_dir).as_posix()
        data = file.read_bytes()
        from_theme = any((d / rel).is_file() and (d / rel).read_bytes() == data for d in theme_dirs)
        seen = f"{hashlib.sha256(data).hexdigest()}{' theme' if from_theme else ''}"
        if record.passed(seen):
            continue  # the same bytes passed against the same facilitator text before
        found = record.detector().find(_file_text(file, text_cache), rel, markers_only=from_theme)
        leaks += found
        if not found:
            record.add(seen)
    leaks += unreferenced_assets(site_dir)
    if leaks:
        printed = runs(_template_text(catalog.root))
        leaks = [replace(leak, also_in_templates=bool(runs(leak.passage) & printed)) for leak in leaks]
    record.save()
    return leaks


def unreferenced_assets(site_dir: Path) -> list[Leak]:
    """Files under modules/ that no page of the site links to or shows: published for no reader."""
    modules = site_dir / "modules"
    assets = sorted(f for f in modules.rglob("*") if f.is_file() and f.suffix != ".html") if modules.is_dir() else []
    if not assets:  # nothing to look for: the pages need not be read
        return []
    referenced = set()
    for page in site_dir.rglob("*.html"):
        for target in local_links(page.read_text(encoding="utf-8", errors="ignore")):
            referenced.add((page.parent / target).resolve())
    return [Leak(file.relative_to(site_dir).as_posix(), "a file no participant page shows",
                 "only what participant pages reference is published")
            for file in assets if file.resolve() not in referenced]


class CleanRecord:
    """The files the audit found clean, and the facilitator text they were searched for.

    Building the Detector takes about half a second at two dozen modules, so the record names the
    facilitator text twice: by the sources it came from (an unchanged catalog need not build it) and
    by its own content (an edit that leaves facilitator text alone keeps every file found clean).
    A file passes when its bytes, and whether it was read as a theme file, passed before.
    """

    def __init__(self, catalog: Catalog, text_cache: Path | None):
        self.catalog = catalog
        self.path = text_cache / "clean.json" if text_cache else None
        self._detector: Detector | None = None
        self.sources = _sources_digest(catalog)
        saved = self._read()
        if saved.get("sources") == self.sources:
            self.needles = saved.get("needles")
        else:  # sources changed: the facilitator text may not have
            self.needles = self.detector().fingerprint()
        self.clean: set[str] = set(saved.get("clean", ())) if saved.get("needles") == self.needles else set()
        self._checked: set[str] = set()

    def detector(self) -> Detector:
        self._detector = self._detector or Detector(self.catalog)
        return self._detector

    def passed(self, seen: str) -> bool:
        self._checked.add(seen)
        return seen in self.clean

    def add(self, seen: str) -> None:
        self.clean.add(seen)

    def save(self) -> None:
        """Keep what passed among the files of this build."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for old in self.path.parent.glob("clean-*.json"):  # one record per source state, before
            old.unlink(missing_ok=True)
        record = {"sources": self.sources, "needles": self.needles, "clean": sorted(self.clean & self._checked)}
        replace_file(self.path, json.dumps(record).encode())

    def _read(self) -> dict:
        try:
            saved = json.loads(self.path.read_text()) if self.path else {}
        except (FileNotFoundError, ValueError):  # none yet, or not ours to read
            return {}
        well_formed = (isinstance(saved, dict) and isinstance(saved.get("clean"), list)
                       and all(isinstance(seen, str) for seen in saved["clean"]))
        return saved if well_formed else {}  # anything else: every file is searched again


def _sources_digest(catalog: Catalog) -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest_files(digest, catalog.root, [catalog.root / "modules", catalog.root / "docs"])
    return digest.hexdigest()


def _file_text(file: Path, text_cache: Path | None = None) -> str:
    if file.suffix == ".pdf":
        if text_cache is None:
            return pdf_text(file)
        cached = text_cache / (hashlib.sha256(file.read_bytes()).hexdigest() + ".txt")
        if not cached.is_file():
            remember_pdf_text(text_cache, file.read_bytes(), pdf_text(file))
        return cached.read_text(encoding="utf-8")
    data = file.read_bytes()
    if file.suffix == ".gz":
        import gzip

        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="ignore")
    if file.suffix == ".json":
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def prune_text_cache(text_cache: Path, site_dir: Path) -> None:
    """Keep only the extracted text of the PDFs now in `site_dir`."""
    keep = {hashlib.sha256(p.read_bytes()).hexdigest() + ".txt" for p in site_dir.rglob("*.pdf")}
    for file in text_cache.glob("*.txt") if text_cache.is_dir() else []:
        if file.name not in keep:
            file.unlink(missing_ok=True)


def remember_pdf_text(text_cache: Path, pdf: bytes, text: str) -> None:
    """Store text extracted elsewhere (a render worker) so the audit does not parse the PDF again."""
    text_cache.mkdir(parents=True, exist_ok=True)
    (text_cache / (hashlib.sha256(pdf).hexdigest() + ".txt")).write_text(text, encoding="utf-8")


def pdf_text(pdf: Path | bytes) -> str:
    """Everything a reader of the PDF can get at: pages, metadata, outline, fields, attachments."""
    import io

    import pypdfium2
    from pypdf import PdfReader

    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    document = pypdfium2.PdfDocument(data)  # fast page text; pypdf parses pages forty times slower
    parts = [document[i].get_textpage().get_text_bounded() for i in range(len(document))]
    parts += [str(value) for value in document.get_metadata_dict().values()]
    parts += [item.get_title() for item in document.get_toc()]
    document.close()
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # WeasyPrint's radio groups make it chatty
    reader = PdfReader(io.BytesIO(_unpacked(data)))
    for name, field in (reader.get_fields() or {}).items():
        parts += [name, str(field.get("/V", "")), str(field.get("/TU", ""))]
    for name, contents in embedded_files(reader):
        parts += [f"{ATTACHMENT_MARK} {name}", contents.decode("utf-8", errors="ignore")]
    for page in reader.pages:
        for annotation in _annotations(page):
            parts += [str(annotation.get(key, "")) for key in ("/Contents", "/T", "/TU", "/RC")]
    return "\n".join(parts)


def _unpacked(data: bytes) -> bytes:
    """The PDF with its objects written out one by one rather than packed in object streams.

    pypdf unpacks a whole object stream to reach one object in it, so reading a workbook's fields
    and annotations parsed every object of the file; unpacked first (by pikepdf, in C++), it reads
    only what it asks for, in a third of the time. A file pikepdf cannot open is read as it is.
    """
    import io

    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            out = io.BytesIO()
            document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                          stream_decode_level=pikepdf.StreamDecodeLevel.none)
            return out.getvalue()
    except pikepdf.PdfError:
        return data


ATTACHMENT_MARK = "PEERPRESS-ATTACHED-FILE"  # what the audit reads as "this PDF embeds a file"


def embedded_files(reader) -> list[tuple[str, bytes]]:
    """Every file a PDF carries: document attachments and file-attachment annotations alike."""
    files = [(name, content) for name, contents in (reader.attachments or {}).items() for content in contents]
    for page in reader.pages:
        for annotation in _annotations(page):
            if annotation.get("/Subtype") == "/FileAttachment":
                spec = annotation.get("/FS")
                spec = spec.get_object() if spec is not None else {}
                stream = (spec.get("/EF") or {}).get("/F")
                data = stream.get_object().get_data() if stream is not None else b""
                files.append((str(spec.get("/UF") or spec.get("/F") or "file"), data))
    return files



def _annotations(page) -> list:
    annotations = page.get("/Annots")
    annotations = annotations.get_object() if annotations is not None else []
    return [a.get_object() for a in annotations]
