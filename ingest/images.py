"""Raster files (PNG, JPEG, TIFF): sizes read from headers before decoding, grey frames, previews.

Pixel limits are checked on the header so that a decompression bomb (a 30,000 x 30,000
PNG of a few kilobytes) is refused before a single row is decoded.
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Iterator

from PIL import Image, ImageOps

from .errors import DamagedFile, ImageTooLarge, TooManyPages
from .limits import Limits
from .sniff import JPEG, PDF, PNG, TIFF

PREVIEW_MAX_PX = 1600


def header_sizes(data: bytes, media_type: str) -> list[tuple[int, int]]:
    """(width, height) of every frame, from the header only; [] when the header has none."""
    if media_type == PNG:
        return _png_size(data)
    if media_type == JPEG:
        return _jpeg_size(data)
    if media_type == TIFF:
        return _tiff_sizes(data)
    return []


def _png_size(data: bytes) -> list[tuple[int, int]]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise DamagedFile("the PNG image is damaged (no image header)")
    width, height = struct.unpack(">II", data[16:24])
    return [(width, height)]


_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> list[tuple[int, int]]:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            pos += 1  # tolerate fill bytes between segments
            continue
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (seg_len,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _SOF_MARKERS:
            if pos + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return [(width, height)]
        if marker == 0xDA:  # start of scan before any frame header
            break
        pos += 2 + seg_len
    raise DamagedFile("the JPEG image is damaged (no frame header)")


def _tiff_sizes(data: bytes, max_frames: int = 100_000) -> list[tuple[int, int]]:
    endian = "<" if data[:2] == b"II" else ">"
    try:
        (offset,) = struct.unpack(endian + "I", data[4:8])
        sizes: list[tuple[int, int]] = []
        seen: set[int] = set()
        while offset and offset not in seen and len(sizes) < max_frames:
            seen.add(offset)
            (count,) = struct.unpack(endian + "H", data[offset : offset + 2])
            width = height = 0
            for i in range(count):
                entry = data[offset + 2 + 12 * i : offset + 14 + 12 * i]
                tag, typ = struct.unpack(endian + "HH", entry[:4])
                if tag in (256, 257):
                    value = (
                        struct.unpack(endian + "H", entry[8:10])[0]
                        if typ == 3
                        else struct.unpack(endian + "I", entry[8:12])[0]
                    )
                    if tag == 256:
                        width = value
                    else:
                        height = value
            sizes.append((width, height))
            (offset,) = struct.unpack(endian + "I", data[offset + 2 + 12 * count : offset + 6 + 12 * count])
    except struct.error as exc:
        raise DamagedFile("the TIFF image is damaged (its directory is cut short)") from exc
    if not sizes:
        raise DamagedFile("the TIFF image has no pages")
    return sizes


def check_sizes(sizes: list[tuple[int, int]], limits: Limits) -> None:
    if len(sizes) > limits.max_pages:
        raise TooManyPages(f"it has {len(sizes)} pages; at most {limits.max_pages} are read")
    for number, (width, height) in enumerate(sizes, start=1):
        if width * height > limits.max_pixels:
            raise ImageTooLarge(
                f"page {number} is {width} x {height} pixels, over the limit of "
                f"{limits.max_pixels / 1e6:g} million pixels"
            )


def grey_frames(data: bytes, media_type: str, limits: Limits) -> Iterator[Image.Image]:
    """Each frame of a raster file as an 8-bit grey image, upright per EXIF, after the size checks."""
    sizes = header_sizes(data, media_type)
    check_sizes(sizes, limits)
    # Pillow's own bomb guard, aligned with ours in case a header lied about its size.
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            for index in range(len(sizes)):
                if index:
                    image.seek(index)
                yield to_grey(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        limit = f"{limits.max_pixels / 1e6:g} million pixels"
        raise ImageTooLarge(f"an image is over the limit of {limit}") from exc
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
        raise DamagedFile(f"the image cannot be decoded ({_short(exc)})") from exc


def to_grey(image: Image.Image) -> Image.Image:
    """8-bit grey, whatever the source mode (1-bit, palette, CMYK, 16-bit, alpha); keeps `dpi`."""
    grey = _grey(image)
    if "dpi" in image.info:
        grey.info["dpi"] = image.info["dpi"]
    return grey


def _grey(image: Image.Image) -> Image.Image:
    if image.getexif().get(0x0112, 1) != 1:  # EXIF orientation: a phone photo taken sideways
        image = ImageOps.exif_transpose(image) or image  # (it copies the image, so only when needed)
    mode = image.mode
    if mode == "L":
        image.load()
        return image
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info):
        # Transparent areas are paper, not ink: flatten on white.
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("L")
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L")
    if mode == "CMYK":
        return image.convert("RGB").convert("L")
    return image.convert("L")


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def render_page_images(
    data: bytes, media_type: str, max_px: int = PREVIEW_MAX_PX
) -> list[tuple[bytes, float]]:
    """Preview JPEGs of every page, longest side at most `max_px`, for display.

    Returns (jpeg bytes, scale) per page where `scale` = preview pixels per page-box
    pixel: multiply a word's bbox by it to draw it on the preview.
    """
    from . import pdf  # local: pdf rendering is only needed for PDFs

    limits = Limits.from_env()
    out: list[tuple[bytes, float]] = []
    if media_type == PDF:
        for image, scale in pdf.preview_pages(data, max_px, limits):
            out.append((_jpeg(image), scale))
        return out
    for frame in grey_frames(data, media_type, limits):
        scale = min(1.0, max_px / max(frame.size))
        if scale < 1.0:
            frame = frame.resize(
                (round(frame.width * scale), round(frame.height * scale)), Image.Resampling.BILINEAR
            )
        out.append((_jpeg(frame), scale))
    return out


def _jpeg(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=80, optimize=False)
    return buf.getvalue()
