"""A second look at the signer block when the page pass missed it.

Tesseract's page segmentation often takes the signer block for a picture: the red seal
and the signature overlap the post and the name, so the whole region is dropped (the
real scan `vpcp-2026-3722` loses `KT. BỘ TRƯỞNG, CHỦ NHIỆM` and the name this way). The
signer is a field users need, so on the footer page only, and only when the footer-right
zone lacks the post or the name or doubts a word of them, and the region holds ink the page
pass did not read surely, the region right of the footer gutter is read again as one block
of text (`--psm 6`) with only the darkest ink kept: a crop of about a sixth of the page
(~0.15 s of Tesseract, against ~1.2 s for the page), not a second page pass.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import numpy as np
from PIL import Image

from .model import Line, PageZone, Word
from .ocr import ocr_region
from .seal import levels
from .zones import fold, is_signer_text, solid, zone_page


def signer_second_look() -> bool:
    """On unless `CONGVAN_SIGNER_SECOND_LOOK=0`: it costs one small Tesseract run (~0.13 s CPU,
    mostly loading the model) on a footer page whose signer post or name the page pass lost or
    cut, which on seal-stamped letters is most footer pages, about 7% of OCR throughput."""
    return os.environ.get("CONGVAN_SIGNER_SECOND_LOOK", "1") != "0"


SIGNER_PSM = "--psm 6"  # one uniform block: no layout analysis to throw the seal region away
REGION_HEIGHT = 0.28  # share of the page height below the footer start that a signer block spans


def is_name_line(line: Line) -> bool:
    """A signer's name: two to six capitalised words, not all capitals (`Nguyễn Thị Thanh Lịch`).
    Every word with a letter counts, however faint: `D ố Minh Tuấn` is a name the seal damaged."""
    words = [w.text.strip(".,;:") for w in line.words if any(ch.isalnum() for ch in w.text)]
    if not 2 <= len(words) <= 6:
        return False
    capitalised = all(w[:1].isupper() for w in words if w[:1].isalpha())
    return capitalised and any(ch.islower() for w in words for ch in w)


_AUTHORITY = re.compile(r"(?:tm|kt|tl|tuq)(?:\s*[.,]|\s)")  # `KT CHỦ TỊCH`: OCR lost the dot


def is_post_line(line: Line) -> bool:
    """The signer's post (`PHÓ CHỦ TỊCH`, `GIÁM ĐỐC`, `Q. GIÁM ĐỐC`), not an authority step: after
    `TM.`, `KT.`, `TL.` or `TUQ.` the decree puts the post on a line of its own, and that line is
    the one the seal's rim crosses, so a block with its authority and name but no post lost it."""
    text = re.sub(r"^[\W_]+", "", fold(line.text))  # seal specks and quotes before the text
    return is_signer_text(text) and not _AUTHORITY.match(text)


def needs_rescue(
    lines: tuple[Line, ...], width: float, height: float, header: bool
) -> tuple[int, ...] | None:
    """The crop box (left, top, right, bottom) to read again, or None when the signer is there."""
    zones = {z.kind: z for z in zone_page(lines, width, height, header=header, footer=True)}
    left, right = zones.get(PageZone.FOOTER_LEFT), zones.get(PageZone.FOOTER_RIGHT)
    if left is None and right is None:
        return None  # no footer on this page: nothing to rescue
    right_lines = right.lines if right else ()
    if whole(right_lines):
        return None
    footer_lines = [*(left.lines if left else ()), *right_lines]
    top = min(ln.bbox[1] for ln in footer_lines)
    left_edges = sorted(ln.bbox[2] for ln in (left.lines if left else ()))
    list_right = left_edges[int(0.9 * (len(left_edges) - 1))] if left_edges else 0.0
    x0 = max(0.45 * width, list_right + 0.01 * width)
    box = (
        int(x0),
        int(max(0.0, top - 0.01 * height)),
        int(width),
        int(min(height, top + REGION_HEIGHT * height)),
    )
    return box if box[2] - box[0] > 0.2 * width and box[3] - box[1] > 0.05 * height else None


DOUBTFUL_CONF = 50.0  # a word of the post or name read under this was misread (`TONG` at 0)


def whole(lines: tuple[Line, ...]) -> bool:
    """The signer block has its post and its name, and Tesseract was sure of every word of them
    (a word it doubts is bent: `PHO TONG` for `PHÓ TỔNG`, `"Rở` for `Rơ`). A doubted word of the
    chain above the post (`TL.` at 13, `KT. GLÁM ĐỐC`) is no reason to look again: the extraction
    snaps the chain's steps to the decree's, and on the sample scans no such look changed a
    signer. Words between the post and the name are the signature's strokes, read as letters or not."""
    posts = [ln for ln in lines if is_post_line(ln)]
    names = [ln for ln in lines if is_name_line(ln)]
    if not posts or not names:
        return False
    return not any(
        w.confidence is not None and w.confidence < DOUBTFUL_CONF and sum(map(str.isalpha, w.text)) >= 2
        for ln in (*posts, *names)
        for w in ln.words
    )


