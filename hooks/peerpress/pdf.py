"""Workbook HTML to PDF with WeasyPrint: a restricted fetcher, a worker pool and a cache.

Workers import WeasyPrint once each; every PDF is cached under a hash of its print HTML (which
already holds the sources, templates and CSS) plus the renderer's versions and fonts, so an
unchanged module is copied, not rendered again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
from concurrent.futures import ProcessPoolExecutor, TimeoutError
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from .print_html import PrintJob

log = logging.getLogger("peerpress")
# WeasyPrint narrates every layout step at INFO; the build log keeps its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
# Fillable fields, and tagged PDF/UA-1 for screen readers: measured at about the same render time
# as untagged output (scripts/bench.py prints both).
RENDER_OPTIONS = {"pdf_forms": True, "pdf_variant": "pdf/ua-1"}


@dataclass(frozen=True)
class RenderResult:
    slug: str
    edition: str
    pdf: bytes | None
    warnings: tuple[str, ...]
    error: str | None = None


class BlockedResource(Exception):
    pass


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
        html = weasyprint.HTML(string=job.html, base_url=Path(job.base_dir).as_uri() + "/",
                               url_fetcher=make_fetcher(job.allowed_dirs))
        pdf = html.write_pdf(**RENDER_OPTIONS)
        return RenderResult(job.slug, job.edition, pdf, tuple(collected))
    except BaseException as error:  # FatalURLFetchingError is a BaseException
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        cause = error.__cause__ or error
        return RenderResult(job.slug, job.edition, None, tuple(collected), f"{error} ({cause})")
    finally:
        logger.removeHandler(handler)


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record):
        self.sink.append(record.getMessage())


RENDER_SECONDS = int(os.environ.get("PEERPRESS_RENDER_SECONDS", "120"))  # per workbook
RENDER_MEMORY = int(os.environ.get("PEERPRESS_RENDER_MEMORY_MB", "3072")) * 1024 * 1024  # per worker


def _warm_up():
    import resource

    # A pathological page fails with MemoryError in its worker instead of exhausting the machine.
    resource.setrlimit(resource.RLIMIT_AS, (RENDER_MEMORY, RENDER_MEMORY))
    import weasyprint  # noqa: F401  (import once per worker, not once per PDF)


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """Versions and fonts that change a PDF without changing its HTML."""
    import pydyf
    import weasyprint

    try:
        fonts = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True,
                               timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        fonts = "fc-list unavailable"
    return f"weasyprint {weasyprint.__version__} pydyf {pydyf.__version__} options {RENDER_OPTIONS}\n" \
           + "\n".join(sorted(fonts.splitlines()))


def cache_key(job: PrintJob) -> str:
    """A hash of all that feeds the PDF: its HTML (sources, templates, CSS), the module's other
    files (images a page may use), and the renderer. Absolute paths stay out, so a moved
    checkout keeps its cache."""
    digest = hashlib.sha256()
    for part in (renderer_fingerprint(), job.html):
        digest.update(part.encode())
        digest.update(b"\0")
    folder = Path(job.base_dir)
    for file in sorted(folder.rglob("*")):
        if file.is_file() and file.suffix not in (".md", ".yml"):
            digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


class RenderBatch:
    """Renders the jobs missing from `cache_dir` in a pool of workers, in the background.

    Start it before building the site so the two overlap; `results()` waits for the workers.
    """

    def __init__(self, jobs: list[PrintJob], cache_dir: Path, workers: int | None = None):
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.cache_dir = cache_dir
        self.keys: set[str] = set()
        self._cached: list[RenderResult] = []
        self._pending: list[tuple[PrintJob, Path]] = []
        for job in jobs:
            key = cache_key(job)
            self.keys.add(key)
            cached = cache_dir / f"{key}.pdf"
            if cached.is_file():
                self._cached.append(RenderResult(job.slug, job.edition, cached.read_bytes(), ()))
            else:
                self._pending.append((job, cached))
        log.info("peerpress: %d workbook(s) unchanged, %d to render", len(self._cached), len(self._pending))
        self._pool = None
        self._futures = []
        if self._pending:
            workers = min(workers or os.cpu_count() or 1, len(self._pending))
            self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm_up)
            self._futures = [self._pool.submit(render, job) for job, _ in self._pending]

    def results(self) -> list[RenderResult]:
        """Wait for the workers; a workbook still rendering after its time limit fails the batch."""
        rendered = []
        try:
            for (job, _), future in zip(self._pending, self._futures, strict=True):
                try:
                    rendered.append(future.result(timeout=RENDER_SECONDS))
                except TimeoutError:
                    rendered.append(RenderResult(job.slug, job.edition, None, (),
                                                 f"rendering took longer than {RENDER_SECONDS} s; "
                                                 "look for a huge table or deeply nested lists"))
                    self._kill_workers()
                    break
                except Exception as error:  # a worker killed by the memory limit, for one
                    rendered.append(RenderResult(job.slug, job.edition, None, (),
                                                 f"rendering failed: {type(error).__name__}: {error}"))
        finally:
            self.cancel()
        for (_, cached), result in zip(self._pending, rendered, strict=False):
            if result.pdf is not None and not result.warnings:
                temp = cached.with_suffix(".tmp")
                temp.write_bytes(result.pdf)
                os.replace(temp, cached)
        return self._cached + rendered

    def _kill_workers(self) -> None:
        for process in list((self._pool and self._pool._processes or {}).values()):
            process.kill()

    def cancel(self) -> None:
        if self._pool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def render_all(jobs: list[PrintJob], cache_dir: Path, workers: int | None = None) -> list[RenderResult]:
    """Render every job, taking unchanged PDFs from `cache_dir`; failures are returned, not raised."""
    return RenderBatch(jobs, cache_dir, workers).results()


def prune_cache(cache_dir: Path, keep: set[str]) -> None:
    for file in cache_dir.glob("*.pdf"):
        if file.stem not in keep:
            file.unlink(missing_ok=True)
    for file in cache_dir.glob("*.tmp"):
        file.unlink(missing_ok=True)
