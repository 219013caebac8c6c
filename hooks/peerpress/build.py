"""The whole build: workbooks (in worker processes) and site side by side into a scratch
directory, then the leak audit, then publish. Nothing is replaced unless every step passed."""

from __future__ import annotations

import logging
from pathlib import Path

from .audit import audit_outputs, prune_text_cache, remember_pdf_text
from .model import Catalog, Edition
from .pages import WORKBOOK_DIR, workbook_name
from .participant_pages import participant_pages
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

        def site_alongside():
            try:
                site.build(root, site_dir, workbooks=pdf)
            except SiteBuildError as error:
                raise BuildFailed(str(error)) from None

        if pdf:
            results, keys = render_workbooks(catalog, print_requests(catalog, catalog.settings.paper), cache,
                                             while_participant_render=site_alongside)
            _write_workbooks(results, site_dir / WORKBOOK_DIR, facilitator_dir, audit_text_dir(root))
            prune_cache(cache, keys)
        else:
            site_alongside()
        leaks = audit_outputs(catalog, site_dir, audit_text_dir(root), site.copied_asset_dirs())
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
    """Render (or take from the cache) the requested workbooks: participant editions first, as the
    facilitator editions print their page numbers. `while_participant_render` runs meanwhile."""
    paper = catalog.settings.paper
    batch = RenderBatch([r for r in requests if r.edition == Edition.PARTICIPANT],
                        lambda r: print_job(catalog, r, paper), cache)
    try:
        if while_participant_render:
            while_participant_render()
        keys, results = set(batch.keys), batch.results()
        pages = {r.slug: participant_pages(r.pdf) for r in results if r.pdf is not None}
        facilitator = [with_pages(r, pages.get(r.slug)) for r in requests if r.edition == Edition.FACILITATOR]
        batch = RenderBatch(facilitator, lambda r: print_job(catalog, r, paper, pages.get(r.slug)), cache)
        results += batch.results()
        return results, keys | batch.keys
    finally:
        batch.cancel()


def render_participant_workbooks(catalog: Catalog, site_dir: Path) -> None:
    """Participant workbooks for the live preview (`make serve PDF=1`), from the build's cache."""
    paper = catalog.settings.paper
    requests = [r for r in print_requests(catalog, paper) if r.edition == Edition.PARTICIPANT]
    batch = RenderBatch(requests, lambda r: print_job(catalog, r, paper), cache_dir(catalog.root))
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
