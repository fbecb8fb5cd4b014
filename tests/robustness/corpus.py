"""A corpus of malformed and hostile files, generated (never checked in).

Each `Hostile` names the file as a client would send it (the name may lie, climb
directories or carry control characters), its bytes, and what the service must
answer: the code of the refusal (`ingest.errors` / `service.errors`), or `None`
for files that are odd but readable (they must end `done`, or `failed` with a
named reason, never an internal error).

    python tests/robustness/corpus.py DIR    writes the files into DIR to look at
"""

from __future__ import annotations

import io
import random
import struct
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from pdfbytes import pdf_from_objects
from PIL import Image, ImageDraw

OCR_FREE = "ocr-free"  # refused before any decoding or OCR
NEEDS_OCR = "needs-ocr"  # a page or two goes through Tesseract


@dataclass(frozen=True)
class Hostile:
    name: str  # as uploaded
    data: bytes
    expect: str | None  # error code, or None: readable
    why: str
    cost: str = OCR_FREE

    @property
    def disk_name(self) -> str:
        """A name the file can have on disk for the CLI (no slash, no NUL), still hostile."""
        return self.name.replace("/", "_").replace("\x00", "")


# -- builders -------------------------------------------------------------------------------------


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_declaring(width: int, height: int, idat: bytes = b"") -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def _png_bomb(side: int = 15_000) -> bytes:
    """A real decompression bomb: side x side white grey pixels (225 MB raw) in ~220 kB,
    compressed row by row so building it never holds the raw image."""
    comp = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * side  # filter byte + pixels
    parts = [comp.compress(row) for _ in range(side)]
    parts.append(comp.flush())
    return _png_declaring(side, side, b"".join(parts))


def _tiff(image: Image.Image, **params: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="TIFF", **params)
    return buf.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=80)
    return buf.getvalue()


