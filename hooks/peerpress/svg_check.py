"""SVG files are documents that can run scripts; only plain drawings are published or printed.

Checked with the standard library's expat parser, which reports the line of every element and
lets us refuse document type declarations (the door to entity expansion) before anything expands.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.parsers import expat

from .problems import Problem

# Elements that run code, embed other documents or animate attributes (an <animate> or <set> can
# turn an ordinary link into a javascript: one).
REFUSED_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener",
                    "animate", "animatemotion", "animatetransform", "set", "audio", "video", "canvas"}
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)
FIX = "save the drawing as a plain SVG (shapes and text only) or as a PNG"


def svg_problems(folder: Path, root: Path) -> list[Problem]:
    """Every problem in the SVG files under `folder`."""
    problems = []
    for file in sorted(folder.rglob("*")):
        if file.suffix.lower() == ".svg" and file.is_file():
            problems += check_svg(file.read_bytes(), file.relative_to(root).as_posix())
    return problems


def check_svg(data: bytes, path: str) -> list[Problem]:
    problems: list[Problem] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(what: str) -> None:
        problems.append(Problem(path, parser.CurrentLineNumber, f"{what} is not allowed in an SVG", FIX))

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1].lower()
        if local in REFUSED_ELEMENTS:
            refuse(f"the <{local}> element")
        for attr, value in attrs.items():
            attr_local = attr.rsplit(" ", 1)[-1].lower()
            if attr_local.startswith("on"):
                refuse(f"the event handler '{attr_local}'")
            elif attr_local == "href" and not value.strip().startswith("#"):
                refuse(f"a link or reference to '{value[:60]}'")
            elif _OUTSIDE_URL.search(value) or "javascript:" in value.lower():
                refuse(f"a reference to another file in '{attr_local}'")

    def text(data: str) -> None:
        if "@import" in data or _OUTSIDE_URL.search(data):
            refuse("a style that loads another file")

    def doctype(*_args) -> None:
        refuse("a document type declaration (<!DOCTYPE …>)")

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = lambda *args: refuse("an entity declaration")
    parser.ProcessingInstructionHandler = lambda target, data: refuse(f"the processing instruction <?{target}")
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        problems.append(Problem(path, error.lineno, f"is not a readable SVG ({expat.ErrorString(error.code)})", FIX))
    return problems
