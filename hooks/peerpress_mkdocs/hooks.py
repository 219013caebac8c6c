"""MkDocs hooks: thin glue between MkDocs and the peerpress core (which never imports MkDocs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# MkDocs loads this file by path; make the sibling `peerpress` package importable without an install.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from peerpress import pages  # noqa: E402
from peerpress.load import load_catalog  # noqa: E402
from peerpress.markdown_render import name_task_boxes  # noqa: E402
from peerpress.problems import SourceError, report  # noqa: E402

WORKBOOKS_ENV = "PEERPRESS_WORKBOOKS"  # "1": pages link to the workbooks (the build renders them)
SERVE_PDF_ENV = "PEERPRESS_SERVE_PDF"  # "1": `mkdocs serve` renders participant workbooks itself
PREVIEW_ENV = "PEERPRESS_PREVIEW"  # "facilitator": `mkdocs serve` shows the facilitator edition
PREVIEW_BANNER = ('<div class="pp-preview-banner" role="note"><strong>Facilitator preview.</strong> '
                  "This local preview shows facilitator-only material. It is never published: "
                  "<code>make build</code> builds the participant site.</div>\n\n")
_state: dict = {}


def on_startup(command, dirty):
    _state["command"] = command


def _edition() -> str:
    return "facilitator" if os.environ.get(PREVIEW_ENV) == "facilitator" else "participant"


def on_config(config):
    if _edition() == "facilitator" and _state.get("command") != "serve":
        raise PluginError(f"{PREVIEW_ENV}=facilitator only works with `mkdocs serve` (make serve FACILITATOR=1): "
                          "a build would publish facilitator-only material")
    root = Path(config.config_file_path).resolve().parent
    problems = []
    try:
        catalog = load_catalog(root)
    except SourceError as error:
        report(error.problems, sys.stderr)
        if _state.get("command") != "serve":
            raise PluginError(f"{len(error.problems)} problem(s) in modules/; see the list above") from None
        # A preview that stopped here would leave the browser waiting for ever: it keeps the last
        # catalog that loaded and shows the problems on every page until they are fixed.
        problems = error.problems
        catalog = _state.get("catalog") if _state.get("root") == root else None
    _state.update(root=root, catalog=catalog, problems=problems)
    config.nav = pages.nav(catalog, list(config.nav or [])) if catalog else list(config.nav or [])
    return config


def on_page_markdown(markdown, page, config, files):
    catalog, problems = _state["catalog"], _state["problems"]
    if problems and catalog is None:
        return pages.problems_page(problems, stale=False)
    if not page.file.generated_by:
        # A program page: checked with the sources at load, rendered by the core's sandbox.
        try:
            markdown = pages.program_page(catalog, markdown, f"docs/{page.file.src_uri}")
        except Exception:
            if not problems:
                raise
            return pages.problems_page(problems, stale=False)  # the page itself is what failed to load
    if problems:
        markdown = pages.problems_page(problems, stale=True) + markdown
    return PREVIEW_BANNER + markdown if _edition() == "facilitator" else markdown


def on_page_content(html, page, config, files):
    # Markdown task-list boxes get their item's text as their name, as in the workbooks.
    return name_task_boxes(html, "page")


def on_files(files, config):
    if _state["catalog"] is None:
        return files
    workbooks = os.environ.get(WORKBOOKS_ENV) == "1"
    preview = _state.get("command") == "serve"
    for uri, content in pages.site_pages(_state["catalog"], workbooks, _edition(), preview).items():
        files.append(File.generated(config, uri, content=content))
    for uri, path in pages.module_assets(_state["catalog"]).items():
        files.append(File.generated(config, uri, abs_src_path=path))
    return files


def on_serve(server, config, builder):
    server.watch(str(_state["root"] / "modules"))
    server.watch(str(_state["root"] / "hooks" / "peerpress"))
    return server


def on_post_build(config):
    if os.environ.get(SERVE_PDF_ENV) != "1" or _state["catalog"] is None:
        return
    from peerpress_mkdocs.preview import render_participant_workbooks

    render_participant_workbooks(_state["catalog"], Path(config.site_dir))
