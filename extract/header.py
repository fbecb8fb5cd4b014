"""Header fields: number, symbol, doc_type, parent_body, issuer, place, date, subject, urgency.

Each field is read in the zone Decree 30/2020 puts it in (issuer, `Số:` and `V/v` top
left; place and date top right; type title and its subject at the top of the body) and,
when the zone split failed (a damaged scan, plain text), from the head of the `whole`
view, where the two header columns may be merged on one line.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.model import Line

from . import years
from .casing import LEXICON_SYLLABLES, is_acronym, is_vietnamese_syllable, normal_case
from .citations import find_citations
from .consensus import letter_spellings, respell, two_syllable_words, unglue
from .fuzzy import fold
from .headlines import (
    Span,
    body_start,
    capital_text,
    is_capital_line,
    is_separator,
    line_text,
    lines_of,
    strip_motto,
)
from .model import Region
from .places import place_named_in, repair_place
from .subjects import UNREAD, clean_subject, fill_gaps, reacronym, undash, unglue_words, unwrap_dashes
from .symbols import (
    CONG_VAN,
    abbreviations_of,
    parse_number,
    repair_groups,
    repair_type_group,
    symbol_only,
    type_of_symbol,
    type_of_title,
)
from .textview import TextView
from .tonemarks import rehook
from .units import split_units
from .views import Extraction, ZoneViews

log = logging.getLogger(__name__)

HEAD_LINES = 45  # the header never runs further down the page than this many lines
MAX_SUBJECT_LINES = 6


@dataclass(frozen=True)
class Found:
    """A value and the character spans of the view it was read from."""

    value: Any
    view: TextView
    spans: tuple[tuple[int, int], ...]

    def regions(self) -> list[Region]:
        return [r for s, e in self.spans if e > s for r in self.view.regions(s, e)]


def extract(views: ZoneViews, **context: Any) -> Extraction:
    """Every header field with its evidence; a field not found is None, never a guess."""
    head = _head(views.whole)
    number: Found | None = _guard(lambda: _first(_number, [views.header_left], head))
    parent, issuer = _guard(lambda: _issuer_block(views, head, number)) or (None, None)
    if issuer is not None:
        short = issuer
        issuer = _guard(lambda: _complete_issuer(short, views, head)) or issuer
        read = issuer
        lexicon_spelled = LEXICON_SYLLABLES
        issuer = _guard(lambda: _respelled(read, views.whole, True, lexicon_spelled)) or issuer
    if parent is not None:
        read_parent = parent  # printed in capitals and kept so, its marks repaired like the issuer's
        parent = _guard(lambda: _respelled(read_parent, views.whole, True)) or parent
    title: Found | None = _guard(lambda: _title(views, head))
    if number is not None:
        # The symbol's groups abbreviate the issuer and name the type the title prints.
        name = str(issuer.value) if issuer else ""
        doc_type_printed = str(title.value[0]) if title else None
        found_number = number
        number = _guard(lambda: _repair_symbol(found_number, name, doc_type_printed)) or number
    dated: Found | None = _guard(lambda: _first(_place_date, [views.header_right, views.header_left], head))
    if dated is not None:
        read_date, read_number = dated, number
        dated, number = _guard(lambda: _settle_year(read_date, read_number, views)) or (dated, number)
    if dated is not None and dated.value[0]:
        read_place, names = str(dated.value[0]), [str(f.value) for f in (issuer, parent) if f is not None]
        place = _guard(lambda: place_named_in(read_place, names)) or read_place
        dated = Found((place, dated.value[1]), dated.view, dated.spans)
    symbol = number.value[1] if number else None
    if title is not None:
        subject = _guard(lambda: _title_subject(title, issuer))
        doc_type: str | None = title.value[0]
        typed_by: Found | None = title
    else:

        def vv_rule(view: TextView, lines: list[Span]) -> Found | None:
            return _vv_subject(view, lines, in_zone=view is not head.view)

        subject = _guard(lambda: _first(vv_rule, [views.header_left], head))
        doc_type = type_of_symbol(symbol) or (CONG_VAN if subject else None)
        typed_by = number
    if subject is not None:
        read_subject = subject
        subject = _guard(lambda: _respelled(read_subject, views.whole)) or subject
        spelled = subject
        subject = _guard(lambda: _gaps_filled(spelled, views.body)) or subject
        filled = subject
        subject = _guard(lambda: _dashes_unwrapped(filled, views.whole)) or subject
    urgency = _guard(lambda: _first(_urgency, [views.header_left, views.header_right, views.body], head))

    out = Extraction()
    _put(out, "number", number.value[0] if number else None, number)
    _put(out, "symbol", symbol, number)
    _put(out, "doc_type", doc_type, typed_by)
    _put(out, "parent_body", parent.value if parent else None, parent)
    _put(out, "issuer", issuer.value if issuer else None, issuer)
    _put(out, "place", dated.value[0] if dated else None, dated)
    _put(out, "date", dated.value[1] if dated else None, dated)
    _put(out, "subject", subject.value if subject else None, subject)
    _put(out, "urgency", urgency.value if urgency else None, urgency)
    return out


def _put(out: Extraction, key: str, value: Any, found: Found | None) -> None:
    """A value with the regions it was read from; no evidence for a value not found."""
    out.put(key, value, found.regions() if found is not None and value is not None else None)


def _guard(rule: Callable[[], Any]) -> Any:
    # `extract/` must never raise on any text: a bug in one field must not lose the others.
    try:
        return rule()
    except Exception:  # noqa: BLE001
        log.exception("header rule failed")
        return None


# --- views and lines --------------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    """The first lines of `whole`: where the header lies when the zone split failed."""

    view: TextView
    lines: list[Span]


def _head(whole: TextView) -> Head:
    whole = reading_order(whole)
    lines = lines_of(whole)[:HEAD_LINES]
    for i, line in enumerate(lines):
        if body_start(line.text) in ("kinh gui", "can cu") or len(line.text) > 220:
            lines = lines[:i]
            break
    return Head(whole, lines)


def reading_order(view: TextView) -> TextView:
    """The view's lines top to bottom, a row's lines left to right.

    `whole` holds the zones one after the other; when the zone split went wrong (a
    title put in the top right, a subject line in the top left) reading by position
    puts the title back above its subject.
    """
    placed: list[tuple[int, float, float, float, Line]] = []
    for span in lines_of(view):
        words = view.words_in(span.start, span.end)
        if not words:
            continue
        # Medians: one misread word with a tall box must not move its line.
        top = sorted(w.word.bbox[1] for w in words)[len(words) // 2]
        bottom = sorted(w.word.bbox[3] for w in words)[len(words) // 2]
        placed.append((words[0].page, top, bottom, words[0].word.bbox[0], Line(tuple(w.word for w in words))))
    placed.sort(key=lambda p: (p[0], p[1]))
    rows: list[list[tuple[int, float, float, float, Line]]] = []
    for item in placed:
        if rows:
            page, top, bottom = rows[-1][0][0], rows[-1][0][1], rows[-1][0][2]
            overlap = min(bottom, item[2]) - max(top, item[1])
            if page == item[0] and overlap > 0.5 * min(bottom - top, item[2] - item[1]):
                rows[-1].append(item)
                continue
        rows.append([item])
    ordered = [(item[0], item[4]) for row in rows for item in sorted(row, key=lambda p: p[3])]
    return TextView.of(ordered)


def _first(rule: Callable[..., Found | None], views: Sequence[TextView], head: Head) -> Found | None:
    """The rule on each zone view that holds text, then on the head of `whole`."""
    for view in views:
        if view.text.strip():
            found = rule(view, lines_of(view))
            if found is not None:
                return found
    return rule(head.view, head.lines)


# --- number and symbol ------------------------------------------------------------------

_SO = re.compile(r"(?<![^\s|:;,.(])([S5$])(\w?)[ \t]*([:;]?)")


def _number(view: TextView, lines: list[Span]) -> Found | None:
    """`Số: 33/QĐ-UBND`, OCR-tolerant (`Sổ:`, `So:`, `S6:`, `Số :`), number possibly blank."""
    text = view.text
    for line in lines:
        for m in _SO.finditer(text, line.start, line.end):
            second = fold(m.group(2))
            at_line_start = not text[line.start : m.start()].strip(" \t|")
            if not (m.group(3) or (at_line_start and second == "o")):
                continue  # `số 131/GLI-KDGP` in a sentence is a citation, not the header
            if second not in ("", "o", "6", "0", "e"):
                continue
            rest_start = m.end()
            rest = text[rest_start:]
            blank = len(rest) - len(rest.lstrip(" \t|"))
            if rest[blank : blank + 1] == "\n":  # `Số:` alone, number on the next line
                rest_start += blank + 1
                rest = text[rest_start:]
            parsed = parse_number(rest.split("\n", 1)[0]) or symbol_only(rest.split("\n", 1)[0])
            if parsed is None or parsed.symbol is None:
                continue
            return Found((parsed.number, parsed.symbol), view, ((m.start(), rest_start + parsed.length),))
    return None


def _repair_symbol(number: Found, issuer: str, doc_type: str | None) -> Found:
    """`BTTTI-CĐSQG` from the Bộ Thông tin và Truyền thông is `BTTTT-CĐSQG` (`repair_groups`);
    `CĐĐ-UBND` under the title `CÔNG ĐIỆN` is `CĐ-UBND` (`repair_type_group`)."""
    symbol = repair_groups(number.value[1], abbreviations_of(issuer))
    return _with_symbol(number, repair_type_group(symbol, doc_type))


def _with_symbol(number: Found, repaired: str) -> Found:
    """The number found with its symbol replaced by a repaired one (number text follows)."""
    full, symbol = number.value
    if repaired == symbol:
        return number
    full = full[: len(full) - len(symbol)] + repaired if full and full.endswith(symbol) else full
    return Found((full, repaired), number.view, number.spans)


# --- issuer and parent body -------------------------------------------------------------


def _issuer_block(views: ZoneViews, head: Head, number: Found | None) -> tuple[Found | None, Found | None]:
    """Parent body and issuer from the top-left zone, else from the head of the page."""
    # OCR glues the syllables of capitals (`SỞY TẾ`); the letter's own text tells them apart.
    ocr = any(w.word.confidence is not None for w in views.whole.words[:200])
    table = letter_spellings(views.whole.text) if ocr else None
    if views.header_left.text.strip():
        found = _bodies(views.header_left, lines_of(views.header_left), number, table)
        if found[1] is not None:
            return found
    return _bodies(head.view, head.lines, number, table)


def _bodies(
    view: TextView, lines: list[Span], number: Found | None, table: dict[str, Counter[str]] | None = None
) -> tuple[Found | None, Found | None]:
    """Capital lines above `Số:`; the last body named there issues, the one above is its parent."""
    stop = len(lines)
    if number is not None and number.view is view:
        stop = next((i for i, ln in enumerate(lines) if ln.start <= number.spans[0][0] < ln.end + 1), stop)
    else:
        stop = next((i for i, ln in enumerate(lines) if _ends_issuer_block(ln.text)), stop)
    candidates: list[Span] = []
    for line in lines[:stop]:
        kept = strip_motto(line)
        if kept is None or is_separator(kept.text) or _urgency_of(kept.text):
            continue
        cleaned = capital_text(kept)
        if cleaned is not None and table:
            cleaned = Span(cleaned.start, cleaned.end, unglue(cleaned.text, table))
        if cleaned is not None and is_capital_line(cleaned.text) and reads_as_name(cleaned.text):
            candidates.append(cleaned)
    units = split_units([c.text for c in candidates])
    if not units:
        return None, None
    picked = [_trim_unit([candidates[i] for i in unit]) for unit in units]
    issuer = _joined(view, picked[-1], normal_case)
    parent = _joined(view, picked[-2], str) if len(picked) >= 2 else None  # as printed
    return parent, issuer


def _trim_unit(spans: list[Span]) -> list[Span]:
    """The rule under the issuer read as ` -` or `.` after its last line goes."""
    last = spans[-1]
    text = re.sub(r"[\s\-–.,_]+$", "", last.text)
    return [*spans[:-1], Span(last.start, last.end, text)] if text else spans[:-1] or spans


def _joined(view: TextView, spans: list[Span], shape: Callable[[str], str]) -> Found:
    return Found(shape(" ".join(s.text for s in spans)), view, tuple((s.start, s.end) for s in spans))


def reads_as_name(text: str) -> bool:
    """Capital words a body's name is made of, not OCR of a stamp or a scrawl (`NHỦHh ÁP Ba`)."""
    tokens = [t.strip(".,;:()\"'") for t in text.split()]
    tokens = [t for t in tokens if t and t not in ("-", "–", "&")]
    good = sum(t.isupper() and (is_vietnamese_syllable(t) or _acronym_or_brand(t)) for t in tokens)
    return bool(tokens) and good >= 0.75 * len(tokens)


