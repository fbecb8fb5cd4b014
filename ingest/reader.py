"""Entry point of ingest: bytes -> `Document` of pages split into zones.

    sniff_media_type(data) -> "application/pdf" | "image/tiff" | "image/png" | "image/jpeg"
    read_document(data, filename=None, limits=None, on_page=None) -> Document

Every refusal is a `CongvanError` subclass with a one-line reason (the caller adds the
file name). Limits are checked before the costly step they guard.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace

import pypdfium2 as pdfium
from PIL import Image

from . import deskew, images, pdf
from .errors import DamagedFile, FileTooLarge
from .glyphs import recheck_capitals
from .header_look import header_second_look, rescue_header
from .limits import Limits
from .list_look import list_second_look, rescue_list
from .model import Document, Line, Page, TextSource, Word
from .ocr import image_dpi, ocr_lines, ocr_region, osd_rotation
from .seal import drop_seals, seal_dropout
from .signer import rescue_signer, signer_second_look
from .sniff import PDF, sniff_media_type
from .zones import holds_noi_nhan, zone_page

PageProgress = Callable[[int, int], None]  # (pages done, pages in all)

# What decoders raise on hostile bytes (pdfium's PdfiumError is a RuntimeError; Tesseract's
# errors are RuntimeErrors too, but those say nothing about the file and stay as they are).
_DECODER_ERRORS = (OSError, ValueError, EOFError, SyntaxError, struct.error, zlib.error, pdfium.PdfiumError)

__all__ = [
    "PageProgress",
    "read_document",
    "sniff_media_type",
    "read_image_page",
    "pdf_pages",
    "read_pdf_page",
]


@dataclass(frozen=True)
class PageWords:
    """A page read but not yet zoned (zoning needs to know which page holds the footer)."""

    number: int
    width: float
    height: float
    text_source: TextSource
    lines: tuple[Line, ...]
    rotation: int = 0
    skew: float = 0.0


def read_document(
    data: bytes,
    filename: str | None = None,
    limits: Limits | None = None,
    on_page: PageProgress | None = None,
) -> Document:
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise FileTooLarge(
            f"it is {len(data) / 1e6:.1f} MB; files up to {limits.max_bytes / 1e6:g} MB are accepted"
        )
    media_type = sniff_media_type(data)
    try:
        if media_type == PDF:
            read = _read_pdf(data, limits, on_page)
        else:
            read = _read_raster(data, media_type, limits, on_page)
    except _DECODER_ERRORS as exc:
        # The one boundary for what the decoders (Pillow, pdfium, zlib, libtiff) raise on bytes
        # they choke on past our own checks: the caller gets a named refusal, not a traceback.
        # An OSError with an errno (disk full, no permission) is the machine's, not the file's.
        if isinstance(exc, OSError) and exc.errno is not None:
            raise
        raise DamagedFile(f"the file cannot be decoded ({type(exc).__name__})") from exc
    return Document(
        sha256=hashlib.sha256(data).hexdigest(),
        pages=zone_pages(read),
        filename=filename,
        media_type=media_type,
    )


def zone_pages(read: list[PageWords]) -> tuple[Page, ...]:
    """Zone every page: header on page 1, footer on the page holding `Nơi nhận` (else the last)."""
    footer_page = next(
        (p.number for p in reversed(read) if holds_noi_nhan(p.lines, p.width)),
        read[-1].number if read else 0,
    )
    return tuple(
        Page(
            number=p.number,
            width=p.width,
            height=p.height,
            text_source=p.text_source,
            zones=zone_page(p.lines, p.width, p.height, header=p.number == 1, footer=p.number == footer_page),
            rotation=p.rotation,
            skew=p.skew,
        )
        for p in read
    )


def read_image_page(image: Image.Image, number: int, limits: Limits, last: bool = True) -> PageWords:
    """OCR one grey page image: the seal lifted off the last page (see `ingest.seal`),
    orientation, deskew, one Tesseract pass, and second looks: on page 1 at a `Số:` / date row
    the pass missed (`ingest.header_look`); on the footer page at a signer block the pass
    missed (`ingest.signer`) and at a list it read badly (`ingest.list_look`). Last, the `I`
    and `T` of acronyms are checked against their glyphs' shapes (`ingest.glyphs`)."""
    dpi = image_dpi(image)
    if last and seal_dropout():  # the page that carries the signer
        image = drop_seals(image, dpi)
    rotation, skew, upright, lines = _read_upright(image, limits, dpi)
    if number == 1 and header_second_look():
        lines = rescue_header(upright, lines, limits.ocr_seconds, dpi)
    footer = last or holds_noi_nhan(lines, float(upright.width))
    if signer_second_look() and footer:
        lines = rescue_signer(upright, lines, number == 1, limits.ocr_seconds, dpi)
    if list_second_look() and footer:
        lines = rescue_list(upright, lines, number == 1, limits.ocr_seconds, dpi)
    lines = recheck_capitals(upright, lines)
    return PageWords(
        number=number,
        width=float(upright.width),
        height=float(upright.height),
        text_source="ocr",
        lines=lines,
        rotation=rotation,
        skew=skew if abs(skew) > deskew.MIN_SKEW else 0.0,
    )


