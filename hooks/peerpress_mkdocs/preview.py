"""Participant workbooks for the live preview (`PDF=1 make serve`), from the build's cache."""

from __future__ import annotations

import logging
from pathlib import Path

from peerpress.model import Catalog
from peerpress.pages import WORKBOOK_DIR, workbook_name
from peerpress.pdf import RenderBatch
from peerpress.print_html import print_job, print_requests

log = logging.getLogger("mkdocs.plugins.peerpress")


def render_participant_workbooks(catalog: Catalog, site_dir: Path) -> None:
    paper = catalog.settings.paper
    requests = [r for r in print_requests(catalog, paper) if r.edition == "participant"]
    batch = RenderBatch(requests, lambda r: print_job(catalog, r, paper),
                        catalog.root / ".peerpress-build" / "cache")
    folder = site_dir / WORKBOOK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for result in batch.results():
        for warning in result.warnings:
            log.warning("modules/%s: WeasyPrint: %s", result.slug, warning)
        if result.pdf is None:
            log.warning("modules/%s: workbook not rendered: %s", result.slug, result.error)
            continue
        (folder / workbook_name(result.slug, "participant")).write_bytes(result.pdf)
