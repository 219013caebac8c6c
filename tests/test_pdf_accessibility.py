"""Both workbooks pass the machine-checkable part of PDF/UA-1 that pdfua implements (see README)."""

import subprocess
import sys
from pathlib import Path

import pytest

PDFUA = Path(sys.executable).parent / "pdfua"


@pytest.mark.parametrize("pdf", ["site/workbooks/first-module-participant.pdf",
                                 "build/facilitator/first-module-facilitator.pdf"])
def test_workbook_passes_the_pdf_ua_checks(built_workbooks, pdf):
    result = subprocess.run([str(PDFUA), "check", str(built_workbooks / pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "result: PASS (no findings)" in result.stdout


def test_table_headers_carry_their_scope(built_workbooks):
    import pikepdf

    scopes = []

    def walk(node, head=False):
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child, head)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if node.S == "/TH":
                scopes.append((head, str(node.A.get("/Scope"))))
            walk(node.get("/K"), head or node.S == "/THead")

    with pikepdf.open(built_workbooks / "build/facilitator/first-module-facilitator.pdf") as pdf:
        walk(pdf.Root.StructTreeRoot.K)
    assert (True, "/Column") in scopes and (False, "/Row") in scopes
    assert all(scope == ("/Column" if head else "/Row") for head, scope in scopes)
