"""The macros module pages may call; plain functions over the model that return HTML.

The markup lives in Jinja templates under `overrides/peerpress/`. Each macro returns one raw HTML
block surrounded by blank lines, so Markdown passes it through untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import forms
from .markdown_render import inline_html, plain_text, text_html
from .model import Evaluation, Module

TEMPLATES = Path("overrides") / "peerpress"


@lru_cache(maxsize=4)
def template_environment(root: Path) -> Environment:
    loader = FileSystemLoader([root / TEMPLATES, root / "overrides"])
    env = Environment(loader=loader, autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = text_html
    env.filters["md_inline"] = inline_html
    env.filters["plain"] = plain_text
    env.globals["forms"] = forms
    return env


def clock(minutes: int) -> str:
    """Minutes from the start of a session as H:MM, e.g. 70 -> '1:10'."""
    return f"{minutes // 60}:{minutes % 60:02d}"


@dataclass(frozen=True)
class PageMacros:
    """The macros of one page: `module` is already the view of the edition being built."""

    root: Path
    module: Module
    evaluations: tuple[Evaluation, ...]
    session: int | None
    facilitator: bool

    def functions(self) -> dict:
        return {"objectives": self.objectives, "agenda": self.agenda, "worksheet": self.worksheet,
                "references": self.references, "evaluation": self.evaluation_form}

    def _render(self, name: str, **context) -> str:
        template = template_environment(self.root).get_template(name)
        html = template.render(module=self.module, facilitator=self.facilitator, **context)
        # Blank lines inside a raw HTML block would end it early in Markdown.
        body = "\n".join(line for line in html.splitlines() if line.strip())
        return f"\n\n{body}\n\n"

    def _session(self, number: int | None):
        return self.module.sessions[(number or self.session) - 1]

    def objectives(self, number: int | None = None) -> str:
        return self._render("objectives.html", session=self._session(number))

    def agenda(self, number: int | None = None) -> str:
        session = self._session(number)
        rows, start = [], 0
        for item in session.agenda:
            rows.append({"item": item, "start": clock(start), "end": clock(start + item.minutes)})
            start += item.minutes
        if self.facilitator:
            materials = list(dict.fromkeys(i.materials for i in session.agenda if i.materials))
            return self._render("run-sheet.html", session=session, rows=rows, materials=materials)
        return self._render("agenda.html", session=session, rows=rows)

    def worksheet(self, worksheet_id: str) -> str:
        return self._render("worksheet.html", worksheet=self.module.worksheet(worksheet_id))

    def references(self) -> str:
        return self._render("references.html")

    def evaluation_form(self, number: int | None = None) -> str:
        session = self._session(number)
        return self._render("evaluation.html", session=session, evaluation=self.evaluations[session.number - 1])
