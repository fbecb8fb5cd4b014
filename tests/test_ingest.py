"""ingest.read_document on real files: refusals (fast, before any decoding) and real OCR.

OCR costs seconds a page, so each OCR'd document is read once per module (fixtures) and
the few transformed pages (skew, 180 degrees, CID junk, multi-page TIFF) are kept small.
"""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdfbytes import pdf_from_objects
from PIL import Image
from pypdf import PdfWriter

from ingest import Document, Limits, PageZone, read_document, sniff_media_type
from ingest.errors import (
    DamagedFile,
    EmptyFile,
    EncryptedPdf,
    FileTooLarge,
    ImageTooLarge,
    TooManyPages,
    UnsafePdf,
    UnsupportedFileType,
)
from ingest.images import render_page_images
from samples.generate import render_pdf, render_scan

ROOT = Path(__file__).resolve().parent.parent
GIA_LAI = ROOT / "samples" / "letters" / "ubnd-gia-lai-2023-08-chuyen-doi-so.txt"
HA_NOI_453 = ROOT / "samples" / "letters" / "ubnd-ha-noi-2026-453.txt"


def _png_bytes(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims a size and has no pixel data (a decompression bomb's head)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\x00\x00\x00\x00IDAT" + b"\x00" * 8


@pytest.fixture(scope="module")
def page1_png() -> bytes:
    """Page 1 of the seed letter as a clean 300-DPI scan."""
    return render_scan(GIA_LAI, fmt="png")


# --- sniffing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        (b"\x00" * 100 + b"%PDF-1.4\n", "application/pdf"),
        (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "image/tiff"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    ],
)
def test_sniff_supported(data: bytes, media_type: str) -> None:
    assert sniff_media_type(data) == media_type


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"<!DOCTYPE html><html><body>C\xc3\xb4ng v\xc4\x83n</body></html>", "HTML"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG"),
        ("Kính gửi: các sở, ban, ngành\n".encode(), "plain text"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "ZIP archive"),
        (b"PK\x03\x04\x14\x00" + b"\x00" * 24 + b"word/document.xml", "Word document"),
    ],
)
def test_sniff_refuses_and_names_the_type(data: bytes, named: str) -> None:
    with pytest.raises(UnsupportedFileType) as err:
        sniff_media_type(data)
    assert named in err.value.message
    assert "\n" not in err.value.message


def test_name_does_not_decide_the_type() -> None:
    with pytest.raises(UnsupportedFileType):
        read_document(b"GIF89a\x01\x00\x01\x00", filename="letter.pdf")


# --- refusals -------------------------------------------------------------------------------------


def test_empty_file() -> None:
    with pytest.raises(EmptyFile):
        read_document(b"")


def test_text_file() -> None:
    with pytest.raises(UnsupportedFileType, match="plain text"):
        read_document("Công văn số 1520/UBND-KGVX\n".encode())


def test_truncated_pdf() -> None:
    whole = render_pdf(GIA_LAI)
    with pytest.raises(DamagedFile):
        read_document(whole[: len(whole) // 3])


def test_encrypted_pdf() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(render_pdf(GIA_LAI)))
    writer.encrypt(user_password="mat-khau", owner_password="mat-khau")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(EncryptedPdf):
        read_document(buf.getvalue())


def test_pdf_with_javascript() -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=io.BytesIO(render_pdf(GIA_LAI)))
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(UnsafePdf, match="JavaScript"):
        read_document(buf.getvalue())


def test_javascript_hidden_in_a_compressed_object_stream() -> None:
    hidden = zlib.compress(b"9 0 << /S /JavaScript /JS (app.alert(1);) >>")
    objstm = (
        b"9 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(hidden)
        + hidden
        + b"\nendstream\nendobj\n"
    )
    data = render_pdf(GIA_LAI)
    cut = data.rindex(b"xref")
    with pytest.raises(UnsafePdf, match="JavaScript"):
        read_document(data[:cut] + objstm + data[cut:])


def test_image_bytes_that_spell_js_are_not_javascript() -> None:
    data = render_pdf(GIA_LAI)
    blob = b"junk /JS junk /Launch"
    stream = b"99 0 obj\n<< /Length %d >>\nstream\n" % len(blob) + blob + b"\nendstream\nendobj\n"
    cut = data.rindex(b"xref")
    assert read_document(data[:cut] + stream + data[cut:]).pages


def test_pdf_with_embedded_file() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(render_pdf(GIA_LAI)))
    writer.add_attachment("payload.exe", b"MZ\x90\x00")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(UnsafePdf, match="embedded"):
        read_document(buf.getvalue())