def _acronym_or_brand(token: str) -> bool:
    """`UBND`, `SGD&ĐT`, `VIETTEL`, `MOBIFONE`: no runs of three consonants between vowels."""
    if is_acronym(token):
        return len(token) <= 8
    return re.search(r"[^AEIOUYĂÂÊÔƠƯÀ-Ỹ\W\d_]{3}", token) is None and len(token) <= 10


def _ends_issuer_block(text: str) -> bool:
    if _SO.match(text.lstrip(" |")) and ":" in text[:6]:
        return True  # a `Số:` line whose number OCR could not parse still ends the issuer
    return bool(_vv_at(text) or _DATE.search(text) or type_of_title(text) or body_start(text))


def _complete_issuer(issuer: Found, views: ZoneViews, head: Head) -> Found | None:
    """`ỦY BAN NHÂN DÂN` alone in the header: a decision repeats its full authority under the title."""
    name = fold(str(issuer.value))
    if len(name.split()) > 4:
        return None
    sources = [(views.body, lines_of(views.body)[:15])] if views.body.text.strip() else []
    sources.append((head.view, head.lines))
    for view, lines in sources:
        for line in lines:
            if body_start(line.text) in ("kinh gui", "can cu"):
                break
            text = " ".join(line.text.split())
            folded = fold(text)
            if (
                (view is not issuer.view or line.start > issuer.spans[-1][1])
                and is_capital_line(text)
                and folded.startswith(name + " ")
                and _opens_place(folded[len(name) :])
            ):
                return Found(normal_case(text), view, ((line.start, line.end),))
    return None


