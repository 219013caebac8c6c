"""The workbook typefaces, installed from the pinned requirements so every machine prints alike.

Source Serif Pro for reading, Source Sans Pro for headings, labels and writing lines (both SIL
OFL 1.1, from the `font-source-serif-pro` and `font-source-sans-pro` packages). They are loaded by
@font-face from the package folders, which the print fetcher allows; system fonts are never needed.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

FAMILIES = {
    "Source Serif Pro": ("font_source_serif_pro", "SourceSerifPro"),
    "Source Sans Pro": ("font_source_sans_pro", "SourceSansPro"),
}
FACES = (("Regular", "normal", "normal"), ("It", "normal", "italic"),
         ("Bold", "bold", "normal"), ("BoldIt", "bold", "italic"))


@cache
def _folder(package: str) -> Path:
    import importlib

    return Path(importlib.import_module(package).__file__).parent / "files"


def font_dirs() -> tuple[Path, ...]:
    return tuple(_folder(package) for package, _ in FAMILIES.values())


def _file(family: str, face: str) -> Path:
    package, stem = FAMILIES[family]
    return _folder(package) / f"{stem}-{face}.ttf"


@lru_cache(maxsize=1)
def font_face_css() -> str:
    rules = []
    for family in FAMILIES:
        for face, weight, style in FACES:
            rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
                         f'src: url("{_file(family, face).as_uri()}"); }}')
    return "\n".join(rules)

