"""The whole build: workbooks (in worker processes) and site side by side into a scratch
directory, then the leak audit, then publish. Nothing is replaced unless every step passed."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .audit import CleanRecord, audit_outputs, prune_text_cache, remember_pdf_text
from .model import Catalog, Edition
from .pages import WORKBOOK_DIR, workbook_name
from .participant_pages import PageMemo, participant_pages
from .pdf import RenderBatch, RenderResult, prune_cache
from .print_html import PrintRequest, print_job, print_requests, with_pages
from .publish import replace_dir
from .scratch import SCRATCH, ScratchDir, sweep_stale
from .site_generator import SiteBuildError, SiteGenerator

log = logging.getLogger("peerpress")


class BuildFailed(Exception):
    pass


def cache_dir(root: Path) -> Path:
    return root / SCRATCH / "cache"


def audit_text_dir(root: Path) -> Path:
    """Text the audit extracted from PDFs, and the hashes of files it found clean."""
    return root / SCRATCH / "audit-text"


def run_build(root: Path, catalog: Catalog, site: SiteGenerator, pdf: bool = True) -> None:
    """Build everything; replace `site/` and `build/facilitator/` only if all of it succeeded."""
    for folder in sweep_stale(root):
        log.info("peerpress: removed %s, left by a build that is no longer running", folder.relative_to(root))
    work = ScratchDir(root)
    scratch = work.path
    try:
        site_dir, facilitator_dir = scratch / "site", scratch / "facilitator"
        facilitator_dir.mkdir()
        cache = cache_dir(root)

        prepared: list[CleanRecord] = []

        def site_alongside():
            try:
                site.build(root, site_dir, workbooks=pdf)
            except SiteBuildError as error:
                raise BuildFailed(str(error)) from None
            # What the audit searches for, worked out while the last workbooks render.
            prepared.append(CleanRecord(catalog, audit_text_dir(root)))

        if pdf:
            results, keys = render_workbooks(catalog, print_requests(catalog, catalog.settings.paper), cache,
                                             while_participant_render=site_alongside)
            _write_workbooks(results, site_dir / WORKBOOK_DIR, facilitator_dir, audit_text_dir(root))
            prune_cache(cache, keys)
        else:
            site_alongside()
        leaks = audit_outputs(catalog, site_dir, audit_text_dir(root), site.copied_asset_dirs(), *prepared)
        if leaks:
            for leak in leaks:
                log.error("peerpress: facilitator-only text in participant output: %s", leak)
            raise BuildFailed(f"{len(leaks)} facilitator-only passage(s) found in participant output")
        if pdf:
            prune_text_cache(audit_text_dir(root), site_dir)
        replace_dir(site_dir, root / "site")
        if pdf:
            replace_dir(facilitator_dir, root / "build" / "facilitator")
        log.info("peerpress: built %d modules into site/%s", len(catalog.modules),
                 " and build/facilitator/" if pdf else " (no workbooks)")
    finally:
        work.close()


def render_workbooks(catalog: Catalog, requests: list[PrintRequest], cache: Path,
                     while_participant_render=None) -> tuple[list[RenderResult], set[str]]:
    """Render (or take from the cache) the requested workbooks. `while_participant_render` runs meanwhile.

    A facilitator edition prints its participant edition's page numbers: it starts at once on the
    numbers of the module's last build, and is rendered again only if the real ones differ.
    """
    paper = catalog.settings.paper
    memo = PageMemo(cache / "participant-pages.json")
    batch = RenderBatch(cache)
    facilitator = {r.slug: r for r in requests if r.edition == Edition.FACILITATOR}
    started: dict[str, tuple[dict[str, int] | None, object]] = {}  # slug: (the pages it prints, its work)

    def start(slug: str, pages: dict[str, int] | None) -> None:
        request = with_pages(facilitator[slug], pages)
        started[slug] = (pages, batch.submit([request], lambda r: print_job(catalog, r, paper, pages))[0])

    def pages_of(work) -> dict[str, int]:
        pages = memo.known(work.request.slug, work.key)
        pages = participant_pages(work.result.pdf) if pages is None else pages
        memo.remember(work.request.slug, work.key, pages)
        return pages

    try:
        participant = [w for w in batch.submit([r for r in requests if r.edition == Edition.PARTICIPANT],
                                               lambda r: print_job(catalog, r, paper))
                       if w.request.slug in facilitator]
        for work in participant:
            if work.result is not None and work.result.pdf is not None:  # from the cache: numbers known now
                start(work.request.slug, pages_of(work))
            elif work.result is None and memo.guess(work.request.slug) is not None:
                start(work.request.slug, memo.guess(work.request.slug))
        _log_counts(batch, Edition.PARTICIPANT)
        # In a thread, so a facilitator edition goes to the workers as soon as its participant edition is done.
        with ThreadPoolExecutor(1) as thread:
            alongside = thread.submit(while_participant_render or (lambda: None))
            for work, result in batch.completed(participant, unless=alongside):
                slug = work.request.slug
                if result.pdf is None:
                    continue
                pages = pages_of(work)
                if slug in started and started[slug][0] != pages:
                    log.info("peerpress: %s: facilitator edition rendered again: the participant page numbers "
                             "changed", slug)
                    batch.discard(started.pop(slug)[1])
                if slug not in started:
                    start(slug, pages)
            alongside.result()  # its failure is the build's, without waiting for the workbooks
        # Without its participant edition (it failed, or was not asked for), a facilitator edition prints no pages.
        for slug in [slug for slug in facilitator if slug not in started]:
            start(slug, None)
        _log_counts(batch, Edition.FACILITATOR)
        results = batch.results()
        memo.save({module.slug for module in catalog.modules})
        return results, batch.keys
    finally:
        batch.cancel()


def _log_counts(batch: RenderBatch, edition: Edition) -> None:
    cached, rendering = batch.counts(edition)
    if cached or rendering:
        log.info("peerpress: %d workbook(s) unchanged, %d to render (%s)", cached, rendering, edition)


def render_participant_workbooks(catalog: Catalog, site_dir: Path) -> None:
    """Participant workbooks for the live preview (`make serve PDF=1`), from the build's cache."""
    paper = catalog.settings.paper
    requests = [r for r in print_requests(catalog, paper) if r.edition == Edition.PARTICIPANT]
    batch = RenderBatch(cache_dir(catalog.root))
    batch.submit(requests, lambda r: print_job(catalog, r, paper))
    folder = site_dir / WORKBOOK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for result in batch.results():
        for warning in result.warnings:
            log.warning("modules/%s: WeasyPrint: %s", result.slug, warning)
        if result.pdf is None:
            log.warning("modules/%s: workbook not rendered: %s", result.slug, result.error)
            continue
        (folder / workbook_name(result.slug, Edition.PARTICIPANT)).write_bytes(result.pdf)


def _write_workbooks(results: list[RenderResult], participant_dir: Path, facilitator_dir: Path,
                     text_cache: Path) -> None:
    participant_dir.mkdir(parents=True, exist_ok=True)
    problems = []
    for result in results:
        where = f"modules/{result.slug} ({result.edition} workbook)"
        for warning in result.warnings:
            problems.append(f"{where}: WeasyPrint: {warning}")
        if result.error:
            problems.append(f"{where}: {result.error}")
            continue
        if result.text is not None:
            remember_pdf_text(text_cache, result.pdf, result.text)
        folder = participant_dir if result.edition == Edition.PARTICIPANT else facilitator_dir
        (folder / workbook_name(result.slug, result.edition)).write_bytes(result.pdf)
    for problem in problems:
        log.error("peerpress: %s", problem)
    if problems:
        raise BuildFailed(f"{len(problems)} workbook problem(s); see above")
