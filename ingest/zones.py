"""Page zones by word position (pure functions; text-layer and OCR pages alike).

An OCR engine reads the two header columns as one line ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM"). So lines are first cut at any wide horizontal gap, then:
- header (page 1): rows from the top until the body begins (a row crossing the header
  gutter, a centred title such as `QUYẾT ĐỊNH`, or `Kính gửi`); its words go left or right
  of the gutter, the widest white vertical band those rows leave in the middle of the page;
- footer (the page holding `Nơi nhận`, else the last page): from the `Nơi nhận` row, or
  without one from the signer block (right-hand rows after the text ending `./.`), split
  left/right by the footer gutter;
- everything else is body, in reading order.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .model import Line, PageZone, Word, Zone

GAP_HEIGHTS = 2.2  # a gap wider than this many text heights cuts a line (justified text stays under)
GAP_PAGE = 0.025  # ... and wider than this share of the page width
RELATIVE_GAP = 4.0  # ... or, near the middle of the page, this many times the line's word spacing
MIN_GUTTER = 0.006  # narrowest header gutter, share of page width
SOLID_CONF = 45.0  # OCR words under this confidence (seal, stamp, signature noise) do not shape zones
HEADER_MAX = 0.5  # the header never reaches below half of page 1


# --- text helpers ---------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without Vietnamese marks, for OCR-tolerant matching (`Kính gứi` ~ `kinh gui`)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def _starts_like(line: Line, phrase: str, threshold: float = 75.0) -> bool:
    words = [w.text for w in line.words[:4]]
    n = len(phrase.split())
    for k in (n, n + 1):  # OCR may split a word in two
        head = fold(" ".join(words[:k])).strip(" :;.,-_'\"")
        if head and fuzz.ratio(head, phrase) >= threshold:
            return True
    return False


def is_kinh_gui(line: Line) -> bool:
    return _starts_like(line, "kinh gui", 85.0)


def is_noi_nhan(line: Line) -> bool:
    """`Nơi nhận:` label: starts the segment and is short (a body phrase `nơi nhận hồ sơ` is not)."""
    if not _starts_like(line, "noi nhan", 85.0):
        return False
    return len(line.words) <= 4 or ":" in " ".join(w.text for w in line.words[:3])


_SIGNER = re.compile(
    r"^(tm|kt|tl|tuq|q)\s*[.,]|chu tich|giam doc|bo truong|chu nhiem|tong giam doc|truong ban|"
    r"chanh van phong|thu truong|truong phong|pho chu tich|vien truong|cuc truong|bi thu"
)
_TITLES = (
    "quyet dinh",
    "thong bao",
    "ke hoach",
    "chi thi",
    "to trinh",
    "bao cao",
    "huong dan",
    "chuong trinh",
    "nghi quyet",
    "quy dinh",
    "quy che",
    "cong dien",
    "giay moi",
    "phuong an",
    "de an",
    "bien ban",
    "thong cao",
)


def is_signer_text(text: str) -> bool:
    return bool(_SIGNER.search(fold(text)))


def is_title_text(text: str) -> bool:
    folded = fold(text).strip(" :.")
    return any(fuzz.ratio(folded, t) >= 80 for t in _TITLES)


def _ends_letter(text: str) -> bool:
    return text.rstrip().endswith(("./.", "/.", "./"))


# --- geometry helpers -----------------------------------------------------------------------------


def _height(word: Word) -> float:
    return word.bbox[3] - word.bbox[1]


def solid(word: Word) -> bool:
    """A word that can shape the layout: confident and made of letters or digits."""
    if word.confidence is not None and word.confidence < SOLID_CONF:
        return False
    return sum(ch.isalnum() for ch in word.text) >= 2 or (
        word.confidence is None and any(ch.isalnum() for ch in word.text)
    )


NOISE_CONF = 30.0  # a segment whose best word is under this is a seal, signature or speck


def is_noise(seg: Line) -> bool:
    """Segments no reader wants: no letter or digit at all (`|`, `^^ ~`) or only very unsure words."""
    text = seg.text
    if "./." in text:
        return False
    if not any(ch.isalnum() for ch in text):
        return True
    confs = [w.confidence for w in seg.words if w.confidence is not None]
    return bool(confs) and max(confs) < NOISE_CONF


_MARKS = set("-–—+./,;:()")  # list dashes and punctuation a clerk wrote, however small


def _without_specks(line: Line, text_height: float) -> Line:
    """Drop marks with no letter or digit that are unsure (`_`, `|`, `~` from rules, seals) or,
    unless punctuation, far smaller than text (a dust speck read as `ˆ`). OCR words only."""

    def keep(w: Word) -> bool:
        if w.confidence is None:
            return True
        if any(ch.isdigit() or (ch.isalpha() and unicodedata.category(ch) != "Lm") for ch in w.text):
            return True  # a letter (a lone modifier such as `ˆ` is not one) or a digit
        if w.confidence < SOLID_CONF:
            return False
        tiny = max(w.bbox[2] - w.bbox[0], w.bbox[3] - w.bbox[1]) < 0.35 * text_height
        return not tiny or all(ch in _MARKS for ch in w.text)

    return Line(tuple(w for w in line.words if keep(w)))


def split_at_gaps(line: Line, page_width: float) -> list[Line]:
    """Cut a line wherever two neighbouring words are further apart than a gutter."""
    words = sorted(line.words, key=lambda w: w.bbox[0])
    if len(words) < 2:
        return [Line(tuple(words))] if words else []
    height = statistics.median(_height(w) for w in words)
    limit = max(GAP_HEIGHTS * height, GAP_PAGE * page_width)
    # Word spacing is even along a line, even a justified one; a gap many times the line's own
    # spacing in the middle of the page is the gutter between two columns set close together
    # (`VĂN PHÒNG CHÍNH PHỦ  CỘNG HÒA ...` at 5x the spacing but under the absolute limit).
    spacing = statistics.median(
        max(b.bbox[0] - a.bbox[2], 0.0) for a, b in zip(words, words[1:], strict=False)
    )
    relative = max(RELATIVE_GAP * spacing, 1.2 * height)
    parts: list[list[Word]] = [[words[0]]]
    right = words[0].bbox[2]
    for word in words[1:]:
        gap = word.bbox[0] - right
        middle = (word.bbox[0] + right) / 2
        central = abs(middle - page_width / 2) < 0.2 * page_width
        if gap > limit or (central and gap > relative and solid(word)):
            parts.append([word])
            right = word.bbox[2]
            continue
        parts[-1].append(word)
        sure = word.confidence is None or word.confidence >= SOLID_CONF
        wordlike = sum(ch.isalnum() for ch in word.text) >= 2
        if sure or wordlike or not any(solid(w) for w in parts[-1]):
            # Unsure noise (`_`, a speck) between two columns must not bridge the gutter; a sure
            # short token (`3.`, `a)`, `-`) or a badly read word (`chồng` at 11%) is text.
            right = max(right, word.bbox[2])
    return [Line(tuple(p)) for p in parts]


@dataclass
class Row:
    """Line segments that share a band of the page, left to right."""

    segments: list[Line]

    @property
    def top(self) -> float:
        return min(s.bbox[1] for s in self.segments)

    @property
    def bottom(self) -> float:
        return max(s.bbox[3] for s in self.segments)

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


def rows_of(segments: Iterable[Line]) -> list[Row]:
    """Cluster segments into rows: a segment joins a row when its middle lies in the row's band."""
    rows: list[Row] = []
    for seg in sorted(segments, key=lambda s: ((s.bbox[1] + s.bbox[3]) / 2, s.bbox[0])):
        middle = (seg.bbox[1] + seg.bbox[3]) / 2
        placed = False
        for row in reversed(rows[-3:]):  # a row is only ever near the last few
            core_top = statistics.median(s.bbox[1] for s in row.segments)
            core_bottom = statistics.median(s.bbox[3] for s in row.segments)
            if core_top <= middle <= core_bottom:
                row.segments.append(seg)
                placed = True
                break
        if not placed:
            rows.append(Row([seg]))
    for row in rows:
        row.segments.sort(key=lambda s: s.bbox[0])
    # Order by the rows' middles, not their tops: a tall seal or signature fragment joined to a
    # row must not lift it above the row before.
    rows.sort(key=lambda r: statistics.median((s.bbox[1] + s.bbox[3]) / 2 for s in r.segments))
    return rows


