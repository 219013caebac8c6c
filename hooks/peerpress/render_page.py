"""Module Markdown with its macros expanded, for one edition."""

from __future__ import annotations

from .edition import facilitator_text, find_blocks, participant_text
from .macros import PageMacros
from .model import Catalog, Module
from .templating import render


def session_markdown(catalog: Catalog, module: Module, number: int, facilitator: bool) -> str:
    """Session `number` of `module` (already the edition's view) as plain Markdown."""
    macros = PageMacros(catalog.root, module, catalog.evaluations, number, facilitator)
    return render(module.sessions[number - 1].markdown, macros.functions())


def facilitator_page_markdown(catalog: Catalog, module: Module) -> str:
    """facilitator.md of a facilitator view, macros expanded."""
    macros = PageMacros(catalog.root, module, catalog.evaluations, None, True)
    return render(module.facilitator_markdown or "", macros.functions())


def shared_page_markdown(text: str, path: str, facilitator: bool) -> str:
    """A shared text (agreement, HR card, facilitator guide) for one edition: blocks split, no macros."""
    blocks, _ = find_blocks(text, path)
    return render(facilitator_text(text, blocks) if facilitator else participant_text(text, blocks), {})


def program_page_markdown(text: str, path: str, macros: dict) -> str:
    """A program page under docs/ for the participant site: blocks removed, its macros expanded."""
    blocks, _ = find_blocks(text, path)
    return render(participant_text(text, blocks), macros)
