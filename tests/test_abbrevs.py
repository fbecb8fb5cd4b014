"""OCR repairs of abbreviations: one `Đ` for a run of look-alikes, `I` read for `T` or `1`."""

from __future__ import annotations

from extract.abbrevs import lookalikes, one_d


def test_a_run_of_d_lookalikes_is_one_d() -> None:
    assert one_d("Ban TGĐÐĐ VNPT") == "Ban TGĐ VNPT"
    assert one_d("Trung tâm TT, ÐĐL") == "Trung tâm TT, ĐL"
    assert one_d("Đoàn ĐBQH") == "Đoàn ĐBQH"  # no eth: as read


def test_a_misread_i_takes_the_spelling_the_letter_gives() -> None:
    letter = "Số: 15/UBND-VX1\n- TIr Tỉnh ủy, TTr HĐND tỉnh;\n- Lưu: VT, VXI."
    assert lookalikes("TIr Tỉnh ủy, TTr HĐND tỉnh", letter) == "TTr Tỉnh ủy, TTr HĐND tỉnh"
    assert lookalikes("Lưu: VT, VXI", letter) == "Lưu: VT, VX1"


def test_an_abbreviation_the_letter_repeats_or_never_explains_stays() -> None:
    assert lookalikes("Vụ CNTI", "Vụ CNTI; Vụ CNTI") == "Vụ CNTI"  # given twice: as printed
    assert lookalikes("Ban QLDA", "Ban QLDA") == "Ban QLDA"
    assert lookalikes("HĐTVI", "HĐTVI, HĐTVT, HĐTV1") == "HĐTVI"  # two readings found: no choice
