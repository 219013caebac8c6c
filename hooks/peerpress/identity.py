"""What a workbook PDF says it is: module, edition, form version and, for print-run copies, group and member.

A returned file is matched to its questions by this identity, so it travels inside the PDF: custom keys in the
document Info dictionary (read by `read`) and the same values in XMP for tools that only look there. It holds
ids only, never a name, so a participant copy carries nothing facilitator-only.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from .forms import evaluation_fields, session_record
from .model import Catalog, Edition

# Info keys, in Identity field order; XMP uses the same names under its own namespace.
INFO_KEYS = {"module": "/PeerpressModule", "edition": "/PeerpressEdition", "form_version": "/PeerpressFormVersion",
             "group": "/PeerpressGroup", "member": "/PeerpressMember"}
XMP_NAMESPACE = "urn:x-peerpress:workbook:1/"  # a name, not an address: nothing is fetched from it
XMP_PREFIX = "peerpress"


@dataclass(frozen=True)
class Identity:
    module: str
    edition: Edition
    form_version: str
    group: str | None = None  # set on print-run copies only
    member: str | None = None

    @property
    def printed_for_group(self) -> bool:
        """A print-run copy: made for one group and one member (a participant, or a session's facilitator)."""
        return self.group is not None


def form_version(catalog: Catalog) -> str:
    """A short hash of what returned answers mean: the evaluation questions and every collected field name.

    Titles, instructions and the number of writing lines are left out: rewording them changes no answer.
    """
    evaluations = [{"session": e.session, "fields": evaluation_fields(e),
                    "questions": [{"prompt": q.prompt, "response": q.response, "options": list(q.options),
                                   "rows": list(q.rows), "columns": list(q.columns)} for q in e.questions]}
                   for e in catalog.evaluations]
    records = [[f.name for f in session_record(session)] for session in (1, 2)]
    canonical = json.dumps({"evaluations": evaluations, "session_records": records},
                           sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def stamp(pdf: bytes, identity: Identity) -> bytes:
    """The PDF with `identity` written into its Info dictionary and XMP; other metadata is kept as it was."""
    import pikepdf  # only the build stamps; collecting reads with pypdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        write_identity(document, identity)
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
    return out.getvalue()


def write_identity(document, identity: Identity) -> None:
    """Write `identity` into an open pikepdf document's Info dictionary and XMP."""
    from pikepdf.models.metadata import PdfMetadata

    PdfMetadata.register_xml_namespace(XMP_NAMESPACE, XMP_PREFIX)
    values = _values(identity)
    for name, key in INFO_KEYS.items():
        if name in values:
            document.docinfo[key] = values[name]
        elif key in document.docinfo:
            del document.docinfo[key]
    # Neither a new producer nor a metadata date: the same workbook and identity give the same bytes.
    with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for name in INFO_KEYS:
            qname = f"{{{XMP_NAMESPACE}}}{name}"
            if name in values:
                meta[qname] = values[name]
            elif qname in meta:
                del meta[qname]


def read(pdf: Path | str | bytes) -> Identity | None:
    """The identity stamped into a workbook PDF, or None if it carries none (or the file cannot be read)."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else Path(pdf))
        if reader.is_encrypted:
            reader.decrypt("")
        info = reader.metadata or {}
    except Exception:  # pypdf raises many kinds on damaged files; collect names the damage itself
        return None
    return from_info(info)


def from_info(info) -> Identity | None:
    """The identity in a PDF's Info dictionary (any mapping of `/Key` to text), or None if incomplete."""
    values = {name: str(info[key]).strip() for name, key in INFO_KEYS.items() if info.get(key) is not None}
    if not all(values.get(name) for name in ("module", "edition", "form_version")):
        return None
    if values["edition"] not in {e.value for e in Edition}:
        return None
    return Identity(values["module"], Edition(values["edition"]), values["form_version"],
                    values.get("group") or None, values.get("member") or None)


def _values(identity: Identity) -> dict[str, str]:
    values = {"module": identity.module, "edition": str(identity.edition), "form_version": identity.form_version,
              "group": identity.group, "member": identity.member}
    return {name: value for name, value in values.items() if value}
