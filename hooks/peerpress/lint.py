"""Project-wide lint: no one may hide facilitator material instead of removing it.

Author pages are checked in `page_check`; this covers the theme and site settings.
"""

from __future__ import annotations

import re
from pathlib import Path

from .problems import Problem

_HIDING_RULE = re.compile(r"([^{}]*facilitator[^{}]*)\{([^}]*)\}", re.I)
_HIDES = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SETTINGS = re.compile(r"^\s*(not_in_nav|exclude_docs)\s*:", re.M)


def lint_project(root: Path) -> list[Problem]:
    """Problems in mkdocs.yml and the site's stylesheets that would hide rather than remove."""
    problems = []
    config = root / "mkdocs.yml"
    if config.is_file():
        text = config.read_text(encoding="utf-8")
        for match in _SETTINGS.finditer(text):
            problems.append(Problem("mkdocs.yml", text.count("\n", 0, match.start()) + 1,
                                    f"`{match.group(1)}` is not used in this project",
                                    "facilitator material is removed by the edition split; remove this setting"))
    for folder in ("docs", "overrides"):
        for css in sorted((root / folder).rglob("*.css")) if (root / folder).is_dir() else []:
            if css.parent.name == "print":
                continue  # the print stylesheet styles the facilitator workbook itself
            text = css.read_text(encoding="utf-8")
            for match in _HIDING_RULE.finditer(text):
                if _HIDES.search(match.group(2)):
                    problems.append(Problem(css.relative_to(root).as_posix(),
                                            text.count("\n", 0, match.start(2)) + 1,
                                            "a stylesheet hides facilitator material",
                                            "remove the rule: facilitator material never reaches the site"))
    return problems
