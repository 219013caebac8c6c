"""Module Markdown with its macros expanded, for one edition."""

from __future__ import annotations

from .macros import PageMacros
from .model import Catalog, Module
from .templating import render


def session_markdown(catalog: Catalog, module: Module, number: int, facilitator: bool) -> str:
    """Session `number` of `module` (already the edition's view) as plain Markdown."""
    macros = PageMacros(catalog.root, module, catalog.evaluation, number, facilitator)
    return render(module.sessions[number - 1].markdown, macros.functions())


def facilitator_page_markdown(catalog: Catalog, module: Module) -> str:
    """facilitator.md of a facilitator view, macros expanded."""
    macros = PageMacros(catalog.root, module, catalog.evaluation, None, True)
    return render(module.facilitator_markdown or "", macros.functions())
