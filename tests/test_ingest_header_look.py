"""The second look at the header band (`ingest.header_look`): Tesseract's page layout analysis
drops the `Số:` / date row of some clean headers; the row is read again and merged."""

from __future__ import annotations

from pathlib import Path

import pytest
from ocrlines import ocr_line

from extract import Letter, extract_letter
from ingest import ocr, read_document
from ingest.header_look import is_date_line, is_number_line, rescue_header
from ingest.model import Document, Line, PageZone, Word
from ingest.zones import zone_page

ROOT = Path(__file__).resolve().parent.parent
HA_TINH = ROOT / "samples" / "letters" / "ubnd-ha-tinh-2013-38.txt"


def _line(text: str, x: float, y: float, h: float = 48.0, conf: float = 95.0) -> Line:
    return ocr_line(text, x, y, conf, height=h, char_width=24.0, gap=16.0)


def test_number_and_date_lines() -> None:
    assert is_number_line(_line("Số: 38/2013/QĐ-UBND", 0, 0))
    assert is_number_line(_line("Sổ : 86/GM-UBND", 0, 0))
    assert is_number_line(_line("Số 215/TTr-UBND", 0, 0))
    assert not is_number_line(_line("SỞ TÀI CHÍNH", 0, 0))
    assert is_date_line(_line("Hà Tĩnh, ngày 28 tháng 08 năm 2013", 0, 0))
    assert is_date_line(_line("Gia Lai, ngày tháng 8 năm 2023", 0, 0))
    assert not is_date_line(_line("Độc lập - Tự do - Hạnh phúc", 0, 0))


# A page-1 reading as the page pass gives it: the date row is there, the `Số` row is lost.
WIDTH, HEIGHT = 2481.0, 3508.0
PAGE = (
    _line("ỦY BAN NHÂN DÂN", 545, 275),
    _line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1221, 275),
    _line("TỈNH HÀ TĨNH", 607, 341),
    _line("Độc lập - Tự do - Hạnh phúc", 1407, 344),
    _line("Hà Tĩnh, ngày 28 tháng 08 năm 2013", 1300, 452),
    _line("QUYẾT ĐỊNH", 1146, 607),
    *(_line("Căn cứ Luật Tổ chức HĐND và UBND ngày 26/11/2003", 300, 700 + 70 * i) for i in range(4)),
)


def test_only_missing_rows_are_merged_without_duplicates(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    calls = []

    def fake_ocr(crop, timeout_s, dpi, psm):  # noqa: ANN001, ANN202 - stands in for Tesseract
        calls.append((crop.size, psm))
        return (
            _line("ỦY BAN NHÂN DÂN", 545, 275),  # read by the page pass: not added again
            _line("Hà Tĩnh, ngày 28 tháng 08 năm 2013", 1300, 452),  # ditto
            _line("Số: 38/2013/QĐ-UBND", 560, 472),  # the missing row
        )

    monkeypatch.setattr(ocr, "ocr_lines", fake_ocr)
    image = Image.new("L", (int(WIDTH), int(HEIGHT)), 255)
    out = rescue_header(image, PAGE, 30.0, 300)
    assert len(calls) == 1 and calls[0][1] == "--psm 11"
    assert calls[0][0][1] <= 607, "the crop ends at the first body row"
    assert out[: len(PAGE)] == PAGE and [ln.text for ln in out[len(PAGE) :]] == ["Số: 38/2013/QĐ-UBND"]
    zones = {z.kind: z for z in zone_page(out, WIDTH, HEIGHT, header=True, footer=False)}
    assert [ln.text for ln in zones[PageZone.HEADER_LEFT].lines][-1] == "Số: 38/2013/QĐ-UBND"
    assert sum(is_date_line(ln) for ln in zones[PageZone.HEADER_RIGHT].lines) == 1

    # The page pass read the lost row as one doubtful scrawl: the row replaces it.
    scrawl = Line((Word("nh", (560, 474, 1100, 520), 19.0),))
    out = rescue_header(image, (*PAGE, scrawl), 30.0, 300)
    assert [ln.text for ln in out[len(PAGE) :]] == ["Số: 38/2013/QĐ-UBND"]

    # Nothing missing: no second look at all.
    calls.clear()
    assert rescue_header(image, out, 30.0, 300) == out
    assert calls == []


@pytest.fixture(scope="module")
def ha_tinh() -> Document:
    from samples.generate import render_scan

    return read_document(render_scan(HA_TINH, fmt="png", seed=20), filename="ha-tinh.png")


def test_ha_tinh_header_rows_are_read(ha_tinh: Document) -> None:
    page = ha_tinh.pages[0]
    left = [ln.text for ln in page.zone(PageZone.HEADER_LEFT).lines]
    right = [ln.text for ln in page.zone(PageZone.HEADER_RIGHT).lines]
    number = [t for t in left if t.startswith("Số:")]
    assert number and "38/2013/QĐ-UBND" in number[0], left
    assert any(is_date_line(Line((Word(t, (0, 0, 1, 1), 90.0),))) for t in right), right
    assert any("28" in t and "2013" in t for t in right), right


def test_ha_tinh_number_and_date(ha_tinh: Document) -> None:
    letter: Letter = extract_letter(ha_tinh)
    assert letter.number == "38/2013/QĐ-UBND"
    assert letter.date == "2013-08-28"
