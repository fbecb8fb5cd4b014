"""Lists printed one item per line (`Kính gửi:` recipients, `Nơi nhận:` distribution).

Items open with `-` (or `+`, `•`), end with `;` and the last with `.`; an item may wrap
onto lines without a dash, may share a line with the keyword (`Kính gửi: Sở Tài chính.`),
and lists without dashes put one item per line ending in `;`. A list ends at an item
closed by `.`, or at a line that reads as prose rather than a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from .fuzzy import fold
from .nlp import folded_text

_DASH = re.compile(r"^\s*[-–—+•·*]\s*")
# Openers of the body text that follows a recipient list.
_PROSE = re.compile(
    r"^\s*(?:thuc\s+hien|can\s+cu|theo|xet|ngay\s+\d|tiep\s+theo|de\s+|nham|tren\s+co\s+so|trong|qua|sau|"
    r"hien\s+nay|vua\s+qua|thoi\s+gian|nhu\s+|van\s+phong\s+chinh\s+phu\s+nhan|uy\s+ban\s+nhan\s+dan\s+\w+\s+nhan|"
    r"ubnd\s+\w+\s+nhan|[ivx]+\.|\d+\.)",
)


@dataclass(frozen=True)
class Item:
    start: int
    end: int  # offsets of the item text in the view, punctuation trimmed


def list_items(
    text: str, start: int, stop: int | None = None, max_items: int = 40, period_ends: bool = True
) -> tuple[list[Item], int]:
    """Items of the list whose first line starts at `start`; also the offset where the list ended."""
    stop = len(text) if stop is None else stop
    items: list[Item] = []
    cur: list[int] | None = None  # [start, end] of the item being read
    cur_lines = 0
    pos = start
    end_of_list = start

    def flush() -> None:
        nonlocal cur
        if cur is not None:
            s, e = _trim(text, cur[0], cur[1])
            if e > s:
                items.append(Item(s, e))
        cur = None

    while pos < stop and len(items) < max_items:
        nl = text.find("\n", pos, stop)
        line_end = stop if nl < 0 else nl
        line = text[pos:line_end]
        next_pos = line_end + 1
        if not line.strip():
            pos = next_pos
            continue
        dash = _DASH.match(line)
        body_start = pos + (dash.end() if dash else len(line) - len(line.lstrip()))
        stripped = line.strip()
        prev = text[cur[0] : cur[1]].rstrip() if cur is not None else ""
        if dash or (cur is not None and period_ends and _undashed_item(text, body_start, stripped, prev)):
            flush()
            cur, cur_lines = [body_start, line_end], 1
        elif (
            cur is not None
            and not prev.endswith((";", ".", ":"))
            and _continues(stripped, cur_lines)
            and not _sentence_of_body(text, body_start, stripped)
        ):
            cur[1] = line_end
            cur_lines += 1
        elif (
            (cur is None or prev.endswith(";") or not period_ends)
            and not _prose(stripped)
            and (cur is None or len(stripped.split()) <= 16)
        ):
            flush()
            cur, cur_lines = [body_start, line_end], 1
        else:
            break
        end_of_list = line_end
        # An item closed by `.` ends the list; text run on after it on the same line is prose.
        closed = _closing_period(text, cur[0], cur[1]) if period_ends else None
        if closed is not None:
            cur[1] = closed
            end_of_list = closed
            flush()
            break
        pos = next_pos
    flush()
    return items, end_of_list


def _undashed_item(text: str, start: int, line: str, prev: str) -> bool:
    """`Kính gửi:` / `Sở Tài chính` / `Sở Kế hoạch và Đầu tư`: a short line that opens a body
    after a complete one, no dash nor `;` between them, is the next item, not a wrapped line."""
    from .bodies import PREDICATE, bare_post, head_at

    if (
        len(line.split()) > 10
        or head_at(text, start) is None
        or bare_post(prev)
        or prev.endswith((",", "-", "và"))
    ):
        return False
    return PREDICATE.search(folded_text(text)[start : start + len(line)]) is None


def _sentence_of_body(text: str, start: int, line: str) -> bool:
    """`Sở Thông tin và Truyền thông nhận được ...`: a body and its verb open the letter's text."""
    from .bodies import PREDICATE, head_at

    if head_at(text, start) is None:
        return False
    return PREDICATE.search(folded_text(text)[start : start + len(line)]) is not None


def split_inline(text: str, item: Item) -> list[Item]:
    """Several items OCR'd onto one line (`- Như trên; - Lưu: VT.`): split at `; -` and `;` + dash."""
    out: list[Item] = []
    s = item.start
    for m in re.finditer(r";\s*[-–+•]\s*", text[item.start : item.end]):
        a, b = _trim(text, s, item.start + m.start())
        if b > a:
            out.append(Item(a, b))
        s = item.start + m.end()
    a, b = _trim(text, s, item.end)
    if b > a:
        out.append(Item(a, b))
    return out or [item]