def test_giant_png_refused_from_its_header_fast() -> None:
    start = time.perf_counter()
    with pytest.raises(ImageTooLarge, match="30000 x 30000"):
        read_document(_png_header(30_000, 30_000))
    assert time.perf_counter() - start < 0.5


def test_giant_jpeg_refused_from_its_header() -> None:
    sof = b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", 40_000, 40_000) + b"\x01\x01\x11\x00"
    with pytest.raises(ImageTooLarge):
        read_document(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof)


def test_giant_pdf_page_refused_before_rendering() -> None:
    doc = pdfium.PdfDocument.new()
    doc.new_page(14_400, 14_400)  # 200 x 200 inches: 60,000 x 60,000 px at 300 DPI
    buf = io.BytesIO()
    doc.save(buf)
    with pytest.raises(ImageTooLarge):
        read_document(buf.getvalue())


def test_too_many_tiff_pages_refused_before_ocr() -> None:
    frames = [Image.new("L", (50, 50), 255) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(TooManyPages):
        read_document(buf.getvalue(), limits=Limits(max_pages=2))


def test_file_too_large() -> None:
    with pytest.raises(FileTooLarge):
        read_document(b"%PDF-1.7\n" + b"0" * 2000, limits=Limits(max_bytes=1000))


def test_truncated_png() -> None:
    image = Image.new("L", (400, 300), 255)
    data = _png_bytes(image)
    with pytest.raises(DamagedFile):
        read_document(data[: len(data) // 2])


# --- text layer -----------------------------------------------------------------------------------


def test_text_layer_pdf_gives_text_layer_pages_with_progress() -> None:
    data = render_pdf(GIA_LAI)
    seen: list[tuple[int, int]] = []
    doc = read_document(data, filename="gia-lai.pdf", on_page=lambda done, total: seen.append((done, total)))
    assert isinstance(doc, Document)
    assert doc.media_type == "application/pdf" and doc.filename == "gia-lai.pdf"
    assert len(doc.sha256) == 64
    assert [p.text_source for p in doc.pages] == ["text-layer"] * len(doc.pages)
    assert seen == [(i + 1, len(doc.pages)) for i in range(len(doc.pages))]
    words = [w for p in doc.pages for line in p.lines for w in line.words]
    assert len(words) > 300 and all(w.confidence is None for w in words)
    page = doc.pages[0]
    assert page.width == pytest.approx(2480, abs=3)  # A4 in 300-DPI pixels
    assert "Kính gửi:" in page.zone(PageZone.BODY).text


def _cid_junk_pdf(page_png: bytes) -> bytes:
    """An image-only page with an invisible text layer that extracts as `(cid:NN)` glyph ids
    (a Type0 font without a ToUnicode map), as some scanners' broken OCR layers do."""
    image = Image.open(io.BytesIO(page_png)).convert("L")
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=85)
    jpg = jpeg.getvalue()
    glyphs = "".join(f"{i:04X}" for i in range(3, 40))
    text_ops = "".join(f"BT 3 Tr /F1 10 Tf 40 {800 - 14 * k} Td <{glyphs}> Tj ET\n" for k in range(30))
    content = f"q 595 0 0 842 0 0 cm /Im1 Do Q\n{text_ops}".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
        % (image.width, image.height, len(jpg))
        + jpg
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Junk /Encoding /Identity-H /DescendantFonts [7 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Junk "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R >>",
        b"<< /Type /FontDescriptor /FontName /Junk /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
        b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    return pdf_from_objects(objects)


def test_cid_junk_text_layer_is_ocrd(page1_png: bytes) -> None:
    data = _cid_junk_pdf(page1_png)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:  # the layer really is junk
        assert "(cid:" in pdf.pages[0].extract_text()
    doc = read_document(data)
    page = doc.pages[0]
    assert page.text_source == "ocr"
    assert "(cid:" not in "\n".join(line.text for line in page.lines)
    assert "ỦY BAN NHÂN DÂN" in page.zone(PageZone.HEADER_LEFT).text


# --- OCR: formats, orientation, skew --------------------------------------------------------------


def test_multipage_tiff_gives_one_page_per_frame() -> None:
    pdf = pdfium.PdfDocument(render_pdf(GIA_LAI))  # the seed letter runs over two pages
    pages = [pdf[i].render(scale=300 / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
    buf = io.BytesIO()
    pages[0].save(buf, format="TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    data = buf.getvalue()
    frames = Image.open(io.BytesIO(data)).n_frames
    assert frames == 2
    doc = read_document(data)
    assert doc.media_type == "image/tiff"
    assert len(doc.pages) == frames
    assert all(p.text_source == "ocr" for p in doc.pages)
    assert doc.pages[1].zone(PageZone.HEADER_LEFT) is None  # page 2 has no header
    footer = doc.pages[1].zone(PageZone.FOOTER_LEFT)
    assert footer is not None and footer.lines[0].text.startswith("Nơi nhận")
    signer = doc.pages[1].zone(PageZone.FOOTER_RIGHT)
    assert signer is not None and "ỦY BAN NHÂN DÂN" in signer.text
    assert doc.pages[0].zone(PageZone.FOOTER_LEFT) is None


def test_skewed_scan_is_deskewed(page1_png: bytes) -> None:
    skewed = Image.open(io.BytesIO(page1_png)).convert("L")
    skewed = skewed.rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor=255)  # 2° counter-clockwise
    doc = read_document(_png_bytes(skewed))
    page = doc.pages[0]
    assert page.skew == pytest.approx(2.0, abs=0.25)
    assert page.rotation == 0
    assert page.zone(PageZone.HEADER_LEFT).lines[0].text == "ỦY BAN NHÂN DÂN"
    assert page.ocr_confidence is not None and page.ocr_confidence > 80


def test_upside_down_page_is_read_upright(page1_png: bytes) -> None:
    turned = Image.open(io.BytesIO(page1_png)).convert("L").transpose(Image.Transpose.ROTATE_180)
    doc = read_document(_png_bytes(turned))
    page = doc.pages[0]
    assert page.rotation == 180
    assert page.zone(PageZone.HEADER_LEFT).lines[0].text == "ỦY BAN NHÂN DÂN"
    assert "Kính gửi:" in page.zone(PageZone.BODY).text


def test_jpeg_cmyk_and_palette_pages_are_converted(page1_png: bytes) -> None:
    """Sizes and modes only (no OCR): every frame becomes 8-bit grey."""
    from ingest.images import grey_frames

    base = Image.open(io.BytesIO(page1_png)).convert("L").reduce(4)
    for mode in ("1", "P", "CMYK", "RGBA", "I;16"):
        buf = io.BytesIO()
        fmt = "TIFF" if mode in ("CMYK", "I;16") else "PNG"
        base.convert(mode).save(buf, format=fmt)
        media_type = sniff_media_type(buf.getvalue())
        (frame,) = list(grey_frames(buf.getvalue(), media_type, Limits()))
        assert frame.mode == "L" and frame.size == base.size


def test_preview_images_and_scale() -> None:
    data = render_pdf(GIA_LAI)
    previews = render_page_images(data, "application/pdf", max_px=800)
    assert len(previews) == 2
    jpeg, scale = previews[0]
    preview = Image.open(io.BytesIO(jpeg))
    assert preview.format == "JPEG" and max(preview.size) == pytest.approx(800, abs=2)
    assert scale == pytest.approx(800 / 3508, rel=0.01)  # preview px per 300-DPI page px


def test_osd_fallback_finds_an_upside_down_page(page1_png: bytes) -> None:
    """When the cheap signals are weak the reader asks Tesseract's OSD; it must agree."""
    from ingest.ocr import osd_rotation

    turned = Image.open(io.BytesIO(page1_png)).convert("L").transpose(Image.Transpose.ROTATE_180)
    assert osd_rotation(turned) == 180
    assert osd_rotation(Image.open(io.BytesIO(page1_png)).convert("L")) == 0


def test_last_page_with_only_the_signer_block_stays_upright() -> None:
    """Seed 3 lays this decision out so that page 2 holds nothing but the signer block (few
    lines, a seal): too little text to trust the cheap top/bottom test, which once turned it."""
    data = render_scan(ROOT / "samples" / "letters" / "ubnd-tien-giang-2009-33.txt", fmt="pdf", seed=3)
    doc = read_document(data)
    assert [p.rotation for p in doc.pages] == [0] * len(doc.pages)
    signer = doc.pages[-1].zone(PageZone.FOOTER_RIGHT)
    assert signer is not None and "CHỦ TỊCH" in signer.text


def test_ocr_time_limit(page1_png: bytes) -> None:
    from ingest.errors import OcrTimeout
    from ingest.ocr import ocr_lines

    page = Image.open(io.BytesIO(page1_png)).convert("L")
    with pytest.raises(OcrTimeout, match="longer than"):
        ocr_lines(page, 0.2)  # a full page takes over a second here


def test_missing_tesseract_is_ocr_unavailable(page1_png: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without the engine (the command is not found) gets a clear refusal."""
    import pytesseract

    from ingest import ocr
    from ingest.errors import OcrUnavailable

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    ocr.check_available.cache_clear()
    try:
        with pytest.raises(OcrUnavailable):
            read_document(page1_png)
    finally:
        ocr.check_available.cache_clear()


def test_missing_vietnamese_model_is_ocr_unavailable(
    page1_png: bytes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ingest import ocr
    from ingest.errors import OcrUnavailable

    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # a tessdata folder without vie
    ocr.check_available.cache_clear()
    try:
        with pytest.raises(OcrUnavailable, match="Vietnamese"):
            read_document(page1_png)
    finally:
        ocr.check_available.cache_clear()


def test_signer_second_look_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the second look the page pass alone loses this signer under the seal."""
    monkeypatch.setenv("CONGVAN_SIGNER_SECOND_LOOK", "0")
    doc = read_document((ROOT / "tests" / "data" / "real-scans" / "vpcp-2026-3722.pdf").read_bytes())
    signer = doc.pages[0].zone(PageZone.FOOTER_RIGHT)
    assert signer is None or "BỘ TRƯỞNG" not in signer.text


def test_exif_orientation_of_a_phone_photo_is_applied() -> None:
    from ingest.images import grey_frames

    photo = Image.new("RGB", (400, 300), "white")
    exif = photo.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    buf = io.BytesIO()
    photo.save(buf, format="JPEG", exif=exif.tobytes())
    (frame,) = list(grey_frames(buf.getvalue(), "image/jpeg", Limits()))
    assert frame.size == (300, 400) and frame.mode == "L"


def test_sparse_page_upside_down_is_turned_back() -> None:
    """A page of a few lines that the cheap signals cannot place is read as it is first; a
    poor reading (shapes, no clear words) sends it to OSD, and the turned page is read again."""
    from ingest.reader import reads_upright

    data = render_scan(ROOT / "samples" / "letters" / "ubnd-tien-giang-2009-33.txt", fmt="pdf", seed=3)
    last = list(render_page_images(data, "application/pdf", max_px=3508))[-1][0]
    turned = Image.open(io.BytesIO(last)).convert("L").transpose(Image.Transpose.ROTATE_180)
    doc = read_document(_png_bytes(turned))
    page = doc.pages[0]
    assert page.rotation == 180
    assert any("CHỦ TỊCH" in zone.text for zone in page.zones)
    assert reads_upright(tuple(line for zone in page.zones for line in zone.lines))


def test_page_pass_reads_only_the_inked_area(page1_png: bytes) -> None:
    from ingest.deskew import ink_box

    page = Image.open(io.BytesIO(page1_png)).convert("L")
    box = ink_box(page, 300)
    assert box is not None
    x0, y0, x1, y1 = box
    assert x0 > 0 and y0 > 0 and x1 < page.width and y1 < page.height
    assert ink_box(Image.new("L", page.size, 255), 300) is None  # a blank page: nothing to crop to
    doc = read_document(page1_png)  # words come back in page pixels, inside the box
    words = [w for zone in doc.pages[0].zones for line in zone.lines for w in line.words]
    assert words
    assert all(x0 <= w.bbox[0] and w.bbox[2] <= x1 and y0 <= w.bbox[1] and w.bbox[3] <= y1 for w in words)


def test_lean_text_layer_words_equal_pdfplumbers_own() -> None:
    """`ingest.pdfwords` narrows pdfplumber's per-character step; the words must not change:
    every sample letter as a born-digital PDF, page by page, against a stock pdfplumber page."""
    import pdfplumber

    from ingest.pdfwords import WORD_OPTIONS, page_words

    pages = 0
    for source in sorted((ROOT / "samples" / "letters").glob("*.txt")):
        data = render_pdf(source)
        with pdfplumber.open(io.BytesIO(data)) as stock, pdfplumber.open(io.BytesIO(data)) as lean:
            for number, page in enumerate(stock.pages, start=1):
                assert page_words(lean, number) == page.extract_words(**WORD_OPTIONS), (source.name, number)
                pages += 1
    assert pages >= 40


def test_footer_only_page_upside_down_is_turned_back() -> None:
    """A last page holding only the footer (six text bands, two columns sharing rows) turned
    upside down: its ink balance looked upright, sure of it, and the page was read as shapes."""
    letter = ROOT / "samples" / "letters" / "ubnd-gia-lai-2025-cong-dien-bao.txt"
    data = render_scan(letter, fmt="pdf", seed=0)
    last = list(render_page_images(data, "application/pdf", max_px=3508))[-1][0]
    turned = Image.open(io.BytesIO(last)).convert("L").transpose(Image.Transpose.ROTATE_180)
    page = read_document(_png_bytes(turned)).pages[0]
    assert page.rotation == 180
    assert any("Nơi nhận" in zone.text for zone in page.zones)
