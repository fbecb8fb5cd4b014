"""The list second look: run only on a list with a doubtful word, kept only when surer."""

from __future__ import annotations

import pytest
from ocrlines import ocr_line
from PIL import Image

from ingest import list_look, ocr
from ingest.model import Line, PageZone, Word
from ingest.zones import zone_page

W, H = 2481, 3508


def _line(text: str, x: float, y: float, conf: float = 95.0) -> Line:
    return ocr_line(text, x, y, conf)


def _page(list_conf: float) -> tuple[Line, ...]:
    # Two list lines read across each other, a word of them a guess (`list_conf`).
    return (
        _line("Nội dung văn bản kết thúc tại đây và không còn gì thêm./.", 400, 1900),
        _line("Nơi nhận:", 400, 2000),
        Line((*_line("- Nhưtên", 400, 2060, list_conf).words, *_line("ĐỘ trưởng;", 700, 2060).words)),
        _line("- Lưu: VT.", 400, 2120),
        _line("GIÁM ĐỐC", 1500, 2000),
        _line("Lê Văn Bình", 1500, 2300),
    )


def _fake_ocr(conf: float):  # type: ignore[no-untyped-def]
    def read(crop: Image.Image, timeout_s: float, dpi: int, psm: str) -> tuple[Line, ...]:
        return (
            _line("Nơi nhận:", 12, 10, conf),
            _line("- Như trên;", 12, 70, conf),
            _line("- Bộ trưởng;", 12, 130, conf),
        )

    return read


def _texts(lines: tuple[Line, ...], kind: PageZone) -> list[str]:
    zone = {z.kind: z for z in zone_page(lines, W, H, header=False, footer=True)}.get(kind)
    return [ln.text for ln in zone.lines] if zone else []


def test_a_doubtful_list_is_read_again_and_the_surer_reading_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "ocr_lines", _fake_ocr(96.0))
    out = list_look.rescue_list(Image.new("L", (W, H), 255), _page(10.0), False, 30.0, 300)
    left = _texts(out, PageZone.FOOTER_LEFT)
    assert "- Như trên;" in left and "- Bộ trưởng;" in left and "Nhưtên" not in " ".join(left)
    assert _texts(out, PageZone.FOOTER_RIGHT) == ["GIÁM ĐỐC", "Lê Văn Bình"]


def test_a_sure_list_or_a_worse_reading_leaves_the_page_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "ocr_lines", _fake_ocr(96.0))
    page = _page(90.0)
    assert list_look.rescue_list(Image.new("L", (W, H), 255), page, False, 30.0, 300) is page
    monkeypatch.setattr(ocr, "ocr_lines", _fake_ocr(60.0))
    page = _page(10.0)
    assert list_look.rescue_list(Image.new("L", (W, H), 255), page, False, 30.0, 300) is page


@pytest.mark.parametrize(
    ("text", "confidence", "expected"),
    [
        ("TGĐ", 37.0, False),  # abbreviations: no dictionary knows them, Tesseract reads them unsure
        ("TT&TT", 24.0, False),
        ("GD&ĐT;", 32.0, False),
        ("TTr", 37.0, False),
        ("(b/c);", 35.0, False),
        ("HĐTYV", 5.0, True),  # near zero: a guess at glyphs, whatever its shape
        ("-Nhưtên", 39.0, True),  # `- Như trên` read across the line
        ("PTTgT'T", 19.0, True),
        ("Tây,", 19.0, True),
        ("trên;", 60.0, False),
    ],
)
def test_a_list_word_is_doubted_when_it_is_a_guess(text: str, confidence: float, expected: bool) -> None:
    assert list_look.doubted(Word(text, (0.0, 0.0, 10.0, 10.0), confidence)) is expected