def _opens_place(folded_rest: str) -> bool:
    return folded_rest.split()[:1] in (["tinh"], ["thanh"], ["huyen"], ["quan"], ["xa"], ["phuong"], ["thi"])


# --- place and date ---------------------------------------------------------------------

_NGAY, _THANG, _NAM = r"ng\w{1,2}y", r"th\w{1,2}ng", r"n\w{1,2}m"
_DATE = re.compile(
    # OCR glues the day to `tháng` (`28tháng`) and reads a speck before the month (`tháng g 4`).
    rf"(?P<ngay>{_NGAY})[ \t]*(?P<d>[^\s]{{0,4}}?)(?:[ \t]+|(?<=\d)){_THANG}[ \t]*"
    rf"(?:[^\s\d]{{1,2}}[ \t]+(?=\d))?(?P<m>[^\s]{{0,4}}?)[ \t]+{_NAM}"
    rf"(?:[ \t:;.,'`]*(?P<y>\d{{4}}))?",  # OCR dust before the year (`năm:'2026`)
    re.IGNORECASE,
)
_PLACE_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][^\W\d_]*\.?$")


def _place_date(view: TextView, lines: list[Span]) -> Found | None:
    """`Gia Lai, ngày      tháng 8 năm 2023` → ('Gia Lai', '2023-08')."""
    for i, line in enumerate(lines):
        kept = strip_motto(line) or line
        m = _DATE.search(view.text, kept.start, kept.end)
        if not m:
            continue
        place_words, place_start = _place_before(view, lines, i, kept.start, m.start())
        if not place_words and view.text[kept.start : m.start()].strip(" \t|,"):
            continue  # `... họp ngày 27 tháng 12 năm 2017` in a sentence is not the date line
        place = repair_place(" ".join(place_words)) if place_words else None
        day, month = (None if _scrawled(view, m, part) else m[part] for part in ("d", "m"))
        date = header_date(day, month, m["y"])
        start = place_start if place_start is not None else m.start()
        return Found((place, date), view, ((start, m.end()),))
    return None


