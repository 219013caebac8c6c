"""Run `mkdocs build` in-process into a directory of our choosing."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from .hooks import PREVIEW_ENV, WORKBOOKS_ENV


def theme_dirs() -> tuple[Path, ...]:
    """Folders whose files MkDocs copies into the site unchanged (the theme's assets)."""
    import material

    return (Path(material.__file__).parent / "templates",)


class SiteBuildError(Exception):
    pass


def build_site(root: Path, site_dir: Path, workbooks: bool, strict: bool = True) -> None:
    """Build the participant site into `site_dir`; raise SiteBuildError on any failure."""
    os.environ[WORKBOOKS_ENV] = "1" if workbooks else "0"
    os.environ.pop(PREVIEW_ENV, None)  # the build makes the participant site, whatever the shell says
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    counter = _WarningCounter()
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (ConfigurationError, PluginError, Abort) as error:
        raise SiteBuildError(str(error)) from None
    except SystemExit as error:  # a plugin that exits instead of raising
        raise SiteBuildError(f"a plugin stopped the build (exit {error.code}); see the message above") from None
    except Exception as error:  # a plugin's own exception: report it, keep the previous site
        raise SiteBuildError(f"{type(error).__name__}: {error}") from None
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
    if strict and counter.count:
        raise SiteBuildError(f"mkdocs build reported {counter.count} warning(s)")


class _WarningCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1