def _closing_period(text: str, start: int, end: int) -> int | None:
    """Offset of a `.` that closes the item (end of line, or followed by prose on the same line);
    not the dot of `TP. Hồ Chí Minh` or `Đ/c`, nor the `./.` end mark handled by the caller."""
    for m in re.finditer(r"\.(?=\s|$)", text[start:end]):
        at = start + m.start()
        before = re.search(r"(\S+)\.$", text[start : at + 1])
        word = before.group(1) if before else ""
        if re.fullmatch(r"[A-ZĐ]{1,4}|[A-Za-zĐđ]{1,2}", word) and at + 1 < end:
            continue  # an abbreviation (`TP.`, `Q.`) inside the item
        return at
    return None


def _continues(line: str, lines_so_far: int) -> bool:
    """A wrapped item line: short and not the opening of a sentence of the body."""
    return lines_so_far < 4 and not _prose(line) and len(line.split()) <= 14


def _prose(line: str) -> bool:
    return _PROSE.match(fold(line)) is not None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n-–—+•·*":
        start += 1
    while end > start and text[end - 1] in " \t\n;,.:/":
        end -= 1
    return start, end


def item_text(text: str, item: Item) -> str:
    return " ".join(text[item.start : item.end].split())


def find_heading(
    text: str, keyword: str, start: int = 0, end: int | None = None, threshold: float = 80.0
) -> Item | None:
    """A list heading (`Kính gửi:`, `Nơi nhận:`) at the start of a line, OCR-tolerant.

    Fuzzy matching anywhere in the text finds look-alikes (`ninh, an` scores 86 against `Nơi
    nhận`); a heading opens its line (after a table rule `|` or the other column's text when OCR
    merged columns, hence the first three words are tried) and is followed by `:` or by nothing.
    Returns the span of the keyword with its colon."""
    stop = len(text) if end is None else end
    folded = folded_text(text)
    target = re.sub(r"\s+", "", fold(keyword))
    n = len(keyword.split())
    pos = start
    while pos < stop:
        nl = text.find("\n", pos, stop)
        line_end = stop if nl < 0 else nl
        found = _heading_in_line(text, folded, pos, line_end, target, n, threshold)
        if found is not None:
            return found
        if nl < 0:
            break
        pos = nl + 1
    return None


def _heading_in_line(
    text: str, folded: str, pos: int, line_end: int, target: str, n: int, threshold: float
) -> Item | None:
    words = list(re.finditer(r"\S+", folded[pos:line_end]))[: n + 3]
    best: tuple[float, Item] | None = None
    for first in range(min(3, len(words))):
        for k in (n, n + 1, n - 1):
            if k < 1 or first + k > len(words):
                continue
            s, e = pos + words[first].start(), pos + words[first + k - 1].end()
            window = folded[s:e]
            colon = window.endswith(":") or text[e : e + 2].lstrip().startswith(":")
            if not colon and e < line_end and text[e:line_end].strip():
                continue
            score = fuzz.ratio(_SQUASH.sub("", window), target)
            if score >= threshold and (best is None or score > best[0]):
                after = e + (len(text[e:line_end]) - len(text[e:line_end].lstrip()))
                best = (score, Item(s, after + 1 if text[after : after + 1] == ":" else e))
    return best[1] if best else None


_SQUASH = re.compile(r"[\s:;.,|]+")


def find_list_keyword(text: str, keyword: str, start: int = 0, end: int | None = None) -> Item | None:
    """`find_heading`, or failing that the keyword opening a line with its list run on after it
    (`Kính gửi Sở X` whose colon OCR lost), at a stricter score."""
    found = find_heading(text, keyword, start, end)
    if found is not None:
        return found
    stop = len(text) if end is None else end
    target = re.sub(r"\s+", "", fold(keyword))
    n = len(keyword.split())
    opening = re.compile(r"(?m)^[ \t|]*(\S+(?:[ \t]+\S+){" + str(n - 1) + "})")
    for m in opening.finditer(text[start:stop]):
        s = start + m.start(1)
        if fuzz.ratio(_SQUASH.sub("", folded_text(text)[s : start + m.end(1)]), target) >= 90:
            return Item(s, start + m.end(1))
    return None


_TELEGRAM = re.compile(r"(?m)^.*\bdien\s*:[ \t|]*$")


@lru_cache(maxsize=32)
def recipients_heading(text: str, limit: int = 6000) -> Item | None:
    """Where the recipient list starts: `Kính gửi:`, or for a công điện (telegram) the line
    `CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ... điện:` whose list follows in the same dashed form."""
    stop = min(len(text), limit)
    found = find_list_keyword(text, "Kính gửi", 0, stop)
    if found is not None:
        return found
    m = _TELEGRAM.search(folded_text(text), 0, stop)
    if m is not None and re.match(r"\s*[-–+•]", text[m.end() : m.end() + 8]):
        return Item(m.start(), m.end())
    return _unheaded_list(text)


def _unheaded_list(text: str) -> Item | None:
    """The body zone opens with a dashed list of bodies: the `Kính gửi:` a stamp hid from OCR.
    (Only the body zone opens so; a whole text opens with the header.)"""
    from .bodies import head_at

    first = re.match(r"\s*([-–+•])\s*", text)
    if first is None or head_at(text, first.end()) is None:
        return None
    return Item(first.start(1), first.start(1))
