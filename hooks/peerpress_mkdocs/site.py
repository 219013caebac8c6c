"""The MkDocs adapter: `mkdocs build` and `mkdocs serve`, in-process, as the core's SiteGenerator."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.commands.serve import serve
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from peerpress.model import Edition
from peerpress.site_generator import SiteBuildError

from .env import PREVIEW_ENV, SERVE_PDF_ENV, WORKBOOKS_ENV


class MkDocsSite:
    def copied_asset_dirs(self) -> tuple[Path, ...]:
        import material

        return (Path(material.__file__).parent / "templates",)

    def build(self, root: Path, site_dir: Path, workbooks: bool, strict: bool = True) -> None:
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

    def serve(self, root: Path, port: int, edition: Edition, workbooks: bool) -> None:
        os.environ[WORKBOOKS_ENV] = os.environ[SERVE_PDF_ENV] = "1" if workbooks else "0"
        os.environ[PREVIEW_ENV] = str(edition)
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        # A dirty build rebuilds only the pages whose File says it is modified; the hooks decide
        # which (peerpress_mkdocs.incremental), so MkDocs' warning that links may go stale does not apply.
        quiet = _DropMessage("A 'dirty' build is being performed")
        logging.getLogger("mkdocs.commands.build").addFilter(quiet)
        try:
            serve(str(root / "mkdocs.yml"), livereload=True, dev_addr=f"127.0.0.1:{port}", build_type="dirty")
        except (ConfigurationError, PluginError, Abort) as error:
            raise SiteBuildError(str(error)) from None
        finally:
            logging.getLogger("mkdocs.commands.build").removeFilter(quiet)


class _WarningCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


class _DropMessage(logging.Filter):
    def __init__(self, start: str):
        super().__init__()
        self.start = start

    def filter(self, record):
        return not str(record.msg).startswith(self.start)