def _place_before(
    view: TextView, lines: list[Span], i: int, start: int, end: int
) -> tuple[list[str], int | None]:
    """Title-case words right before `, ngày`; the line above too when it is all place (`Mỹ` / `Tho`)."""
    words: list[str] = []
    first: int | None = None
    for m in reversed(list(re.finditer(r"\S+", view.text[start:end]))):
        word = m.group(0).strip(",;:|\"'“”‘’`")
        if not word:
            continue
        if not _PLACE_WORD.match(word) or (words and _mixed(words) and len(word) > 1 and word.isupper()):
            break
        words.insert(0, word)
        first = start + m.start()
    else:
        if i > 0 and len(words) < 4:
            above = lines[i - 1].text.split()
            whole_line_place = all(_PLACE_WORD.match(w) and not w.isupper() for w in above)
            if above and len(above) + len(words) <= 5 and whole_line_place:
                words = above + words
                first = lines[i - 1].start
    return (words if len(words) <= 5 else []), first


def _mixed(words: list[str]) -> bool:
    return any(not w.isupper() for w in words)


SCRAWL_CONFIDENCE = 35.0  # a handwritten day or month reads as digits Tesseract doubts


def _settle_year(dated: Found, number: Found | None, views: ZoneViews) -> tuple[Found, Found | None]:
    """The date's year (and a legal document's number year) checked against the body (`years`)."""
    words = dated.view.words_in(*dated.spans[-1])
    confidence = words[-1].word.confidence if words else None
    body = views.body.text
    cited = [int(c.date[0][:4]) for c in find_citations(body) if c.date and c.date[0][:4].isdigit()]
    full = number.value[0] if number else None
    date, settled = years.settle(dated.value[1], confidence, full, body, cited)
    if date != dated.value[1]:
        dated = Found((dated.value[0], date), dated.view, dated.spans)
    if number is not None and settled != full:
        number = Found((settled, number.value[1]), number.view, number.spans)
    return dated, number


