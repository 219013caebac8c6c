"""The unique strings planted in tests/fixtures/projects/basic, by where they stand."""

import re

# Facilitator-only: one in each kind of facilitator-only place of the authoring contract.
FACILITATOR = {
    "FACNOTES-7d41": "agenda facilitator_notes",
    "FACOUTPUT-3b9c": "session 1 desired_output",
    "FACOUTPUT-8e21": "session 2 desired_output",
    "FACHEADING-6c6c": "heading inside a facilitator block",
    "FACBLOCK-1111": "top-level facilitator block",
    "FACINLINE-2222": "inline facilitator block",
    "FACLISTITEM-3333": "facilitator block inside a list item",
    "FACADMON-4444": "facilitator block inside an admonition",
    "FACTABLE-5555": "facilitator block around a table",
    "FACMD-6666": "facilitator.md",
    "FACKEY-7777": "answer_key (lines question)",
    "FACKEY-8888": "answer_key (checklist question)",
    "FACKEY-9999": "answer_key (session 2)",
    "GUIDEMARKER-a1b2": "the shared facilitator guide",
    "FACNUMBERED-1212": "facilitator block at a numbered item's three-space indent",
    "FACDEEP-2323": "facilitator block two lists deep",
    "FACDEEPLIST-3434": "a list inside a facilitator block two lists deep",
    "FACBETWEEN-4545": "facilitator block between two numbered items",
    "FACQUOTE-5656": "facilitator block inside a block quote",
    "FACQUOTE2-6767": "second paragraph of a facilitator block inside a block quote",
    "FACCELL-7878": "facilitator block inside a table cell",
    "FACSTEP-3a3a": "a step of an agenda item's facilitator_notes",
    "FACLISTEN-4b4b": "listen_for of an agenda item's facilitator_notes",
    "FACSMALLER-5c5c": "smaller_groups of an agenda item's facilitator_notes",
    "FACCLOSE-6d6d": "close of an agenda item's facilitator_notes",
    "FACMATERIALS-2f2f": "materials of an agenda item",
    "FACKEY-9a9a": "answer_key (grid question)",
}
PARTICIPANT = ["PARTSUMMARY-9f3e", "PARTREFNOTE-55aa", "PARTOBJ-1c1c", "PARTOBJ-2d2d", "PARTINTRO-4a4a",
               "PARTBODY-5e5e", "PARTLIST-6f6f", "PARTADMON-7a7a", "PARTS2-8b8b", "PARTINSTR-9c9c",
               "PARTPROMPT-0d0d", "PARTSTEP-1a1a", "PARTFOURTH-2b2b", "PARTQUOTE-3c3c", "PARTCELL-4d4d",
               "PARTMETHOD-1e1e", "PARTMGRSHARED-0a0a", "PARTMGRPRACTICE-8e8e", "PARTMGRSUPPORT-9f9f",
               "PARTEVAL1-6a6a", "PARTEVAL2-7b7b"]
# Case-insensitive and separator-insensitive, so slugified anchors ("fachheading-6c6c") count too.
FACILITATOR_PATTERN = re.compile("|".join(m.replace("-", "[-_ ]?") for m in FACILITATOR), re.IGNORECASE)
