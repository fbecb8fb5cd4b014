"""Capital `I` and `T` told apart by their shape, in words Tesseract reads as acronyms.

Tesseract's `vie` model swaps a capital `I` and `T` inside acronyms, which no dictionary
holds: `(DTI)` is read `(DTT)`, `IOC` `TOC`, `DTI` `DII`, the `VT` (văn thư) of a `Lưu:` line
`VI`, often everywhere the letter prints them and with a confidence (80-90) no lower than
its other words'. The two letters differ plainly on the page: a `T` is a bar about as wide as
the letter is high over a stem; an `I` is a stem no wider than its serifs, half as wide as
it is high in Times New Roman (the decree's typeface) and narrower still in other faces.

So for a word of Latin capitals that holds a `T` or an `I`, the word's box is cut into its
glyphs (the ink's connected parts, those that lie one over the other joined, specks dropped); when
there are exactly as many glyphs as characters, a `T` whose glyph is a narrow stem becomes
`I`, and an `I` whose glyph is a wide bar becomes `T`. A word whose glyphs touch or break
(blur, a speck on a letter) has another count and stays as read. Words with marked letters
(`TỈNH`) are Vietnamese syllables, which Tesseract's dictionary already reads well.
"""

from __future__ import annotations

import re
import statistics

import cv2
import numpy as np
from PIL import Image

from .model import BBox, Line, Word

# Capitals, digits and the punctuation of acronyms and symbols, with at least one I or T.
_CANDIDATE = re.compile(r"[(\[\"']?[A-ZĐ0-9&/.\-]*[IT][A-ZĐ0-9&/.\-]*[)\]\"',.;:]?")
_LETTER = re.compile(r"[A-ZĐ]")
# Ink width over height, measured on the 31 sample letters scanned clean and degraded: T
# 0.81-1.0, I 0.30-0.51 (sans faces draw I as a bar, 0.15). A glyph between the two cuts
# keeps its reading.
NARROW = 0.6  # a `T` under it is an `I`
WIDE = 0.75  # an `I` over it is a `T`
MIN_HEIGHT_PX = 12  # a glyph smaller than this is too few pixels to measure
CAPITAL = 0.85  # a capital is at least this share of the word's median glyph height
SPECK = 0.08  # ink parts smaller than (this × the word's height)² are specks, not glyphs


def recheck_capitals(image: Image.Image, lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """`lines` with the `I`/`T` of each acronym set by its glyph's shape (see the module); a
    line with nothing changed is the same object (its cached box kept for zoning)."""
    return tuple(_line_rechecked(image, line) for line in lines)


def _line_rechecked(image: Image.Image, line: Line) -> Line:
    words = tuple(_rechecked(image, w) if _is_candidate(w.text) else w for w in line.words)
    return line if all(a is b for a, b in zip(words, line.words, strict=True)) else Line(words)


def _is_candidate(text: str) -> bool:
    return len(_LETTER.findall(text)) >= 2 and bool(_CANDIDATE.fullmatch(text))


def _rechecked(image: Image.Image, word: Word) -> Word:
    glyphs = glyph_sizes(image, word.bbox)
    if len(glyphs) != len(word.text):
        return word
    chars = list(word.text)
    capital = statistics.median(h for _, h in glyphs)
    for i, (width, height) in enumerate(glyphs):
        if height < max(MIN_HEIGHT_PX, CAPITAL * capital):
            continue  # not a capital: the `r` of `GDTrH`, read as a `T`
        if chars[i] == "T" and width < NARROW * height:
            chars[i] = "I"
        elif chars[i] == "I" and width > WIDE * height:
            chars[i] = "T"
    text = "".join(chars)
    return word if text == word.text else Word(text, word.bbox, word.confidence)


def glyph_sizes(image: Image.Image, bbox: BBox) -> list[tuple[int, int]]:
    """(width, height) of each glyph in `bbox`, left to right: the ink's connected parts,
    joined where one lies over the other (a mark over its letter, the dots of a colon)."""
    x0, y0, x1, y1 = (round(v) for v in bbox)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return []
    crop = np.asarray(image.crop((x0, y0, x1, y1)).convert("L"))
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    min_area = (SPECK * crop.shape[0]) ** 2
    spans: list[list[int]] = []  # [left, right, top, bottom] of each glyph
    for left, top, width, height, area in sorted(stats[1:count].tolist()):
        if area < min_area:
            continue
        right, bottom = left + width, top + height
        last = spans[-1] if spans else None
        # One glyph when one part lies over the other; kerned neighbours (`VT`, the comma
        # tucked under a `T`) share columns too, but side by side.
        if last and left < last[1] - 1 and (bottom <= last[2] or top >= last[3]):
            last[1], last[2], last[3] = max(last[1], right), min(last[2], top), max(last[3], bottom)
        else:
            spans.append([left, right, top, bottom])
    return [(right - left, bottom - top) for left, right, top, bottom in spans]
