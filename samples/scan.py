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
from pathlib import Path
from typing import Literal

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps
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
    pdf: bytes,
    *,
    degraded: bool = False,
    seed: int = 0,
    dpi: int | None = None,
    rotate: int = 0,
    stamp: bool = False,
) -> list[Image.Image]:
    """The scanned page images: grey at 300 DPI when clean, colour at 200 DPI and spoiled when degraded.

    `rotate` (90, 180, 270, counter-clockwise) turns every page as a sheet fed sideways or upside down;
    `stamp` adds the receiving office's arrival stamp (dấu "CÔNG VĂN ĐẾN") to page 1.
    """
    if rotate % 90:
        raise ValueError(f"rotate must be a multiple of 90, not {rotate}")
    dpi = dpi or (200 if degraded else 300)
    pages = rasterise(pdf, dpi)
    if stamp:
        pages[0] = arrival_stamp(pages[0], dpi, seed)
    if degraded:
        pages = [degrade(p, Degradation.pick(seed + i), seed + i) for i, p in enumerate(pages)]
    else:
        pages = [p.convert("L") for p in pages]
    return [p.rotate(rotate % 360, expand=True) if rotate % 360 else p for p in pages]


def arrival_stamp(page: Image.Image, dpi: int, seed: int) -> Image.Image:
    """The rectangular "CÔNG VĂN ĐẾN" stamp a receiving office puts in the top margin, filled by hand.

    It carries its own `Số:` and date, which a reader must not take for the letter's own.
    """
    rnd = random.Random(seed * 7919 + 1)
    mm = dpi / 25.4
    img = page.convert("RGB")
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    ink = (30, 50, 170, 200) if rnd.random() < 0.5 else (190, 30, 40, 200)
    x0, y0 = int(rnd.uniform(25, 45) * mm), int(rnd.uniform(4, 8) * mm)
    w, h = int(52 * mm), int(17 * mm)
    d.rectangle((x0, y0, x0 + w, y0 + h), outline=ink, width=max(2, int(0.5 * mm)))
    bold = ImageFont.truetype(_font("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"), int(3.6 * mm))
    plain = ImageFont.truetype(_font("LiberationSans-Regular.ttf", "DejaVuSans.ttf"), int(3.0 * mm))
    d.text((x0 + w // 2, y0 + int(3.2 * mm)), "CÔNG VĂN ĐẾN", font=bold, fill=ink, anchor="mm")
    d.text((x0 + int(2 * mm), y0 + int(8.5 * mm)), "Số:", font=plain, fill=ink, anchor="lm")
    d.text((x0 + int(2 * mm), y0 + int(13.5 * mm)), "Ngày:", font=plain, fill=ink, anchor="lm")
    # The clerk's handwriting: the register number and the day of arrival, in pen.
    pen = (20, 30, 120, 230)
    hand = ImageFont.truetype(_font("LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"), int(4.2 * mm))
    d.text(
        (x0 + int(12 * mm), y0 + int(8.3 * mm)), str(rnd.randint(100, 4999)), font=hand, fill=pen, anchor="lm"
    )
    day = f"{rnd.randint(1, 28)}/{rnd.randint(1, 12)}"
    d.text((x0 + int(14 * mm), y0 + int(13.3 * mm)), day, font=hand, fill=pen, anchor="lm")
    layer = layer.rotate(rnd.uniform(-4, 4), resample=Image.Resampling.BICUBIC, center=(x0, y0))
    img.paste(layer, (0, 0), layer)
    return img


def _font(*names: str) -> str:
    for folder in (
        "/usr/share/fonts/truetype/liberation2",
        "/usr/share/fonts/truetype/liberation",
        "/usr/share/fonts/truetype/dejavu",
    ):
        for name in names:
            path = f"{folder}/{name}"
            if Path(path).exists():
                return path
    raise RuntimeError(f"none of the fonts {names} is installed")


def _jpeg(img: Image.Image, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True, dpi=(dpi, dpi))
    return buf.getvalue()


def image_pdf(pages: list[Image.Image], quality: int, dpi: int) -> bytes:
    """An image-only PDF (no text layer), one JPEG per A4 page, as scanners write them."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    c.setCreator("congvan samples scanner")
    for page in pages:
        # A page scanned sideways is a landscape page of the PDF.
        w, h = A4 if page.height >= page.width else (A4[1], A4[0])
        c.setPageSize((w, h))
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
