"""The whole build: site and workbooks into a scratch directory, audit, then publish."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from peerpress.model import Catalog
from peerpress.publish import replace_dir

from .site import SiteBuildError, build_site

log = logging.getLogger("peerpress")
SCRATCH = ".peerpress-build"


class BuildFailed(Exception):
    pass


def run_build(root: Path, catalog: Catalog, pdf: bool = True) -> None:
    """Build everything; replace `site/` and `build/facilitator/` only if all of it succeeded."""
    (root / SCRATCH).mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=root / SCRATCH))
    try:
        site_dir, facilitator_dir = scratch / "site", scratch / "facilitator"
        facilitator_dir.mkdir()
        try:
            build_site(root, site_dir, workbooks=pdf)
        except SiteBuildError as error:
            raise BuildFailed(str(error)) from None
        replace_dir(site_dir, root / "site")
        if pdf:
            replace_dir(facilitator_dir, root / "build" / "facilitator")
        log.info("peerpress: built %d modules into site/", len(catalog.modules))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