def _scrawled(view: TextView, m: re.Match[str], part: str) -> bool:
    """Whether the day (or month) was written by hand: OCR digits of very low confidence."""
    if not m[part]:
        return False
    words = view.words_in(m.start(part), m.end(part))
    confs = [w.word.confidence for w in words if w.word.confidence is not None]
    return bool(confs) and min(confs) < SCRAWL_CONFIDENCE


def header_date(day: str | None, month: str | None, year: str | None) -> str | None:
    """ISO date of issue from the printed parts; an unreadable part (handwriting) counts as blank.

    A blank month means no date: drafts carry a pre-printed year only (labels: null).
    """
    y = _digits(year)
    mo = _slot(month, 12)
    if y is None or not 1900 <= y <= 2100 or mo is None:
        return None
    d = _slot(day, 31)
    from calendar import monthrange

    if d is None or not 1 <= d <= monthrange(y, mo)[1]:
        return f"{y:04d}-{mo:02d}"
    return f"{y:04d}-{mo:02d}-{d:02d}"


# Letters OCR reads for digits in a typed date (`O` 0, `l` 1, `Z` 2, `S` 5, `B` 8).
_LOOKALIKE_LETTERS = "OoDQIl|!iZzSsB"
_LOOKALIKES = str.maketrans(_LOOKALIKE_LETTERS, "00001111122558")


