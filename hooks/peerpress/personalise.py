"""Personal copies of a rendered workbook: values written onto the page where its fields are.

A group's print run would otherwise render every copy from scratch. Instead the workbook is rendered
once per edition, and each copy gets its values drawn in the rectangles of the fields they fill: one
small WeasyPrint render lays out the values of every copy at once, and each page of it is stamped
onto its copy's page as a form XObject. The filled values are printed page content (any viewer
prints them, text extraction finds them), marked as an artifact for assistive technology; the field
itself keeps the value, read-only and hidden, so a screen reader still announces it and no viewer
draws an empty box over the printed text.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf

from .fonts import font_face_css
from .pdf import render_with_fonts

_HIDDEN, _PRINT = 2, 4  # annotation flags (PDF 32000-1, 12.5.3)
_READ_ONLY = 1  # field flag


@dataclass(frozen=True)
class Box:
    page: int  # 0-based
    left: float  # PDF points from the page's bottom-left corner
    bottom: float
    right: float
    top: float


@dataclass(frozen=True)
class Copy:
    """One personal copy: the values of named fields, and the ones to print in bold."""

    values: dict[str, str]
    emphasised: frozenset[str] = frozenset()
    edit: Callable[[pikepdf.Pdf], None] | None = None  # more changes to the copy (its metadata, say)


def field_boxes(pdf: bytes) -> tuple[dict[str, Box], tuple[float, float]]:
    """Every text field's rectangle, by field name, and the first page's width and height."""
    boxes = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        size = tuple(float(v) for v in document.pages[0].mediabox[2:])
        for number, page in enumerate(document.pages):
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") == "/Widget" and annotation.get("/FT") == "/Tx":
                    x1, y1, x2, y2 = (float(v) for v in annotation.Rect)
                    boxes[str(annotation.T)] = Box(number, min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    return boxes, size


def personalise(workbooks: list[tuple[bytes, list[Copy]]]) -> list[list[bytes]]:
    """Each workbook once per copy, with its values printed in place; one layout run for all of them.

    Unknown field names are an error. All workbooks must share a page size (one paper setting).
    """
    plans, pages_total, sizes = [], 0, []
    for pdf, copies in workbooks:
        boxes, size = field_boxes(pdf)
        sizes.append(size)
        unknown = sorted({name for copy in copies for name in copy.values} - boxes.keys())
        if unknown:
            raise ValueError(f"the workbook has no field named {', '.join(unknown)}")
        plan = [(copy, sorted({boxes[name].page for name in copy.values})) for copy in copies]
        plans.append((boxes, plan))
        pages_total += sum(len(pages) for _, pages in plan)
    if not pages_total:
        return [[pdf for _ in copies] for pdf, copies in workbooks]
    if len(set(sizes)) > 1:
        raise ValueError(f"the workbooks have different page sizes {sorted(set(sizes))}: print them in separate runs")
    width, height = sizes[0]
    overlay = _render_overlay(plans, width, height)
    results, sheet = [], 0
    with pikepdf.open(io.BytesIO(overlay)) as values:
        for (pdf, _), (_, plan) in zip(workbooks, plans, strict=True):
            copies_out = []
            # Opened once: each copy's changes are made, saved and undone, several times faster than
            # parsing the workbook again for every copy.
            with pikepdf.open(io.BytesIO(pdf)) as document:
                info = dict(document.docinfo.items())
                xmp = document.Root.Metadata.read_bytes() if "/Metadata" in document.Root else None
                for copy, pages in plan:
                    undo = [_stamp(document, document.pages[n], values.pages[sheet + i]) for i, n in enumerate(pages)]
                    sheet += len(pages)
                    undo += _keep_values_in_fields(document, copy.values)
                    if copy.edit:
                        copy.edit(document)
                    out = io.BytesIO()
                    document.save(out, deterministic_id=True)
                    copies_out.append(out.getvalue())
                    for step in reversed(undo):
                        step()
                    for key in list(document.docinfo.keys()):
                        del document.docinfo[key]
                    for key, value in info.items():
                        document.docinfo[key] = value
                    if xmp is not None:
                        document.Root.Metadata.write(xmp)
            results.append(copies_out)
    return results


def _render_overlay(plans, width: float, height: float) -> bytes:
    """One page per personalised page of every copy, holding only that page's values."""
    sheets = []
    for boxes, plan in plans:
        for copy, pages in plan:
            for page_number in pages:
                spans = [_span(boxes[name], value, name in copy.emphasised, height)
                         for name, value in copy.values.items() if boxes[name].page == page_number]
                sheets.append(f'<section>{"".join(spans)}</section>')
    document = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
{font_face_css()}
@page {{ size: {width}pt {height}pt; margin: 0; }}
body {{ margin: 0; font-family: "Source Sans Pro", sans-serif; color: #10264a; }}
section {{ position: relative; width: {width}pt; height: {height}pt; break-after: page; }}
section:last-child {{ break-after: auto; }}
div {{ position: absolute; white-space: nowrap; overflow: hidden; line-height: 1.1; }}
</style></head><body>{"".join(sheets)}</body></html>"""
    return render_with_fonts(document)


def _span(box: Box, value: str, bold: bool, page_height: float) -> str:
    width = box.right - box.left - 4
    # Shrunk to fit the field's width (an average glyph is about half an em wide), never above 11 pt.
    size = min(11.0, (box.top - box.bottom) * 0.62, width / max(len(value), 1) / 0.5)
    # A one-line field's value sits on its rule; a box's starts at its top.
    edge = (f"bottom: {box.bottom + 1.5:.2f}pt" if box.top - box.bottom < 24
            else f"top: {page_height - box.top + 3:.2f}pt")
    return (f'<div style="left: {box.left + 2:.2f}pt; {edge}; width: {width:.2f}pt; font-size: {size:.2f}pt; '
            f'font-weight: {"bold" if bold else "normal"}">{html.escape(value)}</div>')


def _stamp(document: pikepdf.Pdf, page: pikepdf.Page, values: pikepdf.Page):
    contents = page.obj.get("/Contents")
    xobject = document.copy_foreign(values.as_form_xobject())
    name = page.add_resource(xobject, pikepdf.Name.XObject, prefix="PPValues")
    # The page's own content leaves its coordinate system flipped (WeasyPrint does not restore it),
    # so it is wrapped in q … Q first. The values are an artifact to assistive technology: the
    # field beneath carries the same value, tagged.
    page.contents_add(pikepdf.Stream(document, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(document, b"\nQ\n/Artifact BMC q " + name.unparse() + b" Do Q EMC\n"))

    def undo():
        page.obj.Contents = contents
        del page.obj.Resources.XObject[name]

    return undo


def _keep_values_in_fields(document: pikepdf.Pdf, values: dict[str, str]) -> list:
    undo = []
    for page in document.pages:
        for annotation in page.obj.get("/Annots", []):
            name = str(annotation.get("/T", ""))
            if annotation.get("/Subtype") == "/Widget" and name in values:
                before = {key: annotation.get(key) for key in ("/V", "/F", "/Ff", "/AP")}
                annotation.V = pikepdf.String(values[name])
                annotation.F = (int(annotation.get("/F", _PRINT)) | _HIDDEN) & ~_PRINT
                annotation.Ff = int(annotation.get("/Ff", 0)) | _READ_ONLY
                if "/AP" in annotation:
                    del annotation["/AP"]
                undo.append(lambda a=annotation, b=before: _restore(a, b))
    return undo


def _restore(annotation, before: dict) -> None:
    for key, value in before.items():
        if value is None:
            if key in annotation:
                del annotation[key]
        else:
            annotation[key] = value
