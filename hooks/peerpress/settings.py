"""peerpress's own settings, under `extra.peerpress` in mkdocs.yml, checked with the sources."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

import yaml

from .problems import Problem

PAPER_SIZES = {"letter": "letter", "a4": "A4"}  # setting -> CSS page size
FIELDS = ("paper", "public_sources")


@dataclass(frozen=True)
class Settings:
    paper: str = "letter"
    public_sources: bool = False  # read by scripts/visibility_guard.sh in the publish workflow


def load_settings(root: Path) -> tuple[Settings, list[Problem]]:
    """The settings, and a problem for each one that is wrong (with its line in mkdocs.yml)."""
    config = root / "mkdocs.yml"
    if not config.is_file():
        return Settings(), []
    try:
        # Composing builds no objects, so MkDocs' own tags (!ENV, !relative) need no constructor.
        node = yaml.compose(config.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return Settings(), [Problem("mkdocs.yml", mark.line + 1 if mark else 1, f"YAML syntax error: {error}",
                                    "check indentation, colons and quotes")]
    section = _child(_child(node, "extra"), "peerpress")
    if section is None:
        return Settings(), []
    problems, values = [], {}
    for key_node, value_node in section.value if isinstance(section, yaml.MappingNode) else []:
        name, line = key_node.value, key_node.start_mark.line + 1
        if name not in FIELDS:
            close = get_close_matches(name, FIELDS, n=1)
            problems.append(Problem("mkdocs.yml", line, f"unknown setting 'extra.peerpress.{name}'",
                                    f"did you mean '{close[0]}'?" if close else f"settings: {', '.join(FIELDS)}"))
            continue
        values[name] = (str(getattr(value_node, "value", "")).lower(), value_node.start_mark.line + 1)
    paper, line = values.get("paper", ("letter", 1))
    if paper not in PAPER_SIZES:
        problems.append(Problem("mkdocs.yml", line, f"extra.peerpress.paper is '{paper}'",
                                f"use {' or '.join(PAPER_SIZES)}"))
        paper = "letter"
    public, line = values.get("public_sources", ("false", 1))
    if public not in ("true", "false"):
        problems.append(Problem("mkdocs.yml", line, f"extra.peerpress.public_sources is '{public}'",
                                "use true (facilitator material is meant to be open) or false"))
    return Settings(paper=paper, public_sources=public == "true"), problems


def _child(node, name: str):
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for key, value in node.value if getattr(key, "value", None) == name), None)