def _slot(text: str | None, high: int) -> int | None:
    """A day (≤ 31) or month (≤ 12) as printed, else as OCR's lookalike letters read back, else
    without a lookalike speck at its edge (`Z7` → 7); None when no reading is in range, and a
    scrawl (`2Š`) is none."""
    text = (text or "").strip(".,'`")
    for reading in (text, text.translate(_LOOKALIKES), text.strip(_LOOKALIKE_LETTERS)):
        number = _digits(reading)
        if number is not None and 1 <= number <= high:
            return number
    return None


def _digits(text: str | None) -> int | None:
    text = (text or "").strip(".,")
    return int(text) if text.isdigit() and text.isascii() else None


# --- type title, subject ----------------------------------------------------------------


def _title(views: ZoneViews, head: Head) -> Found | None:
    """The centred type name (`QUYẾT ĐỊNH`) at the top of the body: value (doc_type, line index)."""
    candidates: list[tuple[TextView, list[Span]]] = []
    if views.body.text.strip():
        candidates.append((views.body, lines_of(views.body)))
    candidates.append((head.view, head.lines))
    for view, lines in candidates:
        seen = 0
        for i, line in enumerate(lines):
            if not line.text.strip():
                continue
            seen += 1
            if (seen > 14 and view is not head.view) or body_start(line.text) in ("kinh gui", "can cu"):
                break
            # Above the body a colon is OCR dust (`QUYẾT ĐỊNH:`); the enacting line comes after Căn cứ.
            name = type_of_title(line.text.rstrip(" :"))
            if name:
                return Found((name, i), view, ((line.start, line.end),))
    return None


_FIRST_LINE_STOPS = ("kinh gui", "can cu", "article", "item")
_SUBJECT_CONNECTOR = re.compile(r"(?:\b(?:của|và|cho|tại|với|về|trên|đến)|[,\-–])\s*$", re.IGNORECASE)
_AUTHORITY = ("uy ban nhan dan", "hoi dong nhan dan", "ubnd")
# A post opening a capital line is the enacting authority (`CHỦ TỊCH ỦY BAN NHÂN DÂN ...`), never
# a subject's continuation, whatever the line above ends with.
_POSTS = ("bo truong", "chu tich", "giam doc", "tong giam doc", "thu tuong", "chanh van phong", "truong ban")


def _title_subject(title: Found, issuer: Found | None) -> Found | None:
    """The line(s) under the type name, up to the authority line or the first body paragraph."""
    view: TextView = title.view
    lines = lines_of(view)
    index: int = title.value[1]
    margins = _margins(view, lines)
    centred = _is_centred(margins, _box(view, [lines[index]]))
    picked: list[Span] = []
    pending_blank = False
    for row in _rows(view, lines[index + 1 : index + 1 + 3 * MAX_SUBJECT_LINES]):
        text = " ".join(" ".join(s.text.split()) for s in row).strip()
        if not text:
            pending_blank = bool(picked)
            continue
        if is_separator(text):
            if picked:
                break
            continue
        opening = body_start(text)
        if opening and (picked or opening in _FIRST_LINE_STOPS):
            break  # a subject may itself open with `Thực hiện ...`, a body line may not follow it
        if type_of_title(text) or _is_authority(text, issuer, picked):
            break
        if pending_blank and text[:1].isupper() and not is_capital_line(text):
            break  # plain text: a blank line, then a sentence: the body has begun
        off_centre = centred and not _is_centred(margins, _box(view, row))
        if picked and off_centre and not _wrapped(view, margins, picked, text):
            break
        picked.extend(row)
        if len(picked) >= MAX_SUBJECT_LINES:
            break
    value = clean_subject(" ".join(line_text(view, s) for s in picked))
    return Found(value, view, tuple((s.start, s.end) for s in picked)) if value else None


Box = tuple[float, float, float, float]


def _box(view: TextView, spans: list[Span]) -> Box | None:
    boxes = [w.word.bbox for s in spans for w in view.words_in(s.start, s.end)]
    if not boxes:
        return None
    xs0, ys0, xs1, ys1 = zip(*boxes, strict=True)
    return (min(xs0), min(ys0), max(xs1), max(ys1))


