"""Reading the ĐẾN arrival stamp: printed labels with handwritten values, on page 1.
Typed stamps give every field; on the real VPCP scan the printed office and the
stamp itself are found, and nothing is invented for the handwriting OCR cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz

from extract.arrival import ArrivalStamp, read_arrival_stamp, read_stamp
from extract.fuzzy import fold
from ingest import read_document

REAL = Path(__file__).resolve().parent / "data" / "real-scans"


@pytest.mark.parametrize(("lines", "want"), [
    (["CÔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "ĐẾN Số: 125 Giờ: 14h30", "Ngày: 28/4/2026"],
     ArrivalStamp("CÔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", 125, "2026-04-28", "14:30")),
    # Dot leaders around the handwriting, a two-digit year, an hour alone.
    (["VĂN PHÒNG UBND TỈNH", "ĐẾN Số:..1234.. Giờ: 9 giờ", "Ngày:..28..../..4../..26"],
     ArrivalStamp("VĂN PHÒNG UBND TỈNH", 1234, "2026-04-28", "09:00")),
    # Tesseract's reading of the VPCP stamp: labels, no handwriting.
    (["Hà Nội, ngày 28 tháng 4 năm 2026", "D", "GÔNG THÒNG TIN ĐIỆN TƯ CHÍNH PHÙ", "ĐẾN Giờ......."],
     ArrivalStamp("GÔNG THÒNG TIN ĐIỆN TƯ CHÍNH PHÙ", None, None, None)),
    # Out-of-range values are dropped, not guessed.
    (["ĐẾN Số: 7 Giờ: 25h70", "Ngày: 31/2/2026"], ArrivalStamp(None, 7, None, None)),
    # The motto above is no office.
    (["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẾN Ngày: 1/12/2025"],
     ArrivalStamp(None, None, "2025-12-01", None)),
])
def test_stamps(lines: list[str], want: ArrivalStamp) -> None:
    assert read_stamp(lines) == want


@pytest.mark.parametrize("lines", [
    ["KẾ HOẠCH", "PHÁT TRIỂN HẠ TẦNG SỐ ĐẾN NĂM 2030", "Số: 12/KH-UBND"],  # ĐẾN inside a title
    ["ĐẾN NĂM 2030", "Số: 12/KH-UBND"],  # the letter's own number is no stamp label
    ["Metro Bến Thành - Suối Tiên đến Trung tâm", "Ngày: 28/4/2026"],  # the common word đến
    [],
])
def test_no_stamp(lines: list[str]) -> None:
    assert read_stamp(lines) is None


def test_real_vpcp_scan_has_its_stamp_found() -> None:
    doc = read_document((REAL / "vpcp-2026-3722.pdf").read_bytes(), filename="vpcp-2026-3722.pdf")
    stamp = read_arrival_stamp(doc)
    assert stamp is not None
    assert stamp.office and fuzz.ratio(fold(stamp.office), "cong thong tin dien tu chinh phu") >= 80
    # Handwritten `28/4/2026`: read right or not at all.
    assert stamp.date in (None, "2026-04-28")
    assert stamp.number is None  # this stamp has no number box


def test_real_scan_without_stamp() -> None:
    doc = read_document((REAL / "ubnd-ha-noi-2026-453.pdf").read_bytes(), filename="ubnd-ha-noi-2026-453.pdf")
    assert read_arrival_stamp(doc) is None
