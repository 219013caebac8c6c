"""Editions of a module: the participant view holds no facilitator-only data at all."""

from __future__ import annotations

from dataclasses import replace

from .edition import facilitator_text, find_blocks, participant_text
from .model import Edition, Module, without_answer_keys


def participant_view(module: Module) -> Module:
    """The module as a participant may see it: every facilitator-only field and block removed."""
    sessions = tuple(
        replace(s, desired_output=None,
                agenda=tuple(replace(item, facilitator_notes=None, materials=None) for item in s.agenda),
                markdown=participant_text(s.markdown, find_blocks(s.markdown, s.source)[0]))
        for s in module.sessions)
    worksheets = tuple(replace(w, questions=without_answer_keys(w.questions)) for w in module.worksheets)
    return replace(module, sessions=sessions, worksheets=worksheets, facilitator_markdown=None)


def facilitator_view(module: Module) -> Module:
    """The module for the facilitator: everything, with facilitator blocks marked in place."""
    sessions = tuple(replace(s, markdown=facilitator_text(s.markdown, find_blocks(s.markdown, s.source)[0]))
                     for s in module.sessions)
    return replace(module, sessions=sessions)


def view(module: Module, edition: Edition) -> Module:
    return facilitator_view(module) if edition == Edition.FACILITATOR else participant_view(module)
