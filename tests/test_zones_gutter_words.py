"""Words are atomic at the footer gutter: an OCR fragment of a right-column word (`P` of `PHÓ`,
read apart on a degraded scan and merged into the left column's line) goes with its word, not
to the left column (`HÓ GIÁM ĐỐC` was the signer post)."""

from __future__ import annotations

import pytest

from ingest.model import Line, PageZone, Word
from ingest.zones import zone_page

W, H = 2481.0, 3508.0


def _words(text: str, x: float, y: float, cw: float = 24.0) -> list[Word]:
    out, left = [], x
    for token in text.split():
        out.append(Word(token, (left, y, left + cw * len(token), y + 44.0), 92.0))
        left += cw * len(token) + 14.0
    return out


BODY = [
    Line(
        tuple(
            _words("Yêu cầu các đơn vị nghiêm túc triển khai thực hiện quyết định này và báo cáo./.", 300, y)
        )
    )
    for y in (1500, 1560, 1620)
]


def _footer(lines: list[Line]) -> dict[str, list[str]]:
    zones = zone_page(BODY + lines, W, H, header=False, footer=True)
    return {z.kind.value: [ln.text for ln in z.lines] for z in zones if z.kind != PageZone.BODY}


@pytest.mark.parametrize("gap", [60.0, 90.0, 150.0])
def test_fragment_of_a_right_column_word_stays_with_it(gap: float) -> None:
    item = _words("- Các Sở, ban, ngành thuộc UBND tỉnh Gia Lai và đơn vị;", 300, 1860)
    x = item[-1].bbox[2] + gap
    fragment = Word("P", (x, 1860, x + 24, 1904), 88.0)  # one letter: not a solid word
    zones = _footer(
        [
            Line(tuple(_words("Nơi nhận:", 300, 1800))),
            Line((*item, fragment, *_words("HÓ GIÁM ĐỐC SỞ Y TẾ", x + 28, 1860))),  # one OCR line
            Line(tuple(_words("- Lưu: VT, VP.", 300, 1920))),
            Line(tuple(_words("Nguyễn Văn Bình Minh", x + 40, 2200))),
        ]
    )
    assert zones["footer-left"][1] == "- Các Sở, ban, ngành thuộc UBND tỉnh Gia Lai và đơn vị;"
    assert zones["footer-right"] == ["P HÓ GIÁM ĐỐC SỞ Y TẾ", "Nguyễn Văn Bình Minh"]
