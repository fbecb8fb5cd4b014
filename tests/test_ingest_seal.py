"""Lifting the seal off a scanned page (ingest.seal), on rendered scans and real Tesseract."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from ingest import read_document
from ingest.model import PageZone
from ingest.pdf import native_scan
from ingest.seal import drop_seals, seal_boxes
from samples.generate import load_source, render_scan

LETTERS = Path(__file__).resolve().parent.parent / "samples" / "letters"
MM = 300 / 25.4  # pixels a millimetre on a clean scan
LOOKS_OFF = ("CONGVAN_HEADER_SECOND_LOOK", "CONGVAN_SIGNER_SECOND_LOOK", "CONGVAN_LIST_SECOND_LOOK")


def _pages(letter: str, degraded: bool = False, stamp: bool = False) -> list[Image.Image]:
    """The page images of the letter's scanned PDF, as the scanner made them."""
    data = render_scan(load_source(LETTERS / f"{letter}.txt"), degraded=degraded, seed=0, stamp=stamp)
    doc = pdfium.PdfDocument(data)
    return [native_scan(doc[i], 10**8)[0] for i in range(len(doc))]  # type: ignore[index]


def test_the_seal_on_a_signed_page_is_found_and_only_it() -> None:
    page = _pages("ubnd-chu-se-2023-giay-moi", stamp=True)[0]  # with an arrival stamp at the top
    boxes, _ = seal_boxes(page, 300)
    assert len(boxes) == 1, boxes  # the oblong stamp is not a seal
    x0, y0, x1, y1 = boxes[0]
    assert 30 * MM <= x1 - x0 <= 45 * MM and 30 * MM <= y1 - y0 <= 45 * MM
    assert x0 > page.width / 2 and y0 > page.height / 2  # over the signer, bottom right


def test_a_page_of_print_only_has_no_seal() -> None:
    first, last = _pages("ubnd-gia-lai-2023-08-chuyen-doi-so")
    assert seal_boxes(first, 300)[0] == []
    assert len(seal_boxes(last, 300)[0]) == 1


def test_a_faded_scan_is_left_as_it_is() -> None:
    """Low contrast: the seal's grey is too close to faded print to lift it safely."""
    page = _pages("ubnd-chu-se-2023-giay-moi", degraded=True)[0]
    assert drop_seals(page, 200) is page


@pytest.mark.parametrize("size", [(1, 1), (3, 2), (200, 150)])
def test_an_image_smaller_than_a_seal_is_left_as_it_is(size: tuple[int, int]) -> None:
    page = Image.new("L", size, 128)
    assert drop_seals(page, 300) is page


def test_the_post_under_the_seal_reads_whole_once_the_seal_is_lifted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page pass alone (second looks off): with the seal the rim takes `CHÁNH` of the post
    and `Rơ` of the name; without it both read whole."""
    for name in LOOKS_OFF:
        monkeypatch.setenv(name, "0")
    data = render_scan(load_source(LETTERS / "ubnd-chu-se-2023-giay-moi.txt"), fmt="png", seed=0)

    def signer_lines() -> list[str]:
        page = read_document(data).pages[-1]
        return [ln.text for z in page.zones if z.kind == PageZone.FOOTER_RIGHT for ln in z.lines]

    lifted = signer_lines()
    assert "CHÁNH VĂN PHÒNG" in lifted and "Rơ Châm Hyul" in lifted, lifted
    monkeypatch.setenv("CONGVAN_SEAL_DROPOUT", "0")
    stamped = signer_lines()
    assert "CHÁNH VĂN PHÒNG" not in stamped, stamped