def dark_ink_only(crop: Image.Image) -> Image.Image:
    """Keep only the darkest ink: printed text is darker than a seal (red or grey on a scan) or a
    signature in blue. Threshold at 30% of the way from the ink to the paper level (measured on
    rendered and real seals: the post and name come back where the raw crop gives noise)."""
    arr = np.asarray(crop, dtype=np.uint8)
    lv = levels(arr)
    if lv.paper - lv.ink < 40:  # no contrast to work with
        return crop
    return Image.fromarray(np.where(arr < lv.dark, 0, 255).astype(np.uint8), mode="L")


UNREAD_INK = 0.0005  # dark pixels outside the words read, as a share of the region: specks


def nothing_more(image: Image.Image, box: tuple[int, ...], lines: tuple[Line, ...]) -> bool:
    """Whether the region holds no ink beyond the words the page pass read there surely: a
    letter that is not signed (a copy, a draft), or whose block was read whole but for a post
    it does not have, has nothing more to give a second look."""
    x0, y0, x1, y1 = box
    region = np.array(image.crop((x0, y0, x1, y1)))
    for line in lines:
        for w in line.words:
            if w.confidence is not None and w.confidence < DOUBTFUL_CONF:
                continue  # a doubted word is worth reading again
            # the word's box and two pixels around it (its soft edge)
            left, top = max(0, round(w.bbox[0]) - x0 - 2), max(0, round(w.bbox[1]) - y0 - 2)
            right, bottom = max(0, round(w.bbox[2]) - x0 + 2), max(0, round(w.bbox[3]) - y0 + 2)
            region[top:bottom, left:right] = 255
    paper = float(np.median(region))
    return float(np.mean(region < 0.5 * paper)) < UNREAD_INK  # ink: darker than half the paper


def rescue_signer(
    image: Image.Image, lines: tuple[Line, ...], header: bool, timeout_s: float, dpi: int
) -> tuple[Line, ...]:
    """`lines` with the signer region re-read when the page pass missed the signer block."""
    box = needs_rescue(lines, float(image.width), float(image.height), header)
    if box is None or nothing_more(image, box, lines):
        return lines
    x0, y0, x1, y1 = box
    moved = ocr_region(image, (x0, y0, x1, y1), timeout_s, dpi, psm=SIGNER_PSM, prepare=dark_ink_only)

    def inside(word: Word) -> bool:
        cx, cy = (word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2
        return x0 <= cx <= x1 and y0 <= cy <= y1

    return merge_rows(lines, moved, inside)


def merge_rows(
    lines: tuple[Line, ...], found: tuple[Line, ...], inside: Callable[[Word], bool]
) -> tuple[Line, ...]:
    """The page pass's lines with the second look's rows laid in: a row the page pass missed is
    added; a row where the page pass read a post or name only in part (`CHỦ` for `CHỦ TỊCH`, the
    seal's rim cut the rest) is replaced by the second look's, which reads it whole. Words left of
    the region (the distribution list on the same row) are kept either way."""
    out = list(lines)
    for row in found:
        if not any(solid(w) for w in row.words):
            continue
        parts = {i: Line(tuple(w for w in ln.words if inside(w))) for i, ln in enumerate(out)}
        at = {i: part for i, part in parts.items() if part.words and _same_row(part, row)}
        if at and not _fuller(row, list(at.values())):
            continue
        for i in at:
            out[i] = Line(tuple(w for w in out[i].words if not inside(w)))
        out.append(row)
    return tuple(ln for ln in out if ln.words)


def _same_row(a: Line, b: Line) -> bool:
    """Two readings of one row: their heights overlap by half the lower one (a caps word has no
    descender, so the other reading's middle may fall just below it)."""
    overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return overlap >= 0.5 * min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])


def _fuller(row: Line, old: list[Line]) -> bool:
    """The second look read a post or a name where the page pass read none on that row, or read
    the same with more of its capitalised letters (`PHÓ CHỦ TỊCH` for `HÓ Ề` + `CHỦ TỊCH`,
    `l Dương Văn Hòa` for `) ương Văn Hòa`); a name never replaces a post."""
    if is_post_line(row):
        same = [ln for ln in old if is_post_line(ln)]
    elif _named(row) and not any(is_post_line(ln) for ln in old):
        same = [ln for ln in old if is_name_line(ln)]
    else:
        return False
    return not same or _capital_letters(row) > sum(_capital_letters(ln) for ln in old)


def _named(line: Line) -> bool:
    """A name once seal specks (faint or one-letter words) are set aside."""
    words = tuple(w for w in line.words if solid(w))
    return bool(words) and is_name_line(Line(words))


def _capital_letters(line: Line) -> int:
    return sum(sum(ch.isalpha() for ch in w.text) for w in line.words if solid(w) and w.text[:1].isupper())