def _rows(view: TextView, lines: list[Span]) -> list[list[Span]]:
    """Lines OCR split on one printed row (a wide gap in a centred line) joined again."""
    rows: list[list[Span]] = []
    last: Box | None = None
    for line in lines:
        box = _box(view, [line])
        if rows and box and last and min(box[3], last[3]) - max(box[1], last[1]) > 0.5 * (box[3] - box[1]):
            rows[-1].append(line)
            last = (min(box[0], last[0]), min(box[1], last[1]), max(box[2], last[2]), max(box[3], last[3]))
            continue
        rows.append([line])
        last = box
    return rows


def _margins(view: TextView, lines: list[Span]) -> tuple[float, float] | None:
    box = _box(view, lines)
    return (box[0], box[2]) if box else None


def _is_centred(margins: tuple[float, float] | None, box: Box | None) -> bool:
    """On a positioned page the title block is centred and the body is not (indent, full width)."""
    if margins is None or box is None:
        return False
    left, right = margins
    width = right - left
    if width <= 0:
        return False
    gap_l, gap_r = box[0] - left, right - box[2]
    # Justified body lines touch both margins, a paragraph's first line is indented.
    return gap_l > 0.01 * width and abs(gap_l - gap_r) < 0.03 * width


def _wrapped(view: TextView, margins: tuple[float, float] | None, picked: list[Span], text: str) -> bool:
    """A capital subject that filled the measure goes on in capitals on the next line, which
    need not look centred (`... TRÊN ĐỊA BÀN` / `TỈNH THANH HÓA ĐẾN NĂM 2025 ...`)."""
    above = _box(view, picked[-1:])
    if margins is None or above is None or not (is_capital_line(text) and is_capital_line(picked[-1].text)):
        return False
    return above[2] - above[0] >= 0.85 * (margins[1] - margins[0])


def _is_authority(text: str, issuer: Found | None, picked: list[Span]) -> bool:
    text = re.sub(r"^[\W_]+", "", text)
    if not picked or not is_capital_line(text):
        return False
    folded = fold(text)
    if folded.startswith(_POSTS):
        return True
    if _SUBJECT_CONNECTOR.search(picked[-1].text):
        return False
    if issuer is not None and folded.startswith(fold(str(issuer.value)).split(" ")[0] + " "):
        first_words = " ".join(fold(str(issuer.value)).split()[:2])
        if folded.startswith(first_words):
            return True
    return folded.startswith(_AUTHORITY)


_VV = re.compile(r"^[\W_]{0,4}(V\s?[/\\|lIi1!íìỉÍÀàẢảỰựỨứƯư.,]?\s?[vVwW]?[.,:;]?|[XY]/[vV])(?=\s|$)")
# `V/v.đề xuất`: OCR read the space after `V/v` as a stop, gluing the subject on.
_VV_GLUED = re.compile(r"^[\W_]{0,4}(V[/\\|l]v[.,:;])(?=[^\W\d_])")


def _vv_at(text: str) -> re.Match[str] | None:
    """`V/v` opening a line, as OCR reads it (`Vlv`, `V/V`, `VỰv`, `Ví`, `VÀ,`, `X/v`); not the word `VÀ`
    that opens the second line of a name (`BỘ THÔNG TIN` / `VÀ TRUYỀN THÔNG`)."""
    m = _VV.match(text) or _VV_GLUED.match(text)
    if m is None:
        return None
    bare = m.group(1).replace(" ", "")
    return m if len(bare) >= 2 and fold(bare) != "va" else None


def _vv_subject(view: TextView, lines: list[Span], in_zone: bool = False) -> Found | None:
    """`V/v <subject>` over one to four lines (OCR: `Vlv`, `V/V`, `VỰv`, `VÀ,`), without `V/v`.

    In the header-left zone every line under `V/v` is subject (OCR may prefix one with a
    stray `-`); in the whole text the subject ends at the next header or body line.
    """
    for i, line in enumerate(lines):
        m = _vv_at(line.text)
        if not m:
            continue
        first = Span(line.start + m.end(), line.end, line.text[m.end() :])
        picked = [_cut_date(view, _own_part(first) or first)]
        for nxt in lines[i + 1 :]:
            text = nxt.text.strip()
            if not text:
                continue
            own = _own_part(nxt)
            if own is None or len(picked) >= MAX_SUBJECT_LINES or _ends_vv(own.text, in_zone):
                break
            picked.append(_cut_date(view, own))
        value = clean_subject(" ".join(line_text(view, p) for p in picked))
        if value:
            return Found(value, view, tuple((p.start, p.end) for p in picked))
    return None