def _text_image(size: tuple[int, int] = (900, 260)) -> Image.Image:
    """A small page strip with large text: cheap for Tesseract."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    draw.text((40, 60), "UY BAN NHAN DAN TINH GIA LAI", fill=0, font_size=44)
    draw.text((40, 150), "So: 12/UBND-KT", fill=0, font_size=44)
    return image


def _page_pdf(
    catalog_extra: bytes = b"",
    media: bytes = b"[0 0 300 200]",
    extra: list[bytes] | None = None,
) -> bytes:
    content = b"BT /F1 12 Tf 20 100 Td (Cong van) Tj ET"
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox " + media + b" /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *(extra or []),
        ]
    )


def _blank_pages_pdf(count: int) -> bytes:
    doc = pdfium.PdfDocument.new()
    for _ in range(count):
        doc.new_page(595, 842)
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    return buf.getvalue()


def _cid_only_pdf() -> bytes:
    """A small page whose only text is a Type0 font without ToUnicode: pdfminer reads every
    glyph as `(cid:NN)`; the glyphs are drawn invisibly (3 Tr) so OCR sees a blank page."""
    glyphs = "".join(f"{i:04X}" for i in range(3, 40))
    ops = "".join(f"BT 3 Tr /F1 10 Tf 20 {180 - 14 * k} Td <{glyphs}> Tj ET\n" for k in range(12)).encode()
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
            b"<< /Type /Font /Subtype /Type0 /BaseFont /Junk /Encoding /Identity-H "
            b"/DescendantFonts [6 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Junk "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            b"/FontDescriptor 7 0 R >>",
            b"<< /Type /FontDescriptor /FontName /Junk /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
            b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
        ]
    )


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(_page_pdf()))
    writer.encrypt(user_password="mat-khau", owner_password="mat-khau")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _objstm_pdf(payload: bytes) -> bytes:
    """`payload` hidden in a compressed object stream appended before the xref."""
    hidden = zlib.compress(payload)
    objstm = (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(hidden)
        + hidden
        + b"\nendstream"
    )
    return _page_pdf(extra=[objstm])


def _objstm_bomb_pdf() -> bytes:
    """An object stream inflating to 200 MB of zeros (the safety scan inflates at most 20 MB)."""
    comp = zlib.compressobj(9)
    block = b"\x00" * (1 << 20)
    bomb = b"".join(comp.compress(block) for _ in range(200)) + comp.flush()
    objstm = (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(bomb)
        + bomb
        + b"\nendstream"
    )
    return _page_pdf(extra=[objstm])


def _tiff_frames(count: int) -> bytes:
    frames = [Image.new("L", (8, 8), 255) for _ in range(count)]
    return _tiff(frames[0], save_all=True, append_images=frames[1:])


def _tiff_declaring(width: int, height: int) -> bytes:
    """Little-endian TIFF, one IFD with width, height and nothing to decode."""
    entries = [
        (256, 4, 1, width),
        (257, 4, 1, height),
        (258, 3, 1, 8),
        (259, 3, 1, 8),
        (262, 3, 1, 1),
        (273, 4, 1, 0),
        (278, 4, 1, height),
        (279, 4, 1, 0),
    ]
    ifd = (
        struct.pack("<H", len(entries))
        + b"".join(
            struct.pack("<HHII", tag, typ, n, value)
            if typ == 4
            else struct.pack("<HHIHH", tag, typ, n, value, 0)
            for tag, typ, n, value in entries
        )
        + struct.pack("<I", 0)
    )
    return b"II*\x00" + struct.pack("<I", 8) + ifd


def _tiff_ifd_loop() -> bytes:
    """A TIFF whose first directory names itself as the next one (an endless page list)."""
    data = bytearray(_tiff_declaring(10, 10))
    data[-4:] = struct.pack("<I", 8)
    return bytes(data)


def _jpeg_declaring(width: int, height: int) -> bytes:
    sof = (
        b"\xff\xc0\x00\x11\x08"
        + struct.pack(">HH", height, width)
        + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    )
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof + b"\xff\xd9"


def _png_bad_crc() -> bytes:
    data = bytearray(_png(_text_image((200, 80))))
    idat = data.index(b"IDAT")
    data[idat + 4] ^= 0xFF  # first compressed byte: the CRC no longer matches, zlib header broken
    return bytes(data)


def _docx_like() -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _random(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


# -- the corpus -------------------------------------------------------------------------------------


def build() -> list[Hostile]:
    text_png = _png(_text_image())
    small_pdf = _page_pdf()
    tiff = _tiff(_text_image((300, 120)))
    jpeg = _jpeg(_text_image((300, 120)))
    items: list[Callable[[], Hostile]] = [
        lambda: Hostile("empty.pdf", b"", "empty-file", "zero bytes"),
        lambda: Hostile("blank.png", b" \n\t\r\n" * 20, "empty-file", "only white space"),
        lambda: Hostile("zeros.tif", b"\x00" * 4096, "empty-file", "only NUL bytes"),
        lambda: Hostile(
            "truncated.pdf", small_pdf[: len(small_pdf) // 3], "damaged-file", "PDF cut at a third"
        ),
        lambda: Hostile("header-only.pdf", b"%PDF-1.7\n", "damaged-file", "a PDF header and nothing else"),
        lambda: Hostile(
            "garbage-after-header.pdf",
            b"%PDF-1.4\n" + _random(20_000, 1),
            "damaged-file",
            "PDF header then random bytes",
        ),
        lambda: Hostile(
            "no-pages.pdf",
            pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
            "damaged-file",
            "a valid PDF with zero pages",
        ),
        lambda: Hostile("truncated.tif", tiff[: len(tiff) // 2], "damaged-file", "TIFF cut in half"),
        lambda: Hostile(
            "bad-ifd-offset.tif",
            b"II*\x00\xff\xff\xff\x7f" + b"\x00" * 64,
            "damaged-file",
            "TIFF directory offset far past the end",
        ),
        lambda: Hostile(
            "ifd-loop.tif", _tiff_ifd_loop(), "damaged-file", "TIFF directory pointing at itself"
        ),
        lambda: Hostile(
            "huge.png",
            _png_declaring(100_000, 100_000),
            "image-too-large",
            "PNG declaring 100,000 x 100,000 pixels",
        ),
        lambda: Hostile(
            "bomb.png", _png_bomb(), "image-too-large", "compression bomb: 225 Mpx of white in ~220 kB"
        ),
        lambda: Hostile(
            "huge.tif",
            _tiff_declaring(60_000, 60_000),
            "image-too-large",
            "TIFF declaring 60,000 x 60,000 pixels",
        ),
        lambda: Hostile(
            "huge.jpg",
            _jpeg_declaring(65_000, 65_000),
            "image-too-large",
            "JPEG frame header of 65,000 x 65,000",
        ),
        lambda: Hostile(
            "huge-page.pdf",
            _page_pdf(media=b"[0 0 14400 14400]"),
            "image-too-large",
            "a 200 x 200 inch PDF page",
        ),
        lambda: Hostile(
            "objstm-bomb.pdf",
            _objstm_bomb_pdf(),
            None,
            "object stream inflating to 200 MB (safety scan bounded)",
            NEEDS_OCR,
        ),
        lambda: Hostile("one-pixel.png", _png(Image.new("L", (1, 1), 255)), None, "a 1 x 1 image", NEEDS_OCR),
        lambda: Hostile(
            "one-pixel.jpg", _jpeg(Image.new("RGB", (1, 1), "white")), None, "a 1 x 1 JPEG", NEEDS_OCR
        ),
        lambda: Hostile(
            "g4-bilevel.tif",
            _tiff(_text_image().convert("1"), compression="group4", dpi=(300, 300)),
            None,
            "bilevel G4 TIFF (used to fail as 'encoder error -2')",
            NEEDS_OCR,
        ),
        lambda: Hostile(
            "gif-named.pdf",
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04"
            b"\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
            "unsupported-type",
            "a GIF named .pdf",
        ),
        lambda: Hostile(
            "page.png",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "unsupported-type",
            "HTML named .png",
        ),
        lambda: Hostile(
            "drawing.png",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
            b'width="100000" height="100000"><script>alert(1)</script></svg>',
            "unsupported-type",
            "SVG named .png",
        ),
        lambda: Hostile("archive.pdf", b"PK\x03\x04" + _random(200, 2), "unsupported-type", "ZIP named .pdf"),
        lambda: Hostile("letter.pdf", _docx_like(), "unsupported-type", "a Word document named .pdf"),
        lambda: Hostile("scan.jpg", b"MZ\x90\x00" + _random(500, 3), "unsupported-type", "a Windows program"),
        lambda: Hostile(
            "scan.tif", b"\x7fELF\x02\x01\x01" + _random(500, 4), "unsupported-type", "an ELF program"
        ),
        lambda: Hostile("random.jpg", b"\x00\x01" + _random(4096, 5), "unsupported-type", "random bytes"),
        lambda: Hostile(
            "utf16.pdf", "\ufeffCông văn số 12".encode("utf-16"), "unsupported-type", "UTF-16 text"
        ),
        lambda: Hostile(
            "thousand-blank-pages.pdf", _blank_pages_pdf(1000), "too-many-pages", "a PDF of 1,000 blank pages"
        ),
        lambda: Hostile("many-frames.tif", _tiff_frames(250), "too-many-pages", "a TIFF of 250 frames"),
        lambda: Hostile(
            "cid-text-layer.pdf", _cid_only_pdf(), None, "text layer all (cid:NN): OCR'd instead", NEEDS_OCR
        ),
        lambda: Hostile("encrypted.pdf", _encrypted_pdf(), "encrypted-pdf", "password-protected PDF"),
        lambda: Hostile(
            "javascript.pdf",
            _page_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
            "unsafe-pdf",
            "OpenAction JavaScript",
        ),
        lambda: Hostile(
            "hex-escaped-js.pdf",
            _page_pdf(b"/OpenAction << /S /JavaScript /J#53 (app.alert(1)) >> "),
            "unsafe-pdf",
            "/JS written with a #xx escape",
        ),
        lambda: Hostile(
            "hidden-js.pdf",
            _objstm_pdf(b"9 0 << /S /JavaScript /JS (app.alert(1);) >>"),
            "unsafe-pdf",
            "JavaScript inside a compressed object stream",
        ),
        lambda: Hostile(
            "embedded.pdf",
            _page_pdf(
                b"/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >> ",
                extra=[b"<< /Type /Filespec /F (a.exe) >>"],
            ),
            "unsafe-pdf",
            "embedded file",
        ),
        lambda: Hostile(
            "launch.pdf",
            _page_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >> "),
            "unsafe-pdf",
            "launch action",
        ),
        lambda: Hostile("truncated.jpg", jpeg[: len(jpeg) // 2], "damaged-file", "JPEG cut in half"),
        lambda: Hostile(
            "jpeg-no-frame.jpg",
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40,
            "damaged-file",
            "JPEG without a frame header",
        ),
        lambda: Hostile("png-bad-crc.png", _png_bad_crc(), "damaged-file", "PNG whose image data is corrupt"),
        lambda: Hostile(
            "png-no-ihdr.png",
            b"\x89PNG\r\n\x1a\n" + _chunk(b"IEND", b""),
            "damaged-file",
            "PNG without its header chunk",
        ),
        lambda: Hostile(
            "png-short-idat.png",
            _png_declaring(400, 400, zlib.compress(b"\x00" * 50)),
            "damaged-file",
            "PNG whose pixel data stops after a row",
        ),
        lambda: Hostile(
            "../../../etc/cron.d/evil.png",
            text_png[: len(text_png) // 2],
            "damaged-file",
            "a name that climbs out of the data directory",
        ),
        lambda: Hostile(
            "scan\x1b[2J\r\nINFO forged log line\x07\t.pdf",
            b"GIF87a" + b"\x00" * 30,
            "unsupported-type",
            "a name with terminal escapes, CR/LF and BEL",
        ),
        lambda: Hostile(
            "C:\\Windows\\system32\\x.tif",
            b"II*\x00" + b"\x00" * 4,
            "damaged-file",
            "a Windows path as name; TIFF with no directory",
        ),
    ]
    return [make() for make in items]


def write(folder: Path) -> list[tuple[Hostile, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for item in build():
        path = folder / item.disk_name
        path.write_bytes(item.data)
        out.append((item, path))
    return out


if __name__ == "__main__":
    for hostile, path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "tests/robustness/corpus")):
        print(f"{len(hostile.data):>10}  {hostile.expect or 'readable':<18} {path.name!r}: {hostile.why}")
