"""The live preview's rebuild after a save: only the pages whose output can have changed.

`peerpress serve` runs MkDocs' dirty builds, which rebuild a page only when its File says it is
modified. MkDocs compares file times, and says yes for every generated page; here a page is
modified when its Markdown differs from what the last completed build rendered, or when something
every page shows has changed (the navigation, the problems banner, the edition, mkdocs.yml, the
theme's templates): then every page is. The state lives in this module, imported once per process.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import jinja2

# By site_dir, as of the last build that completed: each page's key, and the search index's entries.
_built: dict[str, dict[str, str]] = {}
_searched: dict[str, list[dict]] = {}
_building: dict[str, dict[str, str]] = {}


def mark_modified(files, config, shown_on_every_page) -> None:
    """Tell MkDocs which documentation pages to rebuild. `shown_on_every_page`: a value (with a
    faithful repr) of everything, besides the theme, that every page renders."""
    shared = _digest(repr(shown_on_every_page).encode(), *_theme(config))
    before, keys = _built.get(config.site_dir, {}), {}
    for file in files.documentation_pages():
        keys[file.src_uri] = key = _digest(shared.encode(), file.content_bytes)
        modified = before.get(file.src_uri) != key or not os.path.isfile(file.abs_dest_path)
        file.is_modified = lambda modified=modified: modified  # what MkDocs asks in a dirty build
    _building[config.site_dir] = keys


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per process, not once per rebuild: MkDocs makes a new
    Jinja environment for every build. Jinja checks each template's source against what was compiled."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_compiled = _CompiledTemplates()


def prepare(files, config, env: jinja2.Environment) -> None:
    """Before pages render: what a rebuilt page shows of the pages it does not rebuild."""
    env.bytecode_cache = _compiled
    unchanged = set()
    for file in files.documentation_pages():
        page = file.page
        if not file.is_modified():
            unchanged.add(page.url)
            continue
        for other in (page.previous_page, page.next_page):
            if other is not None and other.markdown is None:
                other.read_source(config)  # the footer's previous/next links print their titles
    _search_starts_with(config, unchanged)


def commit(config) -> None:
    """The build completed: its pages and search entries are what the next one starts from."""
    if config.site_dir in _building:
        _built[config.site_dir] = _building.pop(config.site_dir)
    search = _search_index(config)
    if search is not None:
        _searched[config.site_dir] = list(search.entries)


def _search_starts_with(config, unchanged: set[str]) -> None:
    """The search index starts from the entries of every page not rebuilt (as of the last completed
    build); rebuilt pages add theirs as they render. Material's own dirty-build merge is switched
    off: it replaces only the first rebuilt page's entries (all of them when that page is the home page)."""
    search = _search_index(config)
    if search is None:
        return
    config.plugins["material/search"].search_index_prev = None
    search.entries[:0] = [e for e in _searched.get(config.site_dir, []) if e["location"].split("#")[0] in unchanged]


def _search_index(config):
    plugin = config.plugins.get("material/search")
    return getattr(plugin, "search_index", None)


def _theme(config) -> list[bytes]:
    """mkdocs.yml and the project's theme templates (overrides/), by names, sizes and times. The
    installed theme does not change while the preview runs."""
    parts = [Path(config.config_file_path).read_bytes()] if config.config_file_path else []
    if config.theme.custom_dir:
        for path in sorted(Path(config.theme.custom_dir).rglob("*.html")):
            stat = path.stat()
            parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return parts


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()
