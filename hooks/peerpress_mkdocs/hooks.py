"""MkDocs hooks: thin glue between MkDocs and the peerpress core (which never imports MkDocs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from peerpress import page_cache, pages
from peerpress.load import load_catalog
from peerpress.markdown_render import name_task_boxes
from peerpress.model import Edition
from peerpress.problems import SourceError, report
from peerpress_mkdocs import incremental
from peerpress_mkdocs.env import PREVIEW_ENV, SERVE_PDF_ENV, WORKBOOKS_ENV
from peerpress_mkdocs.nav_scope import ScopedNav

PREVIEW_BANNER = ('<div class="pp-preview-banner" role="note"><strong>Facilitator preview.</strong> '
                  "This local preview shows facilitator-only material. It is never published: "
                  "<code>make build</code> builds the participant site.</div>\n\n")
_state: dict = {}


def on_startup(command, dirty):
    _state["command"] = command
    _state["dirty"] = dirty  # `peerpress serve`: rebuild only the pages a save changed (see incremental)


def _edition() -> Edition:
    return Edition.FACILITATOR if os.environ.get(PREVIEW_ENV) == Edition.FACILITATOR else Edition.PARTICIPANT


def on_config(config):
    if _edition() == Edition.FACILITATOR and _state.get("command") != "serve":
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
    return PREVIEW_BANNER + markdown if _edition() == Edition.FACILITATOR else markdown


def on_page_content(html, page, config, files):
    # Markdown task-list boxes get their item's text as their name, as in the workbooks.
    return name_task_boxes(html, "page")


def on_files(files, config):
    workbooks = os.environ.get(WORKBOOKS_ENV) == "1"
    if _state["catalog"] is not None:
        preview = _state.get("command") == "serve"
        for uri, content in page_cache.site_pages(_state["catalog"], workbooks, _edition(), preview).items():
            # Left out of the menu on purpose, so MkDocs need not list them as missing from it.
            inclusion = InclusionLevel.UNDEFINED if pages.in_menu(uri) else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=content, inclusion=inclusion))
        for uri, path in page_cache.module_assets(_state["catalog"]).items():
            files.append(File.generated(config, uri, abs_src_path=path))
    if _state.get("dirty"):
        shown_everywhere = (config.nav, [str(p) for p in _state["problems"]], _edition(), workbooks)
        incremental.mark_modified(files, config, shown_everywhere)
    return files


def on_nav(nav, config, files):
    _state["nav_scope"] = ScopedNav(nav)
    return nav


def on_env(env, config, files):
    if _state.get("dirty"):
        incremental.prepare(files, config, env)
    return env


def on_page_context(context, page, config, nav):
    _state["nav_scope"].show(page)
    return context


def on_post_page(output, page, config):
    _state["nav_scope"].hide()
    return output


def on_serve(server, config, builder):
    server.watch(str(_state["root"] / "modules"))
    server.watch(str(Path(pages.__file__).parent))  # the core's templates and code
    return server


def on_post_build(config):
    if _state.get("dirty"):
        incremental.commit(config)
    if os.environ.get(SERVE_PDF_ENV) != "1" or _state["catalog"] is None:
        return
    from peerpress.build import render_participant_workbooks

    render_participant_workbooks(_state["catalog"], Path(config.site_dir))
