"""What the build needs from a static-site generator; the MkDocs adapter lives in `peerpress_mkdocs`.

The core never imports the generator, so moving to another one means writing one more adapter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from .model import Edition


class SiteBuildError(Exception):
    """The generator failed; its message says why. The previous site stays as it was."""


class SiteGenerator(Protocol):
    def build(self, root: Path, site_dir: Path, workbooks: bool) -> None:
        """Build the participant site into `site_dir`; raise SiteBuildError on any failure or warning."""

    def serve(self, root: Path, port: int, edition: Edition, workbooks: bool) -> None:
        """A live preview on 127.0.0.1:`port` that rebuilds on every save, until interrupted."""

    def copied_asset_dirs(self) -> tuple[Path, ...]:
        """Folders whose files the generator copies into the site unchanged (its theme's assets)."""


def default_generator() -> SiteGenerator:
    """The generator this project builds with: MkDocs with Material, through its adapter."""
    from peerpress_mkdocs.site import MkDocsSite

    return MkDocsSite()
