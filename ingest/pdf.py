"""PDF files: safety checks, text-layer words, pages rendered for OCR.

pypdfium2 opens, counts and renders pages (fast, tolerant); pdfplumber gives words
with positions when a page has a usable text layer.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image

from .errors import DamagedFile, EncryptedPdf, ImageTooLarge, TooManyPages, UnsafePdf
from .limits import Limits
from .model import Line, Word

OCR_DPI = 300
PT_TO_PX = OCR_DPI / 72  # text-layer boxes are scaled to the pixels of a 300-DPI render


def _name_pattern(name: str) -> bytes:
    """Regex for a PDF name, also when its letters are written as `#xx` escapes."""
    parts = [f"(?:{re.escape(ch)}|#{ord(ch):02x})" for ch in name]
    return ("/" + "".join(parts) + "(?![A-Za-z0-9])").encode()


_UNSAFE = re.compile(
    b"|".join(_name_pattern(n) for n in ("JS", "JavaScript", "EmbeddedFile", "EmbeddedFiles", "Launch")),
)  # names are case-sensitive
_UNSAFE_WHAT = {
    "js": "JavaScript",
    "javascript": "JavaScript",
    "embeddedfile": "embedded files",
    "embeddedfiles": "embedded files",
    "launch": "an action that starts a program",
}
_OBJSTM = re.compile(rb"/Type\s*/ObjStm[^>]*>>\s*stream\r?\n", re.DOTALL)


def check_safe(data: bytes) -> None:
    """Refuse PDFs that carry active content; also looks inside compressed object streams."""
    found = _UNSAFE.search(_outside_streams(data))
    if found is None:
        for match in _OBJSTM.finditer(data):
            end = data.find(b"endstream", match.end())
            chunk = data[match.end() : end if end > 0 else len(data)]
            try:
                inflated = zlib.decompressobj().decompress(chunk, 20_000_000)
            except zlib.error:
                continue
            found = _UNSAFE.search(inflated)
            if found:
                break
    if found is not None:
        name = re.sub(rb"#([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), found.group(0))
        what = _UNSAFE_WHAT.get(name[1:].decode("latin-1").lower(), "active content")
        raise UnsafePdf(f"the PDF contains {what}, which is not accepted for safety; print it to a new PDF")


_STREAM = re.compile(rb"(?<![A-Za-z])stream\r?\n")


def _outside_streams(data: bytes) -> bytes:
    """The object syntax of a PDF without stream contents (image bytes can spell `/JS` by chance)."""
    parts = []
    pos = 0
    # Search on from each `endstream`: the regex never walks through the (large) stream bytes.
    while (match := _STREAM.search(data, pos)) is not None:
        parts.append(data[pos : match.start()])
        end = data.find(b"endstream", match.end())
        if end < 0:
            return b"".join(parts)
        pos = end + len(b"endstream")
    parts.append(data[pos:])
    return b"".join(parts)


@contextmanager
def open_pdf(data: bytes) -> Iterator[pdfium.PdfDocument]:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or b"/Encrypt" in data:
            raise EncryptedPdf("the PDF is protected by a password; save an unprotected copy") from exc
        raise DamagedFile("the PDF is damaged or cut short and cannot be opened") from exc
    try:
        yield doc
    finally:
        doc.close()


def page_count(doc: pdfium.PdfDocument, limits: Limits) -> int:
    count = len(doc)
    if count == 0:
        raise DamagedFile("the PDF has no pages")
    if count > limits.max_pages:
        raise TooManyPages(f"it has {count} pages; at most {limits.max_pages} are read")
    return count


def render_size(page: pdfium.PdfPage, dpi: int = OCR_DPI) -> tuple[int, int]:
    width, height = page.get_size()
    return round(width * dpi / 72), round(height * dpi / 72)


def check_render_size(page: pdfium.PdfPage, number: int, limits: Limits) -> None:
    width, height = render_size(page)
    if width * height > limits.max_pixels:
        raise ImageTooLarge(
            f"page {number} is {width} x {height} pixels at {OCR_DPI} DPI, over the limit of "
            f"{limits.max_pixels / 1e6:g} million pixels"
        )


def render_grey(page: pdfium.PdfPage, dpi: float = OCR_DPI) -> Image.Image:
    try:
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_pil()
    except pdfium.PdfiumError as exc:
        raise DamagedFile("a page of the PDF is damaged and cannot be drawn") from exc
    return image if image.mode == "L" else image.convert("L")


def native_scan(page: pdfium.PdfPage, max_pixels: int) -> tuple[Image.Image, float] | None:
    """The scanner's own image and its DPI when the page is just one upright full-page image.

    Reading the embedded pixels beats rendering them at 300 DPI: measured on the real signed
    scans (200-DPI images), Tesseract's token precision rises from 0.886 to 0.923 and 0.896 to
    0.907, the page decodes in 0.08 s instead of rendering in 0.23 s, and OCR has fewer pixels.
    Anything else (vector text or drawings, a rotated or partial image) is rendered instead."""
    if page.get_rotation() % 360:
        return None
    objects = list(page.get_objects(max_depth=2))
    if len(objects) != 1 or not isinstance(objects[0], pdfium.PdfImage):
        return None
    image = objects[0]
    a, b, c, d, _e, _f = image.get_matrix().get()
    width_pt, height_pt = page.get_size()
    x0, y0, x1, y1 = image.get_bounds()
    if abs(b) > 1e-3 or abs(c) > 1e-3 or a <= 0 or d <= 0:
        return None  # rotated, flipped or sheared
    if (x1 - x0) < 0.98 * width_pt or (y1 - y0) < 0.98 * height_pt or x0 > 0.01 * width_pt:
        return None  # does not cover the page
    try:
        px_w, px_h = image.get_px_size()
        if px_w * px_h > max_pixels:
            return None  # the render path applies the limit at 300 DPI
        dpi = px_w / (width_pt / 72)
        if not 100 <= dpi <= 600 or abs(px_h / (height_pt / 72) - dpi) > 0.03 * dpi:
            return None
        pil = image.get_bitmap(render=False).to_pil()
    except (pdfium.PdfiumError, OSError, ValueError):
        return None
    from .images import to_grey

    grey = to_grey(pil)
    grey.info["dpi"] = (dpi, dpi)
    return grey, dpi


def has_text(page: pdfium.PdfPage, min_chars: int = 20) -> bool:
    """Cheap pre-check (pdfium) before the slower pdfplumber word extraction."""
    try:
        textpage = page.get_textpage()
        count = textpage.count_chars()
        textpage.close()
    except pdfium.PdfiumError:
        return False
    return count >= min_chars


def preview_pages(data: bytes, max_px: int, limits: Limits) -> Iterator[tuple[Image.Image, float]]:
    """Each page drawn with its longest side at `max_px`; scale = preview px per 300-DPI px."""
    with open_pdf(data) as doc:
        for index in range(page_count(doc, limits)):
            page = doc[index]
            width, height = page.get_size()
            dpi = min(OCR_DPI, max_px * 72 / max(width, height))
            yield render_grey(page, max(dpi, 1.0)), dpi / OCR_DPI


# --- text layer -------------------------------------------------------------------------------

_CID = re.compile(r"\(cid:\d+\)")
MIN_WORDS = 12  # fewer real words than this: a scan with a stray caption, OCR it


@dataclass(frozen=True)
class TextLayerPage:
    width: float  # 300-DPI pixels
    height: float
    lines: tuple[Line, ...]


def text_layer_pages(data: bytes, numbers: list[int]) -> dict[int, TextLayerPage]:
    """Words of the pages (1-based `numbers`) whose text layer is usable; others are left out."""
    import pdfplumber  # heavy imports, only for PDFs with text

    from .pdfwords import page_words

    out: dict[int, TextLayerPage] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number in numbers:
                page = pdf.pages[number - 1]
                words = page_words(pdf, number)
                if not usable_text([w["text"] for w in words]):
                    continue
                out[number] = TextLayerPage(
                    width=float(page.width) * PT_TO_PX,
                    height=float(page.height) * PT_TO_PX,
                    lines=group_lines(
                        [
                            Word(
                                unicodedata.normalize("NFC", w["text"]),
                                (
                                    float(w["x0"]) * PT_TO_PX,
                                    float(w["top"]) * PT_TO_PX,
                                    float(w["x1"]) * PT_TO_PX,
                                    float(w["bottom"]) * PT_TO_PX,
                                ),
                            )
                            for w in words
                        ]
                    ),
                )
    except Exception:  # pdfminer raises many types on odd files; the pages are OCR'd instead
        return out
    return out


_VIETNAMESE = set(
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz"
)
_PUNCT = set("0123456789.,;:!?-–—_/()[]\"'“”‘’%&+*=<>§°@#…")


def usable_text(words: list[str]) -> bool:
    """A text layer worth trusting: enough words, no `(cid:NN)` glyph ids, no replacement
    characters, and letters that are Vietnamese (legacy TCVN3/VNI fonts give mojibake)."""
    if len(words) < MIN_WORDS:
        return False
    text = unicodedata.normalize("NFC", " ".join(words))
    if len(_CID.findall(text)) * 4 > len(words):
        return False
    chars = [ch for ch in text.lower() if not ch.isspace()]
    if not chars:
        return False
    foreign = sum(1 for ch in chars if ch not in _VIETNAMESE and ch not in _PUNCT)
    real_words = sum(1 for w in words if sum(ch.isalpha() for ch in w) >= 2)
    return foreign / len(chars) < 0.05 and real_words >= MIN_WORDS // 2


def group_lines(words: list[Word]) -> tuple[Line, ...]:
    """Words of a text layer into lines: same row when their vertical spans mostly overlap."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: ((w.bbox[1] + w.bbox[3]) / 2, w.bbox[0])):
        centre = (word.bbox[1] + word.bbox[3]) / 2
        if rows:
            last = rows[-1]
            top = sum(w.bbox[1] for w in last) / len(last)
            bottom = sum(w.bbox[3] for w in last) / len(last)
            if top <= centre <= bottom:
                last.append(word)
                continue
        rows.append([word])
    return tuple(Line(tuple(sorted(row, key=lambda w: w.bbox[0]))) for row in rows)
