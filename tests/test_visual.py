"""Visual regression: four pages of the fixture's facilitator workbook against reference images.

After a deliberate change to the print layout, look at the new pages, then refresh the references
with `make visual-refs` and commit them with the change.
"""

import os
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops

REFERENCES = Path(__file__).parent / "visual"
FACILITATOR_PDF = "build/facilitator/first-module-facilitator.pdf"
# Which page: a function of the page's text. The cover is the first page.
PAGES = {
    "cover": lambda i, text: i == 0,
    "run-sheet": lambda i, text: "Run sheet: session 1" in text,
    "worksheet": lambda i, text: "Worksheet: Tasks to hand over" in text and not text.startswith("Contents"),
    "evaluation": lambda i, text: text.startswith("Session 1 evaluation"),
}
SCALE = 0.6  # about 72 dpi: enough to see layout, small enough to keep in the repository
TOLERANCE = 0.005  # share of pixels that may differ clearly (anti-aliasing, not layout)


def render_pages(pdf_path: Path) -> dict[str, Image.Image]:
    pdf = pypdfium2.PdfDocument(pdf_path)
    texts = [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    images = {}
    for name, wanted in PAGES.items():
        index = next(i for i, text in enumerate(texts) if wanted(i, text))
        images[name] = pdf[index].render(scale=SCALE).to_pil().convert("L")
    return images


@pytest.mark.parametrize("name", list(PAGES))
def test_page_looks_as_it_did(built_workbooks, name, tmp_path):
    image = render_pages(built_workbooks / FACILITATOR_PDF)[name]
    reference = REFERENCES / f"{name}.png"
    if os.environ.get("PEERPRESS_UPDATE_VISUAL") == "1":
        image.save(reference, optimize=True)
    assert reference.is_file(), f"no reference for {name}: run make visual-refs"
    expected = Image.open(reference).convert("L")
    assert image.size == expected.size, f"{name}: page size changed"
    difference = ImageChops.difference(image, expected).point(lambda value: 255 if value > 48 else 0)
    changed = sum(1 for value in difference.get_flattened_data() if value) / (image.size[0] * image.size[1])
    if changed > TOLERANCE:
        Image.merge("RGB", (expected, image, image)).save(tmp_path / f"{name}-diff.png")
    assert changed <= TOLERANCE, (f"{name}: {changed:.2%} of the page changed (see {tmp_path / (name + '-diff.png')}); "
                                  "if the change is intended, run make visual-refs")
