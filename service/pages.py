"""Page images served by `GET /api/letters/{id}/pages/{n}`: one modest JPEG per page.

Rendered in the worker process only (the web process never decodes a file),
after `ingest.read_document` accepted the file and its limits.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from PIL import Image, ImageSequence

_TRANSPOSE = {  # PIL turns counter-clockwise; ingest's rotation is clockwise
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}
RENDER_DPI = 110  # enough to read a letter on screen, small enough to serve fast
MAX_SIDE = 1800


@dataclass(frozen=True)
class RenderedPage:
    number: int
    jpeg: bytes
    width: int
    height: int


def render_pages(data: bytes, turns: Sequence[tuple[int, float]] = ()) -> list[RenderedPage]:
    """One JPEG per page, turned as ingest turned the page before reading it.

    `turns` holds each page's (rotation, skew) from the Document: the evidence boxes
    are in the coordinates of the upright page, so the served image must be upright too.
    """
    images = _pdf_pages(data) if data[:5] == b"%PDF-" else _image_pages(data)
    out = []
    for n, img in enumerate(images, start=1):
        rotation, skew = turns[n - 1] if n - 1 < len(turns) else (0, 0.0)
        out.append(_to_jpeg(n, _upright(img, rotation, skew)))
    return out


def _upright(img: Image.Image, rotation: int, skew: float) -> Image.Image:
    """The same turn as `ingest.deskew.straighten` (clockwise rotation, then undo the skew)."""
    if rotation in _TRANSPOSE:
        img = img.transpose(_TRANSPOSE[rotation])
    if skew:
        white = 255 if img.mode == "L" else (255, 255, 255)
        img = img.convert("L" if img.mode in ("1", "L") else "RGB")
        img = img.rotate(-skew, resample=Image.Resampling.BILINEAR, fillcolor=white)  # counter-clockwise
    return img


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
