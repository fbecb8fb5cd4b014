"""Fuzzing `extract.extract_text`: it never raises, whatever the text, and what it returns
is a valid `Letter` (it survives a JSON round trip through the contract model).

Two kinds of input: any Unicode at all; and letter-shaped text (zone markers, real lines of
a letter, numbers, dates and list markers in random order, cut and glued). Sample letters
with OCR-like edits, as plain text and as positioned zones, are fuzzed in
tests/test_extract_fuzz.py.
"""

from __future__ import annotations

from conftest import SERVICE_LETTER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import extract_text
from extract.model import Letter

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

LETTER_LINES = SERVICE_LETTER.splitlines()
MARKERS = ["[header-left]", "[header-right]", "[body]", "[footer-left]", "[footer-right]", "[stamp]", "["]
PIECES = [
    "Số:", "Số: /", "Số: 99999999999999999999/QĐ-UBND", "V/v", "Kính gửi:", "Nơi nhận:", "- Như trên;",
    "Lưu: VT.", "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "ngày 31 tháng 2 năm 2024", "ngày 0 tháng 13 năm 0",
    "ngày .. tháng .. năm 20", "trước ngày 99/99/9999", "trước ngày 30/9", "1.", "a)", "-", "+", "./.",
    "Giao", "chủ trì", "phối hợp", "Sở", "UBND", "HỎA TỐC", "THƯỢNG KHẨN",
    "căn cứ Nghị định số 30/2020/NĐ-CP",
    "(cid:12)", "\u0300\u0301", "\ufeff", "\x00", "\t", "   ", "\r\n", "\u200b", "ĐẾN Số: 12 Ngày: 1/1",
]
any_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)
token = st.one_of(st.sampled_from(LETTER_LINES), st.sampled_from(MARKERS), st.sampled_from(PIECES),
                  st.integers(-10, 10**12).map(str), st.text(max_size=20))
shaped = st.lists(token, max_size=60).flatmap(
    lambda parts: st.lists(st.sampled_from(["\n", " ", ""]), min_size=len(parts), max_size=len(parts))
    .map(lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True))))


def _holds(text: str) -> None:
    letter = extract_text(text)
    assert isinstance(letter, Letter)
    again = Letter.model_validate_json(letter.model_dump_json())
    assert again == letter


@FUZZ
@given(any_text)
def test_any_unicode_never_raises(text: str) -> None:
    _holds(text)


@FUZZ
@given(shaped)
def test_letter_shaped_text_never_raises(text: str) -> None:
    _holds(text)


def test_lone_surrogates_and_huge_lines_never_raise() -> None:
    # Surrogates cannot come from a decoder but can from a caller; a single huge line is an
    # OCR run that found no line breaks.
    for text in ("\ud800 Số: 1/UBND \udfff", "Kính gửi: " + "Sở Tài chính, " * 3000, "1. " * 5000,
                 "\n" * 20000, SERVICE_LETTER * 8):
        _holds(text)
