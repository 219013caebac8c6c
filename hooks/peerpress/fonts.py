"""The workbook typefaces, installed from the pinned requirements so every machine prints alike.

Source Serif Pro for reading, Source Sans Pro for headings, labels and writing lines (both SIL
OFL 1.1, from the `font-source-serif-pro` and `font-source-sans-pro` packages). They are loaded by
@font-face from the package folders, which the print fetcher allows; system fonts are never needed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FAMILIES = {
    "Source Serif Pro": ("font_source_serif_pro", "SourceSerifPro"),
    "Source Sans Pro": ("font_source_sans_pro", "SourceSansPro"),
}
FACES = (("Regular", "normal", "normal"), ("It", "normal", "italic"),
         ("Bold", "bold", "normal"), ("BoldIt", "bold", "italic"))


@lru_cache(maxsize=1)
def font_dirs() -> tuple[Path, ...]:
    import importlib

    return tuple(Path(importlib.import_module(package).__file__).parent / "files"
                 for package, _ in FAMILIES.values())


def _file(family: str, face: str) -> Path:
    package, stem = FAMILIES[family]
    folder = Path(__import__(package).__file__).parent / "files"
    return folder / f"{stem}-{face}.ttf"


@lru_cache(maxsize=1)
def font_face_css() -> str:
    rules = []
    for family in FAMILIES:
        for face, weight, style in FACES:
            rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
                         f'src: url("{_file(family, face).as_uri()}"); }}')
    return "\n".join(rules)


def font_files() -> list[Path]:
    return [_file(family, face) for family in FAMILIES for face, _, _ in FACES]
