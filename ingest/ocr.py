"""Tesseract (`vie`): one `image_to_data` call per page, words grouped into Tesseract's lines.

Throughput matters: the page is handed to Tesseract as an uncompressed TIFF written once
(pytesseract would otherwise re-encode it as PNG, ~0.1 s a page), and Tesseract runs on
one thread per process (parallelism comes from pages, not from OpenMP threads fighting).
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Callable
from functools import lru_cache

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pytesseract  # noqa: E402  (after OMP_THREAD_LIMIT, which the tesseract child inherits)
from PIL import Image  # noqa: E402
from pytesseract import Output  # noqa: E402

from .errors import OcrTimeout, OcrUnavailable  # noqa: E402
from .model import Line, Word  # noqa: E402

LANG = "vie"
PSM = "--psm 3"  # Tesseract's default: automatic page segmentation, no OSD (that costs a pass)
DEFAULT_DPI = 300  # rendered PDF pages; images that do not say their resolution


def image_dpi(image: Image.Image) -> int:
    """The resolution an image file declares, when plausible (scanners write it), else 300.

    Tesseract sizes its noise and text-height thresholds by it: a 200-DPI scan read as
    300 DPI loses lines that touch a seal."""
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if 100 <= value <= 1200 else DEFAULT_DPI


@lru_cache(maxsize=1)
def check_available() -> None:
    """Raise `OcrUnavailable` when tesseract or its Vietnamese model is missing (checked once)."""
    try:
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise OcrUnavailable("the OCR engine (tesseract) is not installed on this server") from exc
    if LANG not in languages:
        raise OcrUnavailable("the Vietnamese OCR model (tesseract-ocr-vie) is not installed on this server")


def ocr_lines(
    image: Image.Image, timeout_s: float, dpi: int = DEFAULT_DPI, psm: str = PSM
) -> tuple[Line, ...]:
    """Lines of words Tesseract reads on a grey page image (boxes in its pixels, conf 0-100)."""
    check_available()
    with tempfile.NamedTemporaryFile(suffix=".tif", dir=_tmp_dir()) as tmp:
        # compression="raw" said outright: a page from a G4 (bilevel) TIFF carries
        # info["compression"] = "group4", which Pillow would reuse and cannot apply to grey.
        image.save(tmp, format="TIFF", dpi=(dpi, dpi), compression="raw")
        tmp.flush()
        try:
            data = pytesseract.image_to_data(
                tmp.name, lang=LANG, config=f"{psm} --dpi {dpi}", output_type=Output.DICT, timeout=timeout_s
            )
        except RuntimeError as exc:
            if "timeout" in str(exc).lower():
                raise OcrTimeout(f"reading the page took longer than {timeout_s:g} seconds") from exc
            raise
        except pytesseract.TesseractNotFoundError as exc:
            raise OcrUnavailable("the OCR engine (tesseract) is not installed on this server") from exc
        except pytesseract.TesseractError as exc:
            if "vie" in str(exc) and "load" in str(exc).lower():
                raise OcrUnavailable("the Vietnamese OCR model (tesseract-ocr-vie) is not installed") from exc
            raise
    return lines_of(data)


def ocr_region(
    image: Image.Image,
    box: tuple[float, float, float, float],
    timeout_s: float,
    dpi: int = DEFAULT_DPI,
    psm: str = PSM,
    prepare: Callable[[Image.Image], Image.Image] | None = None,
) -> tuple[Line, ...]:
    """`ocr_lines` on the part `box` (left, top, right, bottom) of a page, first `prepare`d if
    given (a second look's own clean-up); boxes in page pixels."""
    x0, y0 = box[0], box[1]
    crop = image.crop(box)
    found = ocr_lines(prepare(crop) if prepare else crop, timeout_s, dpi, psm)
    return tuple(
        Line(tuple(
            Word(w.text, (w.bbox[0] + x0, w.bbox[1] + y0, w.bbox[2] + x0, w.bbox[3] + y0), w.confidence)
            for w in line.words
        ))
        for line in found
    )


def lines_of(data: dict[str, list]) -> tuple[Line, ...]:
    """Group `image_to_data` rows by (block, paragraph, line); drop empty and conf -1 rows."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for i, text in enumerate(data["text"]):
        text = unicodedata.normalize("NFC", str(text).strip())
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        left, top = float(data["left"][i]), float(data["top"][i])
        box = (left, top, left + float(data["width"][i]), top + float(data["height"][i]))
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        lines.setdefault(key, []).append(Word(text, box, conf))
    return tuple(Line(tuple(words)) for words in lines.values())


@lru_cache(maxsize=1)
def _tmp_dir() -> str | None:
    """RAM-backed temp dir when there is one: the page file is written and read once."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def osd_rotation(image: Image.Image) -> int | None:
    """Clockwise degrees to turn the page upright per Tesseract OSD, None when it cannot tell.

    Run on a half-size copy: orientation needs shapes, not fine detail, and costs half."""
    check_available()
    small = image.reduce(2) if min(image.size) > 1200 else image
    try:
        info = pytesseract.image_to_osd(
            small, config="--psm 0 --dpi 150", output_type=Output.DICT, timeout=30
        )
    except (pytesseract.TesseractError, RuntimeError):
        return None  # too little text to tell: keep the cheap guess
    if float(info.get("orientation_conf", 0)) < 1.0:
        return None
    return int(info.get("rotate", 0)) % 360
