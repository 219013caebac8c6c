"""Table header scope in the tagged PDF, which WeasyPrint does not write.

A screen reader needs to know which header a cell belongs to. HTML says so with `scope`; PDF/UA
with `/Scope` on each `/TH`. Headers inside a table head are column headers; any other header
cell (the first cell of a row, as in the cover's blanks) heads its row.
"""

from __future__ import annotations

import pikepdf


def add_scope(document: pikepdf.Pdf) -> None:
    """`/Scope` on every `/TH` of an open document's structure tree."""
    root = document.Root.get("/StructTreeRoot")
    if root is not None:
        _scope(root.get("/K"), in_head=False)


def _scope(node, in_head: bool) -> None:
    if isinstance(node, pikepdf.Array):
        for child in node:
            _scope(child, in_head)
        return
    if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
        return
    kind = str(node.S)
    if kind == "/TH":
        attributes = node.get("/A")
        if not isinstance(attributes, pikepdf.Dictionary):
            attributes = pikepdf.Dictionary(O=pikepdf.Name("/Table"))
            node.A = attributes
        attributes.Scope = pikepdf.Name("/Column" if in_head else "/Row")
    _scope(node.get("/K"), in_head or kind == "/THead")
