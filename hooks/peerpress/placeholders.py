"""Placeholder text the module scaffold writes: fine to check and preview, never published.

`make new-module` writes a module that loads, so an author can preview it at once; every text the
author must replace starts with PLACEHOLDER, and a build refuses the module until none is left.
"""

from __future__ import annotations

from .model import Catalog
from .problems import Problem

PLACEHOLDER = "TODO:"


def placeholder_problems(catalog: Catalog) -> list[Problem]:
    problems = []
    for module in catalog.modules:
        for file in sorted(p for p in module.folder.rglob("*") if p.suffix in (".md", ".yml")):
            path = file.relative_to(catalog.root).as_posix()
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
                if PLACEHOLDER in line:
                    problems.append(Problem(path, number, "placeholder text from the scaffold is still here",
                                            f"replace the text after {PLACEHOLDER} with the module's own; "
                                            "make check and make serve accept it, make build does not"))
    return problems