@dataclass(frozen=True)
class TextBlock:
    """Horizontal extent of the text on the page (robust to margin noise)."""

    left: float
    right: float

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2

    @property
    def width(self) -> float:
        return max(self.right - self.left, 1.0)


def text_block(rows: Sequence[Row], page_width: float) -> TextBlock:
    lefts = sorted(w.bbox[0] for r in rows for w in r.words if solid(w))
    rights = sorted(w.bbox[2] for r in rows for w in r.words if solid(w))
    # Decree 30 margins (left 30-35 mm, right 15-20 mm of 210): the block when the page holds
    # too little text to show it (a last page with only the signer block).
    default = TextBlock(0.15 * page_width, 0.92 * page_width)
    if len(lefts) < 5:
        return default
    block = TextBlock(lefts[len(lefts) // 50], rights[-1 - len(rights) // 50])
    return block if block.width > 0.6 * page_width else default


Interval = tuple[float, float]


def _subtract(free: list[Interval], lo: float, hi: float) -> list[Interval]:
    out: list[Interval] = []
    for a, b in free:
        if hi <= a or lo >= b:
            out.append((a, b))
            continue
        if lo > a:
            out.append((a, lo))
        if hi < b:
            out.append((hi, b))
    return out


def free_band(rows: Sequence[Row], lo: float, hi: float) -> list[Interval]:
    """Intervals of [lo, hi] that no solid word of these rows covers."""
    free: list[Interval] = [(lo, hi)]
    for row in rows:
        for w in row.words:
            if solid(w):
                free = _subtract(free, w.bbox[0], w.bbox[2])
    return free


def widest(free: Sequence[Interval]) -> Interval | None:
    return max(free, key=lambda iv: iv[1] - iv[0]) if free else None


def least_covered(rows: Sequence[Row], lo: float, hi: float, step: float = 4.0) -> Interval:
    """The widest run of x that the fewest rows cover (for footers where a seal blurs the gap)."""
    n = max(int((hi - lo) / step), 1)
    counts = [0] * n
    for row in rows:
        covered = [False] * n
        for w in row.words:
            if not solid(w):
                continue
            a = max(int((w.bbox[0] - lo) / step), 0)
            b = min(int((w.bbox[2] - lo) / step) + 1, n)
            for i in range(a, b):
                covered[i] = True
        for i, hit in enumerate(covered):
            counts[i] += int(hit)
    floor = min(counts)
    best: Interval = (lo, hi)
    best_len = -1
    start = None
    for i, count in enumerate([*counts, floor + 10**6]):
        if count <= floor and start is None:
            start = i
        elif count > floor and start is not None:
            if i - start > best_len:
                best_len, best = i - start, (lo + start * step, lo + i * step)
            start = None
    return best


# --- zones ----------------------------------------------------------------------------------------


def _solid_segments(row: Row) -> list[Line]:
    """Segments that hold a solid word, reduced to their solid words (noise shapes nothing)."""
    out = []
    for seg in row.segments:
        words = tuple(w for w in seg.words if solid(w))
        if words:
            out.append(Line(words))
    return out


def row_gap(row: Row, block: TextBlock) -> Interval | None:
    """The gap of a two-column row: between a segment that starts left of the page middle and
    the next one, which ends right of it (None: the row is one-sided)."""
    segs = _solid_segments(row)
    best: Interval | None = None
    for a, b in zip(segs, segs[1:], strict=False):
        if a.bbox[0] < block.centre and b.bbox[2] > block.centre and b.bbox[0] > a.bbox[2]:
            gap = (a.bbox[2], b.bbox[0])
            if best is None or abs(sum(gap) / 2 - block.centre) < abs(sum(best) / 2 - block.centre):
                best = gap
    return best


def _crosses(row: Row, cut: float, block: TextBlock) -> bool:
    """A row of running text: one segment reaches well into both halves around the cut."""
    reach = 0.12 * block.width
    return any(s.bbox[0] < cut - reach and s.bbox[2] > cut + reach for s in _solid_segments(row))


def _centred_title(row: Row, block: TextBlock) -> bool:
    """A single centred line in the header band: `QUYẾT ĐỊNH`, `THÔNG BÁO`, a subject line."""
    segs = _solid_segments(row)
    if len(segs) != 1:
        return False
    seg = segs[0]
    middle = (seg.bbox[0] + seg.bbox[2]) / 2
    centred = abs(middle - block.centre) < 0.06 * block.width
    return centred and (is_title_text(seg.text) or seg.bbox[2] - seg.bbox[0] > 0.25 * block.width)


def common_point(gaps: Sequence[Interval]) -> float:
    """The x inside the most gaps (the middle of that run): the gutter, robust to a stamp's gap."""
    edges = sorted({x for gap in gaps for x in gap})
    best, best_count = (gaps[0][0] + gaps[0][1]) / 2, 0
    for a, b in zip(edges, edges[1:], strict=False):
        count = sum(1 for lo, hi in gaps if lo <= a and b <= hi)
        if count > best_count:
            best, best_count = (a + b) / 2, count
    return best


def header_end(rows: Sequence[Row], block: TextBlock, page_height: float) -> tuple[int, float | None]:
    """Index of the first body row on page 1, and the x of the header gutter (None: no two columns).

    The gutter is where the two-column rows (`ỦY BAN NHÂN DÂN | CỘNG HÒA ...`) part; a long
    `V/v` line may reach past it, so the body starts only at a row of running text that spans
    well across it, a centred title, or `Kính gửi`."""
    gaps: list[Interval] = []
    for seen, (i, row) in enumerate(enumerate(rows)):
        cut = common_point(gaps) if gaps else block.centre
        if row.top > HEADER_MAX * page_height:
            return i, cut if gaps else None
        if any(is_kinh_gui(s) for s in row.segments):
            return i, cut if gaps else None
        if gaps and (_centred_title(row, block) or is_title_text(row.text)):
            return i, cut
        if seen >= 2 and _centred_title(row, block) and is_title_text(row.text):
            return i, None  # `QUYẾT ĐỊNH` under a header whose columns the OCR ran together
        gap = row_gap(row, block)
        if gap is not None:
            gaps.append(gap)
        elif _crosses(row, cut, block) and sum(solid(w) for w in row.words) >= 3:
            if gaps:
                return i, cut
            # Running text before any two-column row: no header on this page, unless it is
            # noise above the header (a stamp or handwriting read as words).
            if seen >= 2:
                return i, None
    return len(rows), common_point(gaps) if gaps else None


def footer_start(rows: Sequence[Row], first: int, block: TextBlock) -> int | None:
    """Index of the first footer row at or after `first`, or None when no footer is found."""
    start = None
    for i in range(len(rows) - 1, first - 1, -1):
        if any(is_noi_nhan(s) and s.bbox[0] < block.centre for s in rows[i].segments):
            start = i
            break
    if start is not None:
        # The signer block may begin a row or two above `Nơi nhận` on the right.
        while start - 1 >= first and _right_only(rows[start - 1], block):
            above = rows[start - 1]
            if not (is_signer_text(above.text) or above.text.isupper()):
                break
            start -= 1
        return start
    # No `Nơi nhận` (or OCR garbled it): everything after the text ending `./.`.
    ends = [i for i in range(first, len(rows)) if _ends_letter(rows[i].text)]
    if ends and ends[-1] + 1 < len(rows):
        return ends[-1] + 1
    run = None
    for i in range(len(rows) - 1, first - 1, -1):
        if not _right_only(rows[i], block):
            break
        run = i
    if run is not None and any(is_signer_text(rows[i].text) for i in range(run, len(rows))):
        return run
    return None


def _right_only(row: Row, block: TextBlock) -> bool:
    solid_segs = [s for s in row.segments if any(solid(w) for w in s.words)]
    return bool(solid_segs) and all(s.bbox[0] > block.centre - 0.05 * block.width for s in solid_segs)


def _split_rows(rows: Sequence[Row], cut: float, block: TextBlock) -> tuple[list[Line], list[Line]]:
    """Rows into left/right column lines at x = cut, one line per row and side.

    A segment goes to the side it starts on (a long `V/v` line that runs past the gutter stays
    left); a segment that starts left but ends far right is two columns merged by the OCR and is
    cut at its widest word gap near the gutter."""
    left: list[Line] = []
    right: list[Line] = []
    for row in rows:
        lw: list[Word] = []
        rw: list[Word] = []
        for seg in row.segments:
            if seg.bbox[0] >= cut:
                rw += seg.words
            elif seg.bbox[2] <= cut + 0.12 * block.width:
                lw += seg.words
            else:
                a, b = _cut_merged(seg, cut, block)
                lw += a
                rw += b
        if lw:
            left.append(Line(tuple(sorted(lw, key=lambda w: w.bbox[0]))))
        if rw:
            right.append(Line(tuple(sorted(rw, key=lambda w: w.bbox[0]))))
    return left, right


def _cut_merged(seg: Line, cut: float, block: TextBlock) -> tuple[list[Word], list[Word]]:
    """Cut a segment at its widest gap between solid words near the gutter. Words are atomic:
    an unsure fragment inside that gap (`P` of `PHÓ` read apart on a degraded scan) goes to the
    word it is nearer, and a segment with no such gap goes whole to the side holding most of it."""
    words = sorted(seg.words, key=lambda w: w.bbox[0])
    best_i, best_prev, best_gap = None, 0, 0.0
    last_solid = 0  # measure gaps between real words: a `_` between columns is not text
    for i in range(1, len(words)):
        if not solid(words[i]):
            continue
        left_edge = words[last_solid].bbox[2]
        gap = words[i].bbox[0] - left_edge
        middle = (words[i].bbox[0] + left_edge) / 2
        if abs(middle - cut) < 0.1 * block.width and gap > best_gap:
            best_i, best_prev, best_gap = i, last_solid, gap
        last_solid = i
    height = statistics.median(_height(w) for w in words)
    if best_i is None or best_gap < 0.8 * height:
        # Running text, not two columns: one side. A right-hand line whose first word straddles
        # the gutter (most of the line right of it) is the right column's; else the left's.
        straddles = seg.bbox[0] > cut - 0.1 * block.width and (seg.bbox[0] + seg.bbox[2]) / 2 > cut
        return ([], words) if straddles else (words, [])
    left_edge, right_edge = words[best_prev].bbox[2], words[best_i].bbox[0]
    at = best_i
    while at - 1 > best_prev and right_edge - words[at - 1].bbox[2] < words[at - 1].bbox[0] - left_edge:
        at -= 1  # a fragment in the gap nearer the right-hand word belongs to it
    return words[:at], words[at:]


def _is_page_number(row: Row, page_height: float) -> bool:
    text = row.text.strip(" -–.")
    return row.top < 0.12 * page_height and text.isdigit() and len(text) <= 3


def zone_page(
    lines: Sequence[Line],
    width: float,
    height: float,
    *,
    header: bool,
    footer: bool,
) -> tuple[Zone, ...]:
    """Zones of one page from its lines (any grouping: lines are re-cut at gaps and re-rowed)."""
    heights = [_height(w) for line in lines for w in line.words]
    text_height = statistics.median(heights) if heights else 0.0
    lines = [clean for line in lines if (clean := _without_specks(line, text_height)).words]
    segments = [seg for line in lines for seg in split_at_gaps(line, width) if not is_noise(seg)]
    rows = rows_of(segments)
    if not rows:
        return (Zone(PageZone.BODY, ()),)
    block = text_block(rows, width)
    zones: list[Zone] = []
    first_body = 0
    if header:
        first_body, gutter = header_end(rows, block, height)
        left, right = _split_rows(rows[:first_body], gutter or block.centre, block)
        zones += [Zone(PageZone.HEADER_LEFT, tuple(left)), Zone(PageZone.HEADER_RIGHT, tuple(right))]
    elif _is_page_number(rows[0], height):
        rows = rows[1:]  # `2`, `- 2 -` at the top of a continuation page
    end = len(rows)
    if footer:
        start = footer_start(rows, first_body, block)
        if start is not None:
            end = start
            frows = rows[start:]
            lo, hi = block.centre - 0.3 * block.width, block.centre + 0.35 * block.width
            gap = widest(free_band(frows, lo, hi))
            if gap is None or gap[1] - gap[0] < MIN_GUTTER * block.width:
                gap = least_covered(frows, lo, hi)  # a seal or signature smudges the gutter
            left, right = _split_rows(frows, (gap[0] + gap[1]) / 2, block)
            zones += [Zone(PageZone.FOOTER_LEFT, tuple(left)), Zone(PageZone.FOOTER_RIGHT, tuple(right))]
    body = tuple(seg for row in rows[first_body:end] for seg in row.segments)
    zones.insert(2 if header else 0, Zone(PageZone.BODY, body))
    return tuple(zones)


def holds_noi_nhan(lines: Iterable[Line], width: float) -> bool:
    """Whether a page carries the `Nơi nhận` label (the page whose bottom is the footer)."""
    return any(is_noi_nhan(seg) for line in lines for seg in split_at_gaps(line, width))
