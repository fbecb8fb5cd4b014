"""A second look at the header band when the page pass lost the `Số:` / date row.

Tesseract's page layout analysis (`--psm 3`) sometimes returns no words at all for the header
row that holds `Số: 38/2013/QĐ-UBND` (left) and `Hà Tĩnh, ngày 28 tháng 08 năm 2013` (right,
italic) on a clean image (5 of 31 rendered samples): the number and the date are fields users
need. So on page 1 only, and only when the header-left zone holds no `Số` line or the
header-right zone no date line, the header band (from the top of the page to the first body
row) is read again as sparse text (`--psm 11`, which finds the row: ~0.4 s on a 300-DPI band),
the boxes are moved back to page pixels, and only the words of the missing rows that overlap
no word the page pass read are added. Off with `CONGVAN_HEADER_SECOND_LOOK=0`.
"""

from __future__ import annotations

import os
import re

from PIL import Image

from .model import BBox, Line, PageZone, Word
from .ocr import ocr_region
from .zones import HEADER_MAX, fold, solid, zone_page

HEADER_PSM = "--psm 11"  # sparse text: no layout analysis to drop the row
OVERLAP = 0.3  # a new word covering this share of its box with a word already read is a duplicate

_SO = re.compile(r"^[s5$][o06e]?\s*[:;]|^so\s+[\d/]")  # not `SỞ TÀI CHÍNH` (`so tai chinh`)
_DATE = re.compile(r"ng\w{1,2}y\b.*\bth\w{1,2}ng\b.*\bn\w{1,2}m\b")


def header_second_look() -> bool:
    """On unless `CONGVAN_HEADER_SECOND_LOOK=0`: one Tesseract run on the header band of page 1
    (~0.4 s), only when the page pass lost the `Số:` or the date row."""
    return os.environ.get("CONGVAN_HEADER_SECOND_LOOK", "1") != "0"


def is_number_line(line: Line) -> bool:
    """`Số: 38/2013/QĐ-UBND`, OCR-tolerant (`Sổ:`, `S6:`, `Số :`)."""
    return bool(_SO.match(fold(line.text).strip(" |")))


def is_date_line(line: Line) -> bool:
    """`Hà Tĩnh, ngày 28 tháng 08 năm 2013` (marks folded away: `ngay ... thang ... nam`)."""
    return bool(_DATE.search(fold(line.text)))


def needs_look(
    lines: tuple[Line, ...], width: float, height: float
) -> tuple[tuple[int, int, int, int], float, bool, bool] | None:
    """(crop box, gutter x, `Số` missing, date missing) for the header band; None: nothing is missing."""
    zones = {z.kind: z for z in zone_page(lines, width, height, header=True, footer=False)}
    left, right = zones.get(PageZone.HEADER_LEFT), zones.get(PageZone.HEADER_RIGHT)
    left_lines = left.lines if left else ()
    right_lines = right.lines if right else ()
    if not left_lines and not right_lines:
        return None  # no two-column header on this page: nothing to complete
    no_number = not any(is_number_line(ln) for ln in left_lines)
    no_date = not any(is_date_line(ln) for ln in right_lines)
    if not (no_number or no_date):
        return None
    body = zones.get(PageZone.BODY)
    header_bottom = max(ln.bbox[3] for ln in (*left_lines, *right_lines))
    body_lines = body.lines if body else ()
    body_top = min((ln.bbox[1] for ln in body_lines), default=HEADER_MAX * height)
    bottom = min(max(body_top, header_bottom), HEADER_MAX * height)
    if left_lines and right_lines:
        gutter = (max(ln.bbox[2] for ln in left_lines) + min(ln.bbox[0] for ln in right_lines)) / 2
    else:
        gutter = width / 2
    box = (0, 0, int(width), int(bottom))
    return (box, gutter, no_number, no_date) if bottom > 0.03 * height else None


def _overlap(a: BBox, b: BBox) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0.0) * max(h, 0.0)


def rescue_header(
    image: Image.Image, lines: tuple[Line, ...], timeout_s: float, dpi: int
) -> tuple[Line, ...]:
    """`lines` with the header's `Số:` / date row added when the page pass missed it."""
    look = needs_look(lines, float(image.width), float(image.height))
    if look is None:
        return lines
    (x0, y0, x1, y1), gutter, no_number, no_date = look
    moved = [ln for ln in ocr_region(image, (x0, y0, x1, y1), timeout_s, dpi, psm=HEADER_PSM) if ln.words]
    # The missing rows: a `Số` line left of the gutter, a date line right of it (and, with
    # either, what sparse text cut off the same row on the same side: `38/2013/QĐ-UBND`).
    wanted = [
        ln
        for ln in moved
        if (no_number and ln.bbox[0] < gutter and is_number_line(ln))
        or (no_date and ln.bbox[2] > gutter and is_date_line(ln))
    ]
    rows = []
    for anchor in wanted:
        left_side = anchor.bbox[0] < gutter and is_number_line(anchor)
        for ln in moved:
            middle = (ln.bbox[1] + ln.bbox[3]) / 2
            if not anchor.bbox[1] <= middle <= anchor.bbox[3] or ln.bbox[0] < anchor.bbox[0]:
                continue
            if (ln.bbox[0] < gutter) == left_side and ln not in rows:
                rows.append(ln)
    # Only words the page pass was sure of count as read: it may have read the lost row as one
    # doubtful scrawl (`nh`, confidence 19, across the whole `Số:` row), which the row replaces.
    known = [w.bbox for ln in lines for w in ln.words if solid(w)]
    added = []
    for ln in rows:
        words = tuple(w for w in ln.words if not _covered(w, known))
        if any(solid(w) for w in words):
            added.append(Line(words))
    if not added:
        return lines
    new = [w.bbox for ln in added for w in ln.words]
    kept = (Line(tuple(w for w in ln.words if solid(w) or not _covered(w, new))) for ln in lines)
    return tuple(ln for ln in kept if ln.words) + tuple(added)


def _covered(word: Word, boxes: list[BBox]) -> bool:
    """Whether `boxes` cover a share of the word's box (a duplicate or a word it stands for)."""
    area = max((word.bbox[2] - word.bbox[0]) * (word.bbox[3] - word.bbox[1]), 1.0)
    return any(_overlap(word.bbox, b) >= OVERLAP * area for b in boxes)
