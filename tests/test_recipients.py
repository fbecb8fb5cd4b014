"""`recipients`: the `Kính gửi:` list, hard cases one by one, and the shared letters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import recipients
from extract.listing import find_heading
from extract.textview import TextView
from extract.views import ZoneViews

LETTERS = Path(__file__).resolve().parent / "data" / "shared-letters"  # the 10 labelled letters


def names(text: str) -> list[str]:
    return recipients.extract(ZoneViews.of_text(text)).values["recipients"]


def test_one_body_on_the_same_line() -> None:
    text = "Số: 12/UBND-KT\nKính gửi: Ủy ban nhân dân tỉnh Gia Lai\n\nThực hiện Kế hoạch số 5/KH-UBND ..."
    assert names(text) == ["Ủy ban nhân dân tỉnh Gia Lai"]


def test_one_body_on_the_same_line_closed_by_a_period() -> None:
    assert names("Kính gửi: Sở Tài chính.\nSở Thông tin và Truyền thông nhận được ...") == ["Sở Tài chính"]


def test_dashed_items_one_per_line_with_wrapped_lines() -> None:
    text = (
        "Kính gửi:\n"
        "- Tập đoàn Bưu chính Viễn thông\nViệt Nam (VNPT);\n"
        "- Tập đoàn Công nghiệp - Viễn thông Quân đội (Viettel);\n"
        "- Ủy ban nhân dân các huyện, thị xã, thành phố.\n"
        "Ủy ban nhân dân tỉnh nhận được Văn bản số 2956/VTS-ĐTTM ngày 14/4/2023 ..."
    )
    assert names(text) == [
        "Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT)",
        "Tập đoàn Công nghiệp - Viễn thông Quân đội (Viettel)",
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
    ]


def test_list_running_into_the_body_text() -> None:
    # No blank line, no closing period: the list ends where a sentence of the body starts.
    text = (
        "Kính gửi:\n- Sở Tài chính;\n- Sở Nội vụ\n"
        "Thực hiện Quyết định số 15/QĐ-UBND ngày 02/3/2024 của Ủy ban nhân dân tỉnh, Sở Thông tin ..."
    )
    assert names(text) == ["Sở Tài chính", "Sở Nội vụ"]


def test_period_and_body_text_on_the_same_line() -> None:
    text = "Kính gửi:\n- Sở Y tế;\n- Sở Tài chính. Căn cứ Luật Ngân sách nhà nước, ..."
    assert names(text) == ["Sở Y tế", "Sở Tài chính"]


def test_items_without_dashes() -> None:
    text = "Kính gửi:\nSở Y tế;\nSở Giáo dục và Đào tạo.\n\nNgày 12/5/2024, ..."
    assert names(text) == ["Sở Y tế", "Sở Giáo dục và Đào tạo"]


def test_ocr_spelling_of_the_keyword() -> None:
    assert names("Kinh gùi:\n- Sở Tài chính;\n- Sở Xây dựng.") == ["Sở Tài chính", "Sở Xây dựng"]


def test_telegram_recipients() -> None:
    text = (
        "CÔNG ĐIỆN\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH GIA LAI điện:\n"
        "- Giám đốc các sở, Thủ trưởng các ban, ngành của tỉnh;\n- Chủ tịch Ủy ban nhân dân các xã, phường.\n"
        "Theo tin bão khẩn cấp ..."
    )
    assert names(text) == [
        "Giám đốc các sở, Thủ trưởng các ban, ngành của tỉnh",
        "Chủ tịch Ủy ban nhân dân các xã, phường",
    ]


def test_no_recipient_list() -> None:
    assert names("QUYẾT ĐỊNH\nĐiều 1. Ban hành kèm theo Quyết định này ...") == []


def test_a_look_alike_inside_the_body_is_no_heading() -> None:
    # `ninh, an` scores 86 against `Nơi nhận` with plain fuzzy matching: headings open their line.
    assert find_heading("bảo đảm an ninh, an toàn dữ liệu.", "Nơi nhận") is None
    assert find_heading("x\nNơi nhận:\n- Như trên;", "Nơi nhận") is not None


def test_each_recipient_has_evidence() -> None:
    out = recipients.extract(ZoneViews.of_text("Kính gửi:\n- Sở Y tế;\n- Sở Tài chính."))
    assert set(out.evidence) == {"/recipients/0", "/recipients/1"}
    assert out.evidence["/recipients/1"][0].text == "Sở Tài chính."


@pytest.mark.parametrize("path", sorted(LETTERS.glob("*.txt")), ids=lambda p: p.stem)
def test_shared_letters(path: Path) -> None:
    label = json.loads(path.with_suffix(".json").read_text())
    assert names(path.read_text()) == label["recipients"]


def test_items_without_dashes_or_semicolons_one_per_line() -> None:
    assert names("Kính gửi:\nSở Tài chính\nSở Kế hoạch và Đầu tư\n\nThực hiện ...") == [
        "Sở Tài chính",
        "Sở Kế hoạch và Đầu tư",
    ]


def test_body_sentence_after_a_same_line_recipient() -> None:
    text = "Kính gửi: Ủy ban nhân dân tỉnh Gia Lai\nSở Thông tin và Truyền thông nhận được Văn bản số 1/A-B"
    assert names(text) == ["Ủy ban nhân dân tỉnh Gia Lai"]


def test_body_zone_opening_with_a_dashed_list_whose_heading_a_stamp_hid() -> None:
    empty = TextView.of_text("")
    body = TextView.of_text(
        "- Ban Chỉ huy Phòng thủ dân sự tỉnh;\n- Các sở, ban, ngành của tỉnh.\nThực hiện ..."
    )
    views = ZoneViews(empty, empty, body, empty, empty, body)
    out = recipients.extract(views).values["recipients"]
    assert out == ["Ban Chỉ huy Phòng thủ dân sự tỉnh", "Các sở, ban, ngành của tỉnh"]
    assert names("ỦY BAN NHÂN DÂN\n- Như trên;\n- Sở Y tế.") == []  # a whole text opens with its header
