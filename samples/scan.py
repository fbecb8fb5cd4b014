"""Turn a rendered letter into what a scanner gives back: page images, image-only PDF, TIFF, PNG, JPEG.

Degradations imitate an office scanner and are deterministic from a seed: a skew of up to 2°, blur,
speckle noise, a greyish paper tone with lower contrast, 200 DPI and strong JPEG compression. Clean
scans are grey; degraded scans keep colour (the red seal and blue signature stay red and blue, as
on real colour scans where they overlap the signer's post and name).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter, ImageOps
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

ScanFormat = Literal["pdf", "tiff", "png", "jpeg"]
FORMATS: tuple[str, ...] = ("pdf", "tiff", "png", "jpeg")


@dataclass(frozen=True)
class Degradation:
    """How one scan is spoiled; `pick` draws one from a seed."""

    skew_deg: float = 0.0
    blur: float = 0.0
    noise: float = 0.0  # std-dev of grey noise, 0-255 scale
    speckles: int = 0  # dark dust dots per page
    paper: int = 255  # white level of the paper
    ink: int = 0  # black level of the ink
    jpeg_quality: int = 80

    @staticmethod
    def pick(seed: int) -> Degradation:
        rnd = random.Random(seed)
        return Degradation(
            skew_deg=rnd.choice((-1, 1)) * rnd.uniform(0.4, 2.0),
            blur=rnd.uniform(0.5, 0.9),
            noise=rnd.uniform(3, 6),
            speckles=rnd.randint(150, 400),
            paper=rnd.randint(218, 236),
            ink=rnd.randint(25, 55),
            jpeg_quality=rnd.randint(35, 50),
        )


CLEAN = Degradation(jpeg_quality=70)


def rasterise(pdf: bytes, dpi: int = 300) -> list[Image.Image]:
    """Every page of a PDF as an RGB image at `dpi`."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()


def degrade(page: Image.Image, how: Degradation, seed: int) -> Image.Image:
    """Apply one degradation to an RGB page image (same size out)."""
    img = page
    if how.skew_deg:
        img = img.rotate(how.skew_deg, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    if how.blur:
        img = img.filter(ImageFilter.GaussianBlur(how.blur))
    arr = np.asarray(img, dtype=np.float32)
    # Squeeze the range: paper goes grey, ink goes dark grey, as on a cheap scan.
    arr = how.ink + arr * ((how.paper - how.ink) / 255.0)
    rng = np.random.default_rng(seed)
    if how.noise:
        arr += rng.normal(0.0, how.noise, arr.shape[:2])[..., None]
    if how.speckles:
        h, w = arr.shape[:2]
        ys, xs = rng.integers(0, h - 3, how.speckles), rng.integers(0, w - 3, how.speckles)
        sizes = rng.integers(1, 4, how.speckles)
        for y, x, s in zip(ys, xs, sizes, strict=True):
            arr[y : y + s, x : x + s] = rng.uniform(how.ink, how.ink + 60)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def scan_pages(
    pdf: bytes, *, degraded: bool = False, seed: int = 0, dpi: int | None = None
) -> list[Image.Image]:
    """The scanned page images: grey at 300 DPI when clean, colour at 200 DPI and spoiled when degraded."""
    dpi = dpi or (200 if degraded else 300)
    pages = rasterise(pdf, dpi)
    if not degraded:
        return [p.convert("L") for p in pages]
    return [degrade(p, Degradation.pick(seed + i), seed + i) for i, p in enumerate(pages)]


def _jpeg(img: Image.Image, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True, dpi=(dpi, dpi))
    return buf.getvalue()


def image_pdf(pages: list[Image.Image], quality: int, dpi: int) -> bytes:
    """An image-only PDF (no text layer), one JPEG per A4 page, as scanners write them."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    c.setCreator("congvan samples scanner")
    w, h = A4
    for page in pages:
        c.drawImage(ImageReader(io.BytesIO(_jpeg(page, quality, dpi))), 0, 0, width=w, height=h)
        c.showPage()
    c.save()
    return buf.getvalue()


def tiff(pages: list[Image.Image], dpi: int, bilevel: bool = True) -> bytes:
    """A multi-page TIFF: bilevel CCITT G4 (fax-like office scanner) or grey LZW."""
    buf = io.BytesIO()
    if bilevel:
        frames = [ImageOps.grayscale(p).point(lambda v: 255 if v > 150 else 0).convert("1") for p in pages]
        compression = "group4"
    else:
        frames = [ImageOps.grayscale(p) for p in pages]
        compression = "tiff_lzw"
    frames[0].save(
        buf, "TIFF", save_all=True, append_images=frames[1:], compression=compression, dpi=(dpi, dpi)
    )
    return buf.getvalue()


def single_image(page: Image.Image, fmt: Literal["png", "jpeg"], quality: int, dpi: int) -> bytes:
    if fmt == "jpeg":
        return _jpeg(page, quality, dpi)
    buf = io.BytesIO()
    # A grey page quantised to 16 levels keeps the PNG small without visible loss for OCR.
    img = ImageOps.grayscale(page).quantize(16) if page.mode != "1" else page
    img.save(buf, "PNG", optimize=True, dpi=(dpi, dpi))
    return buf.getvalue()
