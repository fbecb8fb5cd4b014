"""Lines of a `TextView` as spans, and the tests header rules make on them.

The motto (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`, `Độc lập - Tự do - Hạnh phúc`) is cut
out of a line, not just skipped: OCR of a page without a zone split reads both header
columns as one line (`ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .fuzzy import fold
from .textview import TextView


@dataclass(frozen=True)
class Span:
    """Characters start..end of a view's text (a line or part of one)."""

    start: int
    end: int
    text: str


def lines_of(view: TextView) -> list[Span]:
    starts = list(view.line_starts) or [0]
    ends = [s - 1 for s in starts[1:]] + [len(view.text)]
    return [Span(s, e, view.text[s:e]) for s, e in zip(starts, ends, strict=True)]


def line_text(view: TextView, span: Span) -> str:
    """The span's text; when OCR merged two printed lines into one (words of two heights
    interleaved: `Metro khẩn Bến cấp ...`), the upper line's words, then the lower's."""
    words = view.words_in(span.start, span.end)
    if len(words) < 4 or any(w.start < span.start or w.end > span.end for w in words):
        return span.text
    middles = sorted(((w.word.bbox[1] + w.word.bbox[3]) / 2, i) for i, w in enumerate(words))
    heights = sorted(w.word.bbox[3] - w.word.bbox[1] for w in words)
    gaps = [(middles[k + 1][0] - middles[k][0], k) for k in range(len(middles) - 1)]
    gap, at = max(gaps)
    if gap < 0.6 * heights[len(heights) // 2] or at < 1 or at > len(middles) - 3:
        return span.text
    rows = [sorted((words[i] for _, i in middles[: at + 1]), key=lambda w: w.word.bbox[0]),
            sorted((words[i] for _, i in middles[at + 1 :]), key=lambda w: w.word.bbox[0])]  # fmt: skip
    return " ".join(view.text[w.start : w.end] for row in rows for w in row)


def _letters_only(text: str) -> str:
    """Folded, every non-letter a space: same length as `text`, so offsets carry over."""
    return "".join(c if c.isalpha() else " " for c in fold(text))


# The national motto and tagline; Party documents print the Party's name in their place.
_MOTTOS = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc", "dang cong san viet nam")
_MOTTO_WORDS = {w for m in _MOTTOS for w in m.split()}


def strip_motto(line: Span) -> Span | None:
    """The part of the line that is not the national motto; None when nothing else is left."""
    letters = _letters_only(line.text)
    keep = [True] * len(letters)
    for motto in _MOTTOS:
        # Compare with single spaces (`Độc lập - Tự do` leaves runs of them), map offsets back.
        squeezed, where = _squeeze(letters, keep)
        if not squeezed.strip():
            return None
        if len(squeezed) < len(motto):
            # A piece of the motto broken over lines (`CỘNG` / `HÒA XÃ HỘI ...`).
            if len(squeezed) >= 4 and squeezed in motto and set(squeezed.split()) <= _MOTTO_WORDS:
                return None
            continue
        found = fuzz.partial_ratio_alignment(motto, squeezed, score_cutoff=85)
        if found is None:
            continue
        start, end = _widen(squeezed, found.dest_start, found.dest_end)
        for i in range(where[start], where[end - 1] + 1):
            keep[i] = False
    return _largest_kept(line, keep)


def _squeeze(letters: str, keep: list[bool]) -> tuple[str, list[int]]:
    """Kept letters with single spaces between words, and each character's offset in `letters`."""
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(letters):
        if c == " " or not keep[i]:
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        out.append(c)
        where.append(i)
    while out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def _widen(letters: str, start: int, end: int) -> tuple[int, int]:
    """Alignment may stop inside a word; a motto match covers whole words."""
    while start > 0 and letters[start - 1] != " ":
        start -= 1
    while end < len(letters) and letters[end] != " ":
        end += 1
    return start, end


def _largest_kept(line: Span, keep: list[bool]) -> Span | None:
    best: tuple[int, int] | None = None
    i = 0
    while i < len(keep):
        if not keep[i]:
            i += 1
            continue
        j = i
        while j < len(keep) and keep[j]:
            j += 1
        piece = line.text[i:j]
        if any(c.isalnum() for c in piece) and (best is None or len(piece.strip()) > best[1] - best[0]):
            lead = len(piece) - len(piece.lstrip())
            best = (i + lead, i + lead + len(piece.strip()))
        i = j
    if best is None:
        return None
    s, e = best
    return Span(line.start + s, line.start + e, line.text[s:e])


def is_separator(text: str) -> bool:
    """A rule under a header block (`-------`, `___`) or OCR dust."""
    return not any(c.isalnum() for c in text)


def is_capital_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


# No letter or digit (`-_`, `|`), digits in a name (`TT9I`), modifier marks alone (`ˆ`): OCR dust.
_JUNK_TOKEN = re.compile(r"^(?:[\W_]+|\S*\d\S*|[^\W\d_]*[\u02b0-\u036f][^\W\d_]*)$")


def capital_text(span: Span) -> Span | None:
    """The line without junk tokens (`TT9I`, `|`, `—_.`, `ˆ`), a dash kept as a connector."""
    tokens = list(re.finditer(r"\S+", span.text))
    while tokens and _JUNK_TOKEN.match(tokens[0].group(0)):
        tokens.pop(0)
    while tokens and _JUNK_TOKEN.match(tokens[-1].group(0)) and tokens[-1].group(0) not in ("-", "–"):
        tokens.pop()  # a dash at the end joins two lines of one name (`CÔNG NGHIỆP -` / `VIỄN THÔNG`)
    if not tokens:
        return None
    s, e = tokens[0].start(), tokens[-1].end()
    words = [t.group(0) for t in tokens]
    kept = [_trim_token(w) for w in words if not _JUNK_TOKEN.match(w) or w in ("-", "–")]
    # OCR glues the dash to the word before it (`NGHIỆP-`); the name prints it apart.
    text = re.sub(r"(?<=\w)([-–])(?=\s|$)", r" \1", " ".join(kept))
    return Span(span.start + s, span.start + e, text)


def _trim_token(token: str) -> str:
    """`'SỞ` → `SỞ`, `_ĐOANH` → `ĐOANH`, `TẬP-ĐOÀN` → `TẬP ĐOÀN`: quotes, rules and glued dashes
    OCR puts on the words of a capital line."""
    if token in ("-", "–"):
        return token
    token = re.sub(r"^[^\w&]+|^_+|[`'\"_;:|]+$", "", token)
    return re.sub(r"(?<=[^\W\d_]{2})[-–](?=[^\W\d_]{2})", " ", token)


# Openings of the body under the header, folded: where header rules stop reading.
_BODY_STARTS = (
    ("kinh gui", r"kinh\s*gui"),
    ("can cu", r"can\s*cu\b"),
    ("xet", r"xet\s"),
    ("theo de nghi", r"theo\s*de\s*nghi"),
    ("thuc hien", r"thuc\s*hien\s"),
    ("nhan dip", r"nhan\s*dip"),
    ("tren co so", r"tren\s*co\s*so"),
    ("ngay", r"(?:hom\s*nay|vao\s*hoi|vao\s*ngay)\b"),
    ("article", r"(?:dieu|chuong|phan|muc)\s+[\dIVX]+\b"),
    ("item", r"(?:\d{1,2}|[IVX]{1,4})\s*[.)]\s"),
)  # fmt: skip
_BODY_RES = [(key, re.compile(r"^[\W_]{0,3}" + pattern)) for key, pattern in _BODY_STARTS]


def body_start(text: str) -> str | None:
    """Which body opening a line starts with (`Kính gửi:`, `Căn cứ ...`, `1. ...`), if any.

    Only capitalised openings count: `theo ...` inside a wrapped subject is no body.
    """
    stripped = text.lstrip(" \t|_-–•*")
    if not stripped[:1].isupper() and not stripped[:1].isdigit():
        return None
    folded = fold(stripped)
    for key, pattern in _BODY_RES:
        if pattern.match(folded):
            return key
    return None