def _read_upright(
    image: Image.Image, limits: Limits, dpi: int
) -> tuple[int, float, Image.Image, tuple[Line, ...]]:
    """(rotation, skew, upright page, its lines). A wrong turn makes a page unreadable, so a
    turn is applied only once Tesseract's OSD (a second, half-size pass) agrees. Most pages
    are upright: one the cheap signals are unsure of (a last page with a few lines) is read
    as it is first, and OSD is asked only when that reading is poor."""
    guess = deskew.estimate(image)
    if guess.rotation == 0 or (guess.rotation == 180 and not guess.sure):
        upright = deskew.straighten(image, 0, guess.skew)
        lines = _ocr_page(upright, limits, dpi)
        if guess.sure and guess.rotation == 0 or reads_upright(lines):
            return 0, guess.skew, upright, lines
        rotation = osd_rotation(image)
        if not rotation:
            return 0, guess.skew, upright, lines
        turned = deskew.straighten(image, rotation, 0.0)
        skew = deskew.estimate(turned).skew
    else:
        rotation = osd_rotation(image)
        if rotation is None:
            rotation = guess.rotation if guess.sure else 0
        skew = guess.skew if rotation == guess.rotation else deskew.estimate(
            deskew.straighten(image, rotation, 0.0)).skew
    upright = deskew.straighten(image, rotation, skew)
    return rotation, skew, upright, _ocr_page(upright, limits, dpi)


MIN_CLEAR_WORDS = 4  # words of 3+ letters read with confidence >= 80 on an upright page
CLEAR_CONFIDENCE = 80.0


def reads_upright(lines: tuple[Line, ...]) -> bool:
    """Whether a reading looks like upright text: a page read upside down or sideways gives
    Tesseract's guesses at shapes, few words of three letters read with confidence (on the
    sample pages the cheap signals were unsure of: upright 6-62 such words and a mean
    confidence of 84-95, turned 0-3 and 31-56)."""
    words = [w for line in lines for w in line.words]
    clear = sum(
        1 for w in words if (w.confidence or 0) >= CLEAR_CONFIDENCE and sum(map(str.isalpha, w.text)) >= 3
    )
    return clear >= MIN_CLEAR_WORDS and clear >= 0.25 * len(words)


def _ocr_page(upright: Image.Image, limits: Limits, dpi: int) -> tuple[Line, ...]:
    """The page pass, on the inked part of the page only (see `deskew.ink_box`)."""
    inked = deskew.ink_box(upright, dpi)
    if inked is None:
        return ocr_lines(upright, limits.ocr_seconds, dpi)
    return ocr_region(upright, inked, limits.ocr_seconds, dpi)


def _ocr_pdf_page(page: pdfium.PdfPage, number: int, limits: Limits, last: bool) -> PageWords:
    """OCR a PDF page: the embedded scan at its own resolution when the page is just that,
    else a 300-DPI render. Boxes are in 300-DPI page pixels either way."""
    native = pdf.native_scan(page, limits.max_pixels)
    if native is None:
        return read_image_page(pdf.render_grey(page), number, limits, last=last)
    image, dpi = native
    read = read_image_page(image, number, limits, last=last)
    factor = pdf.OCR_DPI / dpi
    width, height = pdf.render_size(page)

    def scaled(word: Word) -> Word:
        x0, y0, x1, y1 = (round(v * factor, 1) for v in word.bbox)
        return Word(word.text, (x0, y0, x1, y1), word.confidence)

    lines = tuple(Line(tuple(scaled(w) for w in ln.words)) for ln in read.lines)
    return replace(read, width=float(width), height=float(height), lines=lines)


def _read_raster(
    data: bytes, media_type: str, limits: Limits, on_page: PageProgress | None
) -> list[PageWords]:
    total = len(images.header_sizes(data, media_type))
    out = []
    for index, frame in enumerate(images.grey_frames(data, media_type, limits)):
        out.append(read_image_page(frame, index + 1, limits, last=index + 1 == total))
        if on_page:
            on_page(index + 1, total)
    return out


def _read_pdf(data: bytes, limits: Limits, on_page: PageProgress | None) -> list[PageWords]:
    pdf.check_safe(data)
    with pdf.open_pdf(data) as doc:
        total = pdf.page_count(doc, limits)
        for number in range(1, total + 1):
            pdf.check_render_size(doc[number - 1], number, limits)
        with_text = [n for n in range(1, total + 1) if pdf.has_text(doc[n - 1])]
        layer = pdf.text_layer_pages(data, with_text) if with_text else {}
        out = []
        for number in range(1, total + 1):
            tl = layer.get(number)
            if tl is not None:
                out.append(PageWords(number, tl.width, tl.height, "text-layer", tl.lines))
            else:
                out.append(_ocr_pdf_page(doc[number - 1], number, limits, last=number == total))
            if on_page:
                on_page(number, total)
    return out


def pdf_pages(data: bytes, limits: Limits) -> int:
    """The checks `read_document` makes on a PDF before any OCR (safe, page count, render
    sizes); returns the page count. With `read_pdf_page` and `zone_pages` this splits one
    PDF over several machines (service.celery_app) and gives the same pages as one pass."""
    try:
        pdf.check_safe(data)
        with pdf.open_pdf(data) as doc:
            total = pdf.page_count(doc, limits)
            for number in range(1, total + 1):
                pdf.check_render_size(doc[number - 1], number, limits)
            return total
    except _DECODER_ERRORS as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise
        raise DamagedFile(f"the file cannot be decoded ({type(exc).__name__})") from exc


def read_pdf_page(data: bytes, number: int, total: int, limits: Limits) -> PageWords:
    """Page `number` (1-based) of a PDF of `total` pages, read as `read_document` reads it."""
    try:
        with pdf.open_pdf(data) as doc:
            page = doc[number - 1]
            if pdf.has_text(page):
                tl = pdf.text_layer_pages(data, [number]).get(number)
                if tl is not None:
                    return PageWords(number, tl.width, tl.height, "text-layer", tl.lines)
            return _ocr_pdf_page(page, number, limits, last=number == total)
    except _DECODER_ERRORS as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise
        raise DamagedFile(f"the file cannot be decoded ({type(exc).__name__})") from exc
