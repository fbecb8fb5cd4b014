"""Page images served by `GET /api/letters/{id}/pages/{n}`: one modest JPEG per page.

Rendered in the worker process only (the web process never decodes a file),
after `ingest.read_document` accepted the file and its limits.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageSequence

RENDER_DPI = 110  # enough to read a letter on screen, small enough to serve fast
MAX_SIDE = 1800


@dataclass(frozen=True)
class RenderedPage:
    number: int
    jpeg: bytes
    width: int
    height: int


def render_pages(data: bytes) -> list[RenderedPage]:
    images = _pdf_pages(data) if data[:5] == b"%PDF-" else _image_pages(data)
    return [_to_jpeg(n, img) for n, img in enumerate(images, start=1)]


def _pdf_pages(data: bytes) -> Iterator[Image.Image]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            yield page.render(scale=RENDER_DPI / 72).to_pil()
            page.close()
    finally:
        pdf.close()


def _image_pages(data: bytes) -> Iterator[Image.Image]:
    with Image.open(io.BytesIO(data)) as img:
        for frame in ImageSequence.Iterator(img):
            yield frame.copy()


def _to_jpeg(number: int, img: Image.Image) -> RenderedPage:
    img = img.convert("L") if img.mode in ("1", "L", "LA", "I", "I;16", "F") else img.convert("RGB")
    img.thumbnail((MAX_SIDE, MAX_SIDE))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=75, optimize=True)
    return RenderedPage(number, buf.getvalue(), img.width, img.height)
