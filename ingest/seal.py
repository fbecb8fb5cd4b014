"""Lift the seal (con dấu) off a scanned page before it is read.

A signed letter carries the issuer's round seal over the signer block: its rim crosses the
post (`PHÓ CHỦ TỊCH`) and the name, and Tesseract's page segmentation then takes the block
for a picture and drops it, or reads the post in pieces. Printed text is the darkest ink on
the page; a seal, red on paper, scans as a middle grey whose strokes, unlike the soft edges
of printed letters, lie away from any dark ink. Where such strokes form a seal-sized, roughly
round patch, every pixel lighter than the dark-ink cut is set to paper, so the text under
the seal reads as if it were not there. Elsewhere on the page nothing changes: a red
`HỎA TỐC` or `KHẨN` stamp is an oblong, not a seal, and keeps its ink.

It runs only on a crisp scan (see `MIN_CONTRAST`) and only on the last page, the one that
carries the signer; the search looks at every other pixel (about 10 ms for an A4 page at
300 DPI). Measured on the 31 sample letters scanned clean: the second looks fall from 37 to
19, and the signer and the distribution list read as well or better. A seal scanned as black
as the print (bilevel scans such as the three real ones) cannot be told from it by its ink
and is left for `ingest.signer`'s second look.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

INK_SHARE = 0.003  # the darkest 0.3% of pixels give the ink level
DARK_CUT = 0.3  # under ink + 30% of the way to paper: printed ink (`ingest.signer` keeps only it too)
LIGHT_CUT = 0.8  # over ink + 80% of the way: paper
CELL_MM = 2.0  # seal strokes are counted in cells of 2 mm
CELL_SHARE = 0.05  # a cell whose pixels are 5% seal strokes belongs to a seal
SEAL_STROKES = 0.06  # and a seal's patch is, over all its cells, 6% seal strokes or more
SEAL_MM = (22.0, 65.0)  # a seal's width and height: office seals are 30-45 mm across
MAX_ASPECT = 1.4  # round, not a rectangular stamp
# Only on a crisp scan (black print on white: clean scans span 250 levels) is a seal's grey
# far from both print and paper. On a faded, low-contrast one (140-190 levels on the degraded
# samples) the seal's grey is close to faded print, and lifting it changed Tesseract's reading
# of the whole page (its threshold is global): the `Nơi nhận` lists read worse.
MIN_CONTRAST = 200
MARGIN_MM = 1.5  # around the patch found: the rim's outer edge


def seal_dropout() -> bool:
    """On unless `CONGVAN_SEAL_DROPOUT=0`."""
    return os.environ.get("CONGVAN_SEAL_DROPOUT", "1") != "0"


@dataclass(frozen=True)
class Levels:
    """Grey levels of a page: its ink, its paper, and the cuts between them."""

    ink: int
    paper: int

    @property
    def dark(self) -> float:
        return self.ink + DARK_CUT * (self.paper - self.ink)

    @property
    def light(self) -> float:
        return self.ink + LIGHT_CUT * (self.paper - self.ink)


def levels(pixels: np.ndarray) -> Levels:
    """The page's ink (its darkest 0.3%) and paper (its median) levels."""
    hist = cv2.calcHist([pixels], [0], None, [256], [0, 256]).ravel()
    cumulative = np.cumsum(hist)
    total = cumulative[-1]
    return Levels(
        ink=int(np.searchsorted(cumulative, INK_SHARE * total)),
        paper=int(np.searchsorted(cumulative, 0.5 * total)),
    )


_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (5, 5))  # two pixels up, down, left, right


def near_ink(dark: np.ndarray) -> np.ndarray:
    """Pixels (0/255) within two pixels, up, down, left or right, of a dark one."""
    return cv2.dilate(dark, _CROSS)


def seal_strokes(pixels: np.ndarray, dark: np.ndarray, lv: Levels) -> np.ndarray:
    """Middle-grey pixels (0/255) at least two pixels away from any dark one: the soft edge of
    a printed letter always touches its dark core, a seal's stroke does not."""
    middle = cv2.inRange(pixels, int(np.ceil(lv.dark)), int(np.ceil(lv.light)) - 1)
    return cv2.bitwise_and(middle, cv2.bitwise_not(near_ink(dark)))


