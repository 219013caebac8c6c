"""Generated pages remembered per module, so that the live preview's rebuild after a save renders
the pages of the module that changed, not those of the whole catalog.

A module's pages depend on the module itself, the catalog apart from its modules (categories,
evaluation forms, shared texts, settings), the macro templates under `overrides/` and the build's
options (`pages.module_pages` reads nothing else). The model is frozen, so equal values mean equal
pages; anything else renders afresh.
"""

from __future__ import annotations

from dataclasses import replace

from . import pages
from .load import folder_signature
from .model import Catalog, Edition

_pages: dict[str, tuple[tuple, dict[str, str]]] = {}  # slug -> (what the pages were made from, pages)
_assets: dict[str, tuple[tuple, dict[str, str]]] = {}


def site_pages(catalog: Catalog, workbooks: bool, edition: Edition = Edition.PARTICIPANT,
               preview: bool = False) -> dict[str, str]:
    """`pages.site_pages`, each module's pages taken from the previous call when their inputs are equal."""
    context = (_context(catalog), workbooks, edition, preview)
    result = pages.catalog_pages(catalog)
    for module in catalog.modules:
        result.update(_remembered(_pages, module.slug, (module, context),
                                  lambda m=module: pages.module_pages(catalog, m, workbooks, edition, preview)))
    _forget_others(_pages, catalog)
    return result


def module_assets(catalog: Catalog) -> dict[str, str]:
    """`pages.module_assets`, remembered per module in the same way."""
    context = _context(catalog)
    result = {}
    for module in catalog.modules:
        result.update(_remembered(_assets, module.slug, (module, module.folder.resolve(), context),
                                  lambda m=module: pages.module_assets_of(catalog, m)))
    _forget_others(_assets, catalog)
    return result


def _context(catalog: Catalog) -> tuple:
    # The macros render with the templates under overrides/.
    overrides = catalog.root / "overrides"
    return replace(catalog, modules=()), folder_signature(overrides) if overrides.is_dir() else ()


def _remembered(store: dict, slug: str, key: tuple, make) -> dict[str, str]:
    if slug not in store or store[slug][0] != key:
        store[slug] = (key, make())
    return store[slug][1]


def _forget_others(store: dict, catalog: Catalog) -> None:
    slugs = {m.slug for m in catalog.modules}
    for slug in [s for s in store if s not in slugs]:
        del store[slug]

