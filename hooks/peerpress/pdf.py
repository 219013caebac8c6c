"""Workbook HTML to PDF with WeasyPrint: a restricted fetcher, a worker pool and a cache.

Workers import WeasyPrint once each; every PDF is cached under a hash of its print HTML (which
already holds the sources, templates and CSS) plus the renderer's versions and fonts, so an
unchanged module is copied, not rendered again.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from .identity import Identity, write_identity
from .model import Edition
from .page_fill import fit_sections
from .pdf_tags import add_scope
from .print_html import PrintJob, PrintRequest
from .publish import replace_file

log = logging.getLogger("peerpress")
# WeasyPrint narrates every layout step at INFO; the build log keeps its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
# Fillable fields, and tagged PDF/UA-1 for screen readers: measured at about the same render time
# as untagged output (scripts/bench.py prints both).
RENDER_OPTIONS = {"pdf_forms": True, "pdf_variant": "pdf/ua-1"}


@dataclass(frozen=True)
class RenderResult:
    slug: str
    edition: Edition
    pdf: bytes | None
    warnings: tuple[str, ...]
    error: str | None = None
    text: str | None = None  # what the leak audit reads, extracted in the worker


def make_fetcher(allowed_dirs: tuple[str, ...]):
    """A WeasyPrint URL fetcher that serves data: URIs and files inside `allowed_dirs`, nothing else."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    roots = [Path(d).resolve() for d in allowed_dirs]

    class RestrictedFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False,
                             fail_on_errors=True)

        def fetch(self, url, headers=None):
            scheme = urlparse(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()  # follows symlinks and ..
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    return URLFetcherResponse(url, body=path.read_bytes())
            raise FatalURLFetchingError(f"blocked resource {url}: only files inside the project's "
                                        "overrides/, docs/ and the module's folder may be used")

    return RestrictedFetcher()


def render(job: PrintJob) -> RenderResult:
    """Render one job in this process; warnings from WeasyPrint's logger are returned, not lost."""
    import weasyprint

    collected: list[str] = []
    handler = _ListHandler(collected)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        def render_pdf(html_text: str):
            document = weasyprint.HTML(string=html_text, base_url=Path(job.base_dir).as_uri() + "/",
                                       url_fetcher=make_fetcher(job.allowed_dirs)).render(**RENDER_OPTIONS)
            return document, document.write_pdf(**RENDER_OPTIONS)

        # A section ending on a near-empty page is set a little tighter or looser and laid out again.
        document, written = fit_sections(job.html, render_pdf)
        attached = [str(a.url if hasattr(a, "url") else a) for a in document.metadata.attachments or []]
        attached += [target for page in document.pages for kind, target, *_ in page.links if kind == "attachment"]
        if attached:  # workbooks embed no files, in either edition
            return RenderResult(job.slug, job.edition, None, tuple(collected),
                                f"the workbook would embed {', '.join(attached)}: workbooks embed no files; "
                                "remove the rel=\"attachment\" link")
        pdf = _finish(written, Identity(job.slug, job.edition, job.form_version))
        text = None
        if job.edition == Edition.PARTICIPANT:
            from .audit import pdf_text

            text = pdf_text(pdf)
        return RenderResult(job.slug, job.edition, pdf, tuple(collected), text=text)
    except BaseException as error:  # FatalURLFetchingError is a BaseException
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        cause = error.__cause__ or error
        return RenderResult(job.slug, job.edition, None, tuple(collected), f"{error} ({cause})")
    finally:
        logger.removeHandler(handler)


def render_with_fonts(html_text: str, **options) -> bytes:
    """A small document of our own (no author content) whose only resources are the workbook fonts."""
    import weasyprint

    from .fonts import font_dirs

    fetcher = make_fetcher(tuple(str(folder) for folder in font_dirs()))
    pdf = weasyprint.HTML(string=html_text, url_fetcher=fetcher).write_pdf(**options)
    return _finish(pdf) if options.get("pdf_variant") else pdf  # a tagged document's tables need their scope


def _finish(pdf: bytes, identity: Identity | None = None) -> bytes:
    """What WeasyPrint does not write: table header scope (PDF/UA) and the workbook's identity."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        add_scope(document)
        if identity is not None:
            write_identity(document, identity)
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
        return out.getvalue()


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record):
        self.sink.append(record.getMessage())


RENDER_SECONDS = int(os.environ.get("PEERPRESS_RENDER_SECONDS", "120"))  # per workbook
RENDER_MEMORY = int(os.environ.get("PEERPRESS_RENDER_MEMORY_MB", "3072")) * 1024 * 1024  # per worker


_PR_SET_PDEATHSIG = 1


def _end_with_parent(parent_pid: int) -> None:
    """Make this worker die with the build that started it, however the build ends.

    A pool's workers otherwise outlive a parent killed with SIGKILL: they wait for work forever,
    re-parented to init. Linux's parent-death signal is sent by the kernel itself, so it holds even
    for kill -9; elsewhere a watchdog thread polls the parent's pid. The pool is always created and
    drained by one thread, which matters because the signal follows the thread that forked.
    """
    import ctypes
    import ctypes.util
    import signal
    import threading
    import time

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        armed = False
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        def watch():
            while os.getppid() == parent_pid:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()


def _warm_up(parent_pid: int):
    import resource

    _end_with_parent(parent_pid)
    # A pathological page fails with MemoryError in its worker instead of exhausting the machine.
    resource.setrlimit(resource.RLIMIT_AS, (RENDER_MEMORY, RENDER_MEMORY))
    import weasyprint  # noqa: F401  (import once per worker, not once per PDF)


FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """Versions and fonts that change a PDF without changing its HTML."""
    from importlib.metadata import version

    fonts = []
    for folder in FONT_DIRS:
        for file in sorted(Path(folder).expanduser().rglob("*")) if Path(folder).expanduser().is_dir() else []:
            if file.is_file():
                stat = file.stat()
                fonts.append(f"{file} {stat.st_size} {stat.st_mtime_ns}")
    # Package versions from their metadata: importing WeasyPrint here would cost more than the check.
    packaged = " ".join(f"{name} {version(name)}" for name in ("font-source-serif-pro", "font-source-sans-pro"))
    # The code that changes the PDF after WeasyPrint (header scope, identity) changes cached PDFs too.
    here = Path(__file__).parent
    post = hashlib.sha256(b"".join((here / name).read_bytes() for name in ("pdf.py", "pdf_tags.py", "identity.py")))
    return f"weasyprint {version('weasyprint')} pydyf {version('pydyf')} options {RENDER_OPTIONS}\n" \
           + f"{packaged}\npost-processing {post.hexdigest()}\n" + "\n".join(fonts)


def cache_key(request: PrintRequest) -> str:
    """The renderer's fingerprint plus the workbook's own input key (see `print_html.input_key`)."""
    return hashlib.sha256(f"{renderer_fingerprint()}\0{request.key}".encode()).hexdigest()


class RenderBatch:
    """Renders the workbooks missing from `cache_dir` in one pool of workers, in the background.

    `submit` may be called again while earlier work runs: a facilitator edition goes in as soon as
    its participant edition is done, into the same pool, so no worker waits for the slowest module.
    Print HTML is only made for the workbooks that are not in the cache.
    """

    def __init__(self, cache_dir: Path, workers: int | None = None):
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.cache_dir = cache_dir
        self.keys: set[str] = set()
        self._workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None
        self._work: list[_Work] = []
        self._timed_out = False  # the workers were killed: nothing more renders in this batch

    def submit(self, requests: list[PrintRequest], make_job: Callable[[PrintRequest], PrintJob]) -> list[_Work]:
        """Take each request from the cache, or start rendering it; returns them in order."""
        submitted = []
        for request in requests:
            key = cache_key(request)
            self.keys.add(key)
            cached = self.cache_dir / f"{key}.pdf"
            if cached.is_file():
                work = _Work(request, key, RenderResult(request.slug, request.edition, cached.read_bytes(), ()))
            elif self._timed_out:
                work = _Work(request, key, RenderResult(request.slug, request.edition, None, (), _STOPPED))
            else:
                work = _Work(request, key, future=self._executor().submit(render, make_job(request)))
            submitted.append(work)
        self._work += submitted
        return submitted

    def discard(self, work: _Work) -> None:
        """Forget a workbook submitted on a guess that proved wrong: not waited for, not cached."""
        if work.future is not None:
            work.future.cancel()  # a render already running finishes unread
        self._work.remove(work)
        self.keys.discard(work.key)

    def completed(self, work: list[_Work], unless: Future | None = None):
        """Yield each of `work` with its result as soon as it is done: cached ones first. Stops
        early if `unless` (a task running beside the renders) fails."""
        waiting = list(work)
        while waiting:
            if unless is not None and unless.done() and unless.exception() is not None:
                return
            done = [w for w in waiting if w.result is not None or w.future.done()]
            if not done:
                running = {w.future for w in waiting} | ({unless} if unless and not unless.done() else set())
                finished, _ = wait(running, timeout=RENDER_SECONDS, return_when=FIRST_COMPLETED)
                if not finished:  # the oldest job running has had its whole time
                    self._time_out(waiting)
                continue
            for w in done:
                waiting.remove(w)
                yield w, self._result(w)

    def results(self) -> list[RenderResult]:
        """Wait for every workbook submitted, in submission order; new renders go into the cache."""
        try:
            for _ in self.completed(self._work):
                pass
        finally:
            self.cancel()
        for work in self._work:
            if work.future is not None and work.result.pdf is not None and not work.result.warnings:
                replace_file(self.cache_dir / f"{work.key}.pdf", work.result.pdf)
        return [work.result for work in self._work]

    def counts(self, edition: Edition) -> tuple[int, int]:
        """(from the cache, rendered) among the submitted workbooks of `edition`."""
        mine = [w for w in self._work if w.request.edition == edition]
        return sum(w.future is None for w in mine), sum(w.future is not None for w in mine)

    def _result(self, work: _Work) -> RenderResult:
        if work.result is None:
            try:
                work.result = work.future.result()
            except Exception as error:  # a worker killed by the memory limit, for one
                reason = _STOPPED if self._timed_out else f"rendering failed: {type(error).__name__}: {error}"
                work.result = RenderResult(work.request.slug, work.request.edition, None, (), reason)
        return work.result

    def _time_out(self, waiting: list[_Work]) -> None:
        for work in waiting:
            if work.future is not None and work.future.running():
                work.result = RenderResult(work.request.slug, work.request.edition, None, (),
                                           f"rendering took longer than {RENDER_SECONDS} s; "
                                           "look for a huge table or deeply nested lists")
        self._timed_out = True
        for process in list((self._pool and self._pool._processes or {}).values()):
            process.kill()

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self._workers, initializer=_warm_up,
                                             initargs=(os.getpid(),))
        return self._pool

    def cancel(self) -> None:
        if self._pool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


_STOPPED = "not rendered: the renders stopped at a workbook past its time limit"


@dataclass
class _Work:
    """One requested workbook: taken from the cache (`result` set at once) or rendering (`future`)."""

    request: PrintRequest
    key: str  # its cache key
    result: RenderResult | None = None
    future: Future | None = None


def render_jobs(jobs: list[PrintJob], workers: int | None = None) -> list[RenderResult]:
    """Render jobs in the worker pool with no cache at all (the benchmark's raw WeasyPrint figure)."""
    with ProcessPoolExecutor(max_workers=min(workers or os.cpu_count() or 1, len(jobs)),
                             initializer=_warm_up, initargs=(os.getpid(),)) as pool:
        return list(pool.map(render, jobs))


def prune_cache(cache_dir: Path, keep: set[str]) -> None:
    for file in cache_dir.glob("*.pdf"):
        if file.stem not in keep:
            file.unlink(missing_ok=True)
    for file in cache_dir.glob("*.tmp"):
        if _age_seconds(file) > 3600:  # another build's may still be on its way in
            file.unlink(missing_ok=True)


def _age_seconds(file: Path) -> float:
    import time

    try:
        return time.time() - file.stat().st_mtime
    except FileNotFoundError:
        return 0.0