def seal_boxes(grey: Image.Image, dpi: int) -> tuple[list[tuple[int, int, int, int]], Levels]:
    """Boxes (left, top, right, bottom, in page pixels) of the seals on a grey page."""
    if min(grey.size) < SEAL_MM[0] * dpi / 25.4:  # smaller than any seal (a thumbnail, a pixel)
        return [], levels(np.asarray(grey))
    step = 2 if dpi >= 250 else 1
    if step > 1:  # every other pixel, without copying the whole page into numpy first
        grey = grey.resize((grey.width // step, grey.height // step), Image.Resampling.NEAREST)
    pixels = np.asarray(grey)
    lv = levels(pixels)
    if lv.paper - lv.ink < MIN_CONTRAST:
        return [], lv
    per_mm = dpi / 25.4 / step
    cell = max(4, round(CELL_MM * per_mm))
    dark = cv2.inRange(pixels, 0, int(np.ceil(lv.dark)) - 1)
    strokes = _cells(seal_strokes(pixels, dark, lv), cell)
    inked = _cells(dark, cell)
    scale = cell * step
    return [
        (x0 * scale, y0 * scale, x1 * scale, y1 * scale)
        for x0, y0, x1, y1 in patches(strokes >= CELL_SHARE)
        if _seal_sized((x1 - x0) * CELL_MM, (y1 - y0) * CELL_MM)
        and _seal_inked(strokes[y0:y1, x0:x1], inked[y0:y1, x0:x1])
    ], lv


def _cells(mask: np.ndarray, cell: int) -> np.ndarray:
    """The share of marked pixels (0/255) in each cell of `cell` x `cell` pixels."""
    rows, cols = mask.shape[0] // cell, mask.shape[1] // cell
    means = cv2.resize(mask[: rows * cell, : cols * cell], (cols, rows), interpolation=cv2.INTER_AREA)
    return means.astype(np.float32) / 255.0


def _seal_inked(strokes: np.ndarray, dark: np.ndarray) -> bool:
    """A seal is mostly its own strokes, with a little printed ink crossing it (the post, the
    signature). Blurred print marks cells too, but its patches hold more dark ink than
    middle grey (measured on the degraded samples: seals 0.07-0.19 strokes to 0.02-0.06 dark
    ink, blurred print 0.02-0.05 strokes to 0.05-0.09 dark ink)."""
    return float(strokes.mean()) >= SEAL_STROKES and float(strokes.mean()) >= float(dark.mean())


def _seal_sized(width_mm: float, height_mm: float) -> bool:
    low, high = SEAL_MM
    return (
        low <= width_mm <= high
        and low <= height_mm <= high
        and max(width_mm, height_mm) <= MAX_ASPECT * min(width_mm, height_mm)
    )


def patches(cells: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (in cells) of the groups of marked cells, a gap of one cell bridged (a
    seal's rim is broken where printed text crosses it)."""
    marked = {(int(y), int(x)) for y, x in zip(*np.nonzero(cells), strict=True)}
    boxes = []
    while marked:
        stack = [marked.pop()]
        ys, xs = [], []
        while stack:
            y, x = stack.pop()
            ys.append(y)
            xs.append(x)
            for dy in range(-2, 3):
                for dx in range(-2, 3):
                    if (y + dy, x + dx) in marked:
                        marked.discard((y + dy, x + dx))
                        stack.append((y + dy, x + dx))
        boxes.append((min(xs), min(ys), max(xs) + 1, max(ys) + 1))
    return boxes


def drop_seals(grey: Image.Image, dpi: int) -> Image.Image:
    """The page with every seal's ink lighter than printed ink set to paper (the same image
    when it has no seal)."""
    boxes, lv = seal_boxes(grey, dpi)
    if not boxes:
        return grey
    out = grey.copy()  # keeps `info` (the DPI); only the seals' regions are mapped, not the page
    cut = int(np.ceil(lv.dark))
    lift = [v if v < cut else lv.paper for v in range(256)]
    margin = round(MARGIN_MM * dpi / 25.4)
    for x0, y0, x1, y1 in boxes:
        box = (max(0, x0 - margin), max(0, y0 - margin),
               min(grey.width, x1 + margin), min(grey.height, y1 + margin))
        out.paste(out.crop(box).point(lift), box)
    return out
