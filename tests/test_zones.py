"""Page zones by word position: synthetic lines (pure functions), born-digital letters
(text layer, every sample letter), a rendered scan and the three real signed scans (OCR)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import Document, Line, PageZone, Word, read_document
from ingest.zones import fold, is_kinh_gui, is_noi_nhan, split_at_gaps, zone_page
from samples.generate import render_pdf, render_scan
from samples.source import corpus, load_source

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real-scans"
GIA_LAI = ROOT / "samples" / "letters" / "ubnd-gia-lai-2023-08-chuyen-doi-so.txt"
W, H = 2480.0, 3508.0


def line(y: float, *parts: tuple[float, str]) -> Line:
    """Words laid out from x positions: each part is (x of first word, text), 30 px a character."""
    words = []
    for x, text in parts:
        for token in text.split():
            words.append(Word(token, (x, y, x + 30 * len(token), y + 50), 95.0))
            x += 30 * len(token) + 20
    return Line(tuple(words))


def texts(zones: tuple, kind: PageZone) -> list[str]:
    zone = next((z for z in zones if z.kind == kind), None)
    return [ln.text for ln in zone.lines] if zone else []


# --- pure functions -------------------------------------------------------------------------------


def test_a_line_across_the_header_gutter_is_cut() -> None:
    merged = line(200, (400, "ỦY BAN NHÂN DÂN"), (1250, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    parts = split_at_gaps(merged, W)
    assert [p.text for p in parts] == ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]


def _letter_page(title: bool = False) -> list[Line]:
    rows = [
        line(200, (400, "ỦY BAN NHÂN DÂN"), (1250, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        line(270, (450, "TỈNH GIA LAI"), (1350, "Độc lập - Tự do - Hạnh phúc")),
        line(370, (420, "Số: 12/UBND-KGVX"), (1300, "Gia Lai, ngày 14 tháng 8 năm 2023")),
        # A long V/v line that runs under the right column's widest line.
        line(440, (350, "V/v triển khai chuyển đổi số"), (1700, "")),
        line(510, (420, "của tỉnh Gia Lai")),
    ]
    if title:
        rows.append(line(620, (1050, "QUYẾT ĐỊNH")))
    else:
        rows.append(line(620, (700, "Kính gửi: Sở Thông tin và Truyền thông")))
    rows += [
        line(700 + 70 * i, (350, "nội dung của văn bản trải dài hết chiều ngang trang giấy"))
        for i in range(8)
    ]
    rows.append(line(1300, (350, "Ủy ban nhân dân tỉnh đề nghị các đơn vị triển khai thực hiện./.")))
    rows.append(line(1420, (350, "Nơi nhận:"), (1400, "TM. ỦY BAN NHÂN DÂN")))
    rows.append(line(1480, (350, "- Như trên;"), (1500, "CHỦ TỊCH")))
    rows.append(line(1540, (350, "- Lưu: VT, KGVX."), (1400, "Nguyễn Văn A")))
    return rows


def test_zones_of_a_cong_van_page() -> None:
    zones = zone_page(_letter_page(), W, H, header=True, footer=True)
    assert texts(zones, PageZone.HEADER_LEFT) == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH GIA LAI",
        "Số: 12/UBND-KGVX",
        "V/v triển khai chuyển đổi số",
        "của tỉnh Gia Lai",
    ]
    assert texts(zones, PageZone.HEADER_RIGHT) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Gia Lai, ngày 14 tháng 8 năm 2023",
    ]
    body = texts(zones, PageZone.BODY)
    assert body[0].startswith("Kính gửi:") and body[-1].endswith("./.")
    assert texts(zones, PageZone.FOOTER_LEFT) == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, KGVX."]
    assert texts(zones, PageZone.FOOTER_RIGHT) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"]


def test_a_centred_title_ends_the_header() -> None:
    zones = zone_page(_letter_page(title=True), W, H, header=True, footer=True)
    assert texts(zones, PageZone.BODY)[0] == "QUYẾT ĐỊNH"
    assert "QUYẾT ĐỊNH" not in " ".join(texts(zones, PageZone.HEADER_RIGHT))


def test_footer_without_noi_nhan_starts_at_the_signer_block() -> None:
    rows = [
        line(300, (350, "nội dung của văn bản trải dài hết chiều ngang trang giấy")),
        line(370, (350, "thực hiện nghiêm túc Quyết định này./.")),
        line(480, (1400, "TM. ỦY BAN NHÂN DÂN")),
        line(540, (1500, "CHỦ TỊCH")),
        line(800, (1450, "Trần Văn B")),
    ]
    zones = zone_page(rows, W, H, header=False, footer=True)
    assert texts(zones, PageZone.FOOTER_RIGHT) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn B"]
    assert texts(zones, PageZone.BODY)[-1].endswith("./.")


def test_page_number_of_a_continuation_page_is_dropped() -> None:
    rows = [line(150, (1220, "2")), line(300, (350, "tiếp theo nội dung của văn bản trên trang hai"))]
    zones = zone_page(rows, W, H, header=False, footer=False)
    assert [z.kind for z in zones] == [PageZone.BODY]
    assert texts(zones, PageZone.BODY) == ["tiếp theo nội dung của văn bản trên trang hai"]


@pytest.mark.parametrize("text", ["Kính gửi:", "Kinh gửi:", "Kính gứi :", "KÍNH GỬI:"])
def test_kinh_gui_matches_ocr_variants(text: str) -> None:
    assert is_kinh_gui(line(0, (0, text)))


@pytest.mark.parametrize("text", ["Tỉnh Gia Lai", "Kinh tế xã hội", "Kính chúc"])
def test_kinh_gui_rejects_other_words(text: str) -> None:
    assert not is_kinh_gui(line(0, (0, text)))


def test_noi_nhan_label_but_not_a_body_phrase() -> None:
    assert is_noi_nhan(line(0, (0, "Nơi nhận:")))
    assert is_noi_nhan(line(0, (0, "Noi nhan:")))
    assert not is_noi_nhan(line(0, (0, "nơi nhận hồ sơ của công dân tại bộ phận một cửa")))
    assert fold("Đồng Nai") == "dong nai"


# --- born-digital letters: every sample, zones against the letter source ---------------------------


def _zone_text(doc: Document, kind: PageZone) -> str:
    return " ".join(ln.text for p in doc.pages for z in p.zones if z.kind == kind for ln in z.lines)


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.stem)
def test_text_layer_zones_match_the_letter_source(path: Path) -> None:
    src = load_source(path)
    doc = read_document(render_pdf(src))
    assert {p.text_source for p in doc.pages} == {"text-layer"}

    def joined(lines: object) -> str:
        return " ".join(" ".join(str(x).split()) for x in lines if str(x).strip())  # type: ignore[attr-defined]

    left = _zone_text(doc, PageZone.HEADER_LEFT)
    # the urgency mark (`HỎA TỐC`, `KHẨN`) may sit under the number in the left column
    for mark in ("THƯỢNG KHẨN", "HỎA TỐC", "KHẨN"):
        left = left.replace(f" {mark}", "")
    assert left == joined([*src.parent_lines, *src.issuer_lines, src.number_line, *src.subject_lines])
    assert _zone_text(doc, PageZone.HEADER_RIGHT) == joined(src.header_right)
    assert _zone_text(doc, PageZone.FOOTER_LEFT) == joined(src.footer_left)
    signer = [*src.signer_lines, *([src.signer_name] if src.signer_name else [])]
    assert _zone_text(doc, PageZone.FOOTER_RIGHT) == joined(signer)


# --- OCR: a rendered scan and the real signed scans -----------------------------------------------


def test_rendered_gia_lai_scan_header_zones() -> None:
    doc = read_document(render_scan(GIA_LAI, fmt="png"))
    page = doc.pages[0]
    left = [ln.text for ln in page.zone(PageZone.HEADER_LEFT).lines]
    right = [ln.text for ln in page.zone(PageZone.HEADER_RIGHT).lines]
    assert left == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH GIA LAI",
        "Số: /UBND-KGVX",
        "V/v triển khai các nội dung hợp tác",
        "về chuyển đổi số giữa UBND tỉnh",
        "Gia Lai với Tập đoàn VNPT và",
        "Tập đoàn Viettel",
    ]
    assert right == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Gia Lai, ngày tháng 8 năm 2023",
    ]
    assert page.zone(PageZone.BODY).lines[0].text.startswith("Kính gửi")


@pytest.fixture(scope="module")
def real() -> dict[str, Document]:
    names = ["vpcp-2026-3722", "ubnd-ha-noi-2026-453", "ubnd-ha-noi-2026-2280"]
    return {n: read_document((REAL / f"{n}.pdf").read_bytes(), filename=f"{n}.pdf") for n in names}


@pytest.mark.parametrize(
    ("name", "issuer", "number", "date", "body_start"),
    [
        ("vpcp-2026-3722", "VĂN PHÒNG CHÍNH PHỦ", "3722/VPCP-CN", "ngày 28 tháng 4 năm 2026", "Kính gửi"),
        ("ubnd-ha-noi-2026-453", "ỦY BAN NHÂN DÂN", "/TB-UBND", "Hà Nội, ngày", "THÔNG BÁO"),
        ("ubnd-ha-noi-2026-2280", "ỦY BAN NHÂN DÂN", "/QĐ-UBND", "Hà Nội, ngày", "QUY"),
    ],
)
def test_real_scan_zones(
    real: dict[str, Document], name: str, issuer: str, number: str, date: str, body_start: str
) -> None:
    page = real[name].pages[0]
    assert page.text_source == "ocr"
    # Read from the embedded 200-DPI scan, but boxes are in 300-DPI page pixels like every page.
    import pypdfium2 as pdfium

    width_pt, height_pt = pdfium.PdfDocument((REAL / f"{name}.pdf").read_bytes())[0].get_size()
    assert page.width == round(width_pt * 300 / 72) and page.height == round(height_pt * 300 / 72)
    boxes = [w.bbox for ln in page.lines for w in ln.words]
    assert all(0 <= b[0] < b[2] <= page.width + 1 and 0 <= b[1] < b[3] <= page.height + 1 for b in boxes)
    left = page.zone(PageZone.HEADER_LEFT).text
    right = page.zone(PageZone.HEADER_RIGHT).text
    assert left.splitlines()[0] == issuer
    assert f"Số: {number}" in left
    assert "CỘNG H" in right and "Độc lập" in right and date in right
    # no line mixes the two header columns
    assert "CỘNG" not in left and "Số:" not in right and issuer not in right
    assert page.zone(PageZone.BODY).lines[0].text.startswith(body_start)
    footer_left = page.zone(PageZone.FOOTER_LEFT).text
    assert "- Lưu: VT" in footer_left
    assert "Lưu" not in page.zone(PageZone.BODY).text


def test_real_scan_signer_blocks(real: dict[str, Document]) -> None:
    signer = real["ubnd-ha-noi-2026-453"].pages[0].zone(PageZone.FOOTER_RIGHT).text
    assert "TL. CHỦ TỊCH" in signer and "Võ Tuấn Anh" in signer
    signer = real["ubnd-ha-noi-2026-2280"].pages[0].zone(PageZone.FOOTER_RIGHT).text
    assert "Trương Việt Dũng" in signer
    assert real["vpcp-2026-3722"].pages[0].zone(PageZone.FOOTER_LEFT).lines[0].text == "Nơi nhận:"
    # Tesseract's page pass drops this signer block under the seal; the second look finds it.
    signer = real["vpcp-2026-3722"].pages[0].zone(PageZone.FOOTER_RIGHT).text
    assert signer.splitlines()[0] == "KT. BỘ TRƯỞNG, CHỦ NHIỆM" and "Cường" in signer
