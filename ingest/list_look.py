"""A second look at the `Nơi nhận:` list when the page pass read it badly.

Beside the signer block and its seal, Tesseract's page segmentation sometimes reads the list's
lines across each other (`Nhưtên ĐỘ trưởng (HẺ HC)`), drops one (`- Như trên;`), or guesses at
glyphs with near-zero confidence (`HĐTYV`). The list itself is plain printed text, so read as one
uniform block (`--psm 6`) on its own crop it comes back whole. On the footer page only, when a
word of the list was a guess (see `doubted`), the list's box is read again, and that reading
replaces the page pass's when Tesseract is clearly surer of it (mean word confidence `MARGIN`
points higher): a noisy scan's specks make the block reading worse, not better, and then the
page pass stays. The cost is one small Tesseract run (~0.1 s) on the pages that need it.
"""

from __future__ import annotations

import os
import statistics

from PIL import Image

from .model import Line, PageZone, Word
from .ocr import ocr_region
from .zones import zone_page

LIST_PSM = "--psm 6"
DOUBT = 40.0  # a list word under this confidence is a guess: the list is worth a second look
GUESS = 15.0  # under this, even a word shaped like an abbreviation is a guess at glyphs (`HĐTYV`)
MARGIN = 2.0  # mean confidence the second reading must gain to replace the first


def list_second_look() -> bool:
    """On unless `CONGVAN_LIST_SECOND_LOOK=0`."""
    return os.environ.get("CONGVAN_LIST_SECOND_LOOK", "1") != "0"


def rescue_list(
    image: Image.Image, lines: tuple[Line, ...], header: bool, timeout_s: float, dpi: int
) -> tuple[Line, ...]:
    """`lines` with the distribution list read again when the page pass was unsure of it."""
    width, height = float(image.width), float(image.height)
    zones = {z.kind: z for z in zone_page(lines, width, height, header=header, footer=True)}
    left = zones.get(PageZone.FOOTER_LEFT)
    old = [w for ln in left.lines for w in ln.words] if left else []
    if not any(doubted(w) for w in old):
        return lines
    right_edge = max(w.bbox[2] for w in old)
    box = (
        int(max(0.0, min(w.bbox[0] for w in old) - 0.006 * width)),
        int(max(0.0, min(w.bbox[1] for w in old) - 0.003 * height)),
        int(min(width, right_edge + 0.006 * width)),
        int(min(height, max(w.bbox[3] for w in old) + 0.011 * height)),
    )
    found = ocr_region(image, box, timeout_s, dpi, psm=LIST_PSM)
    new = [ln for ln in (_left_of(ln, right_edge) for ln in found) if ln.words]
    new_words = [w for ln in new for w in ln.words]
    if not new_words or _mean(new_words) < _mean(old) + MARGIN:
        return lines
    gone = set(old)
    kept = (Line(tuple(w for w in ln.words if w not in gone)) for ln in lines)
    return tuple(ln for ln in kept if ln.words) + tuple(new)


_EDGES = "()[]{}.,;:-–—\"'“”‘’"


def doubted(word: Word) -> bool:
    """A word Tesseract guessed at (confidence under `DOUBT`), other than an abbreviation read
    with some confidence: Tesseract doubts every `TGĐ`, `TT&TT`, `GD&ĐT`, `TTr` or `b/c` it
    reads, words of no dictionary, at 20-40 and reads them right as often as not (on the sample
    scans, no list whose only doubted words were such read better as a block)."""
    conf = _conf(word)
    return conf < GUESS or (conf < DOUBT and not _abbreviation(word.text.strip(_EDGES)))


def _abbreviation(core: str) -> bool:
    """`TGĐ`, `TT&TT`, `TTr`, `ĐTXD` (two capitals or more, letters, digits and `&` only) or a
    slashed one (`b/c`, `đ/c`, `ph/h`)."""
    letters = [c for c in core if c.isalpha()]
    if (
        len(letters) >= 2
        and sum(c.isupper() for c in letters) >= 2
        and all(c.isalnum() or c == "&" for c in core)
    ):
        return True
    head, slash, tail = core.partition("/")
    return bool(slash) and 1 <= len(head) <= 4 and 1 <= len(tail) <= 4 and (head + tail).isalpha()


def _left_of(line: Line, right_edge: float) -> Line:
    """A line without words past the list's right edge (the signer column's, which the page
    pass read already)."""
    return Line(tuple(w for w in line.words if (w.bbox[0] + w.bbox[2]) / 2 <= right_edge))


def _conf(word: Word) -> float:
    return 100.0 if word.confidence is None else word.confidence


def _mean(words: list[Word]) -> float:
    return statistics.fmean(_conf(w) for w in words)