def _own_part(line: Span) -> Span | None:
    """A subject line without the motto OCR read across from the right column."""
    return strip_motto(line)


def _ends_vv(text: str, in_zone: bool) -> bool:
    return (
        is_capital_line(text)
        or text.lstrip().startswith(("Số",) if in_zone else ("-", "+", "Số"))
        or bool(body_start(text))
        or bool(_DATE.match(text.strip()))
        or bool(re.match(r"^[A-ZĐÀ-Ỹ][^\s,]*(?:\s[A-ZĐÀ-Ỹ][^\s,]*){0,4},\s*" + _NGAY, text.strip(), re.I))
    )


def _cut_date(view: TextView, line: Span) -> Span:
    """A subject line merged with the right column's date line keeps only its own part."""
    m = re.search(r"\s[A-ZĐÀ-Ỹ][^\s,]*(?:\s[A-ZĐÀ-Ỹ][^\s,]*){0,4},\s*" + _NGAY, line.text)
    if not m:
        return line
    return Span(line.start, line.start + m.start(), line.text[: m.start()])


def _respelled(
    found: Found, whole: TextView, split_glued: bool = False, protected: frozenset[str] = frozenset()
) -> Found:
    """OCR'd values take the tone marks the rest of the letter gives their words (`consensus`,
    `tonemarks`), lose the dashes it never prints between them, get back the spaces OCR
    lost where it prints them and the acronyms it prints elsewhere (`subjects`)."""
    regions = found.regions()
    if not regions or all(r.confidence is None for r in regions):
        return found  # a text layer or plain text is spelled as printed
    value = str(found.value)
    table = letter_spellings(whole.text, value)
    if split_glued:
        value = unglue(value, table)
    value = respell(value, table, two_syllable_words(), protected)
    value = unglue_words(undash(rehook(value, table, two_syllable_words()), table), table)
    return Found(reacronym(value, whole.text), found.view, found.spans)


def _dashes_unwrapped(found: Found, whole: TextView) -> Found:
    """The subject without the specks OCR read as dashes at its lines' edges (`subjects`)."""
    if all(r.confidence is None for r in found.regions()):
        return found  # a text layer prints its dashes
    lines = [line_text(found.view, Span(s, e, found.view.text[s:e])) for s, e in found.spans]
    return Found(unwrap_dashes(str(found.value), lines, whole.text), found.view, found.spans)


def _gaps_filled(found: Found, body: TextView) -> Found:
    """The subject with the words OCR could not read taken from the body (`subjects.fill_gaps`)."""
    words = [w for s, e in found.spans for w in found.view.words_in(s, e)]
    unread = {w.word.text for w in words if w.word.confidence is not None and w.word.confidence < UNREAD}
    if not unread:
        return found
    return Found(fill_gaps(str(found.value), unread, body.text), found.view, found.spans)


# --- urgency ----------------------------------------------------------------------------

_URGENCY = {"khan": "KHẨN", "thuong khan": "THƯỢNG KHẨN", "hoa toc": "HỎA TỐC"}


def _urgency_of(text: str) -> str | None:
    letters = " ".join(re.sub(r"[^\w\s]|\d|_", " ", fold(text)).split())
    return _URGENCY.get(letters)


def _urgency(view: TextView, lines: list[Span]) -> Found | None:
    for line in lines[:16]:
        kept = strip_motto(line)
        if kept is None:
            continue
        value = _urgency_of(kept.text)
        if value:
            return Found(value, view, ((kept.start, kept.end),))
    return None
