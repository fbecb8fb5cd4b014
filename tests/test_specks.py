"""OCR specks glued to words are blanked in OCR'd body text, never in typed text or addresses."""

from __future__ import annotations

from extract import tasks
from extract.specks import despeckled
from extract.textview import TextView
from extract.views import ZoneViews
from ingest.model import Line, Word


def ocr_view(text: str) -> TextView:
    lines = []
    for y, row in enumerate(text.split("\n")):
        words = [
            Word(t, (10.0 * x, 40.0 * y, 10.0 * x + 9, 40.0 * y + 30), 80.0)
            for x, t in enumerate(row.split())
        ]
        lines.append((1, Line(tuple(words))))
    return TextView.of(lines)


def test_glued_specks_become_spaces_of_the_same_length() -> None:
    view = ocr_view("2. Sở:'Nông nghiệp chỉ đạo;\ncá nhân có-liên quan, xem xét,-giải quyết,\n-hoàn thành")
    out = despeckled(view)
    assert out.text == "2. Sở  Nông nghiệp chỉ đạo;\ncá nhân có liên quan, xem xét, giải quyết,\n hoàn thành"
    assert len(out.text) == len(view.text) and out.words == view.words
    assert (
        despeckled(ocr_view("ˆ` Điều 1. Ban hành;\n'Thủ trưởng các Sở")).text
        == "   Điều 1. Ban hành;\n Thủ trưởng các Sở"
    )


def test_typed_text_addresses_and_printed_hyphens_stay() -> None:
    typed = TextView.of_text("Sở:'Nông nghiệp có-liên quan")
    assert despeckled(typed) is typed
    view = ocr_view("tại https://dich-vu-cong.gov.vn - Kế hoạch - Tài chính; PT-TH tỉnh")
    assert despeckled(view).text == view.text


def test_a_body_behind_specks_is_assigned() -> None:
    body = ocr_view(
        "1. Yêu cầu Sở Y tế kiểm tra.\n2. Sở:'Nông nghiệp và Phát triển nông thôn chỉ đạo các đơn vị./."
    )
    empty = TextView.of_text("")
    views = ZoneViews(empty, empty, body, empty, empty, body)
    found = tasks.extract(views, letter_date="2023-08").values["tasks"]
    assert [t.assignees for t in found] == [["Sở Y tế"], ["Sở Nông nghiệp và Phát triển nông thôn"]]
