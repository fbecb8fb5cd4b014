"""`tasks`: the directives a letter gives, with who acts, what, by when and with whom.

Where the content is numbered (Điều `N.` article, khoản `1.`, điểm `a)` ... `đ)`, and `-`
under a numbered item), each item that asks a body to act is one task, its text the whole
item as printed. Where it is not, each sentence (or `;` clause) that asks a body to act is.
A body is asked to act in two ways:

- a directive verb before it: `Giao Sở X chủ trì ...`, `Đề nghị Tập đoàn VNPT ...`,
  `Ủy ban nhân dân tỉnh yêu cầu các sở ...` (spaCy Matcher over underthesea words);
- the body as subject of an action: `Các sở, ban, ngành ... có trách nhiệm ...`,
  `Giám đốc Sở X phối hợp với ...` (body grammar of `bodies.py`, verbs by lexicon or POS).

Not tasks: sentences that order nothing (`Ủy ban nhân dân tỉnh nhận được ...`), introductions
(`Chủ tịch UBND tỉnh có ý kiến như sau:`), the author informing (`Văn phòng Chính phủ thông
báo để ...`), and closing formulas whose only action is to carry out (`đề nghị ... phối hợp
thực hiện`, `yêu cầu ... nghiêm túc triển khai./.`). An article on entry into force
(`Quyết định này có hiệu lực ...`) assigns nobody: a directive printed after it belongs to
an article whose heading was lost, so it gets no ordinal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .bodies import PREDICATE, BodyList, clean, head_at, parse_list
from .dates import find_date, month_end, year_of
from .evidence import regions
from .fuzzy import fold
from .listing import find_list_keyword, list_items, recipients_heading
from .model import Directive, Region
from .nlp import folded_text, trigger_positions, words
from .respelling import respelled
from .specks import despeckled
from .textview import TextView
from .views import Extraction, ZoneViews

_ARTICLE = re.compile(r"dieu\s+(\d{1,3})\s*[.:]\s*", re.I)
# `1.`, and as OCR bends it on a degraded scan: `1,` `2:` `1ˆ` (a speck for the dot).
_KHOAN = re.compile(r"(\d{1,2})\s*[.,:ˆ]\s+(?=\S)")
_KHOAN_BARE = re.compile(r"(\d{1,2})\s+(?=[A-ZĐÀ-Ỹ])")
_DIEM = re.compile(r"([a-zđ])\s*\)\s+(?=\S)")
_DASH = re.compile(r"[-–+]\s+(?=\S)")
_ROMAN = re.compile(r"([IVX]{1,4})\s*\.\s+(?=\S)")
_ITEM = re.compile(r"(?:\d{1,2}\s*\.|[a-zđ]\s*\)|[-–+])\s")
_DIEM_ORDER = "abcdđeghiklmnopqrstuvxy"

# The author speaking, not ordering (`... nhận được`, `... thông báo để`, `... có ý kiến như sau:`).
_NOT_ORDERING = re.compile(
    r"(?:(?:da|nhan\s+duoc|la|vua|duoc|thong\s+bao|thong\s+nhat|dong\s+y|ban\s+hanh|phe\s+duyet|tran\s+trong"
    r"|xin|kinh\s+(?:gui|bao|de\s+xuat)|de\s+xuat|cam\s+on|hoan\s+nghenh|ghi\s+nhan)\b"
    r"|co\s+y\s+kien(?:\s+chi\s+dao)?\s*(?:nhu\s+sau\b|:))"
)
# Carrying out with no content of its own: the closing formula of a letter.
_GENERIC_WORDS = (
    "phối hợp thực hiện triển khai nghiêm túc biết tổ chức và chủ động khẩn trương quan tâm để"
    " xem xét quyết định"
)
_GENERIC = frozenset(fold(w) for w in _GENERIC_WORDS.split())
# The subject asks someone else (`Viễn thông Gia Lai kính đề nghị UBND tỉnh ...`): that one acts.
_REQUESTS = re.compile(
    r"(?:kinh\s+|tran\s+trong\s+)?(?:trinh|de\s+nghi|giao(?!\s+(?:duc|thong|dich))|yeu\s+cau|phan\s+cong|uy\s+quyen)\b"
)
_HEADER_DATE = re.compile(
    r"(?m)^[^\n,]{2,40},\s*ng\w{1,2}y\s*\d{0,2}\s*th\w{1,2}ng\s*\d{0,2}\s*n\w{1,2}m\s*\d{0,4}[ \t|]*$"
)
# A lead-in ends with a colon, OCR specks after it allowed (`đề nghị các đơn vị: ._`).
_LEAD_IN_END = re.compile(r":[\s._'‘’\"`~·,]*$")
_AFTER_COLON = re.compile(r"[\s._'‘’\"`~·,]*")  # spaces, and specks OCR reads after a colon
_MAY_TRIGGER = re.compile(r"\b(?:giao|de\s+nghi|yeu\s+cau|uy\s+quyen|phan\s+cong|trinh)\b")
_DEADLINE = re.compile(
    r"(?:truoc|cham\s+nhat(?:\s+la)?(?:\s+truoc)?|han\s+chot|khong\s+qua|han)[\s.,]*(?:ngay\s*)?"
    r"(?:\d{1,2}\s*(?:h|gio)\s*\d{0,2}\s*(?:phut|')?\s*,?\s*(?:ngay\s*)?)?(?=\d)"
)
_IN_MONTH = re.compile(r"trong\s+(?=th\w{1,2}ng\s*\d)")


@dataclass
class Unit:
    """A numbered item: its ordinal, nesting level, where its head and text start, its end."""

    ordinal: str | None
    level: int
    head: int
    start: int
    end: int = 0
    children: list[Unit] = field(default_factory=list)
    own_end: int = 0  # where the first child starts (the item's own text ends)


@dataclass
class Found:
    """One directive clause: span, the bodies that must act, the predicate."""

    start: int
    end: int
    bodies: list[tuple[int, int]]
    predicate: int | None


def extract(views: ZoneViews, **context: Any) -> Extraction:
    out = Extraction()
    try:
        view = despeckled(views.body if views.body.text.strip() else views.whole)
        year = year_of(context.get("letter_date"))
        _put(out, view, find_tasks(view.text, year, view), views.whole.text)
    except Exception:  # extract/ never raises
        out = Extraction()
        out.put("tasks", [])
    return out


@dataclass
class TaskSpan:
    ordinal: str | None
    head: tuple[int, int] | None
    text: tuple[int, int]
    assignees: list[tuple[int, int]]
    cooperating: list[tuple[int, int]]
    deadline: tuple[str, int, int] | None


def find_tasks(text: str, year: int | None = None, view: TextView | None = None) -> list[TaskSpan]:
    start, end = content_span(text)
    units = _units(text, start, end)
    tasks: list[TaskSpan] = []
    first_head = units[0].head if units else end
    preamble = _directive_clauses(text, start, first_head)
    inherited: list[tuple[int, int]] = []
    if units and _LEAD_IN_END.search(text[max(start, first_head - 20) : first_head]):
        if preamble and preamble[-1].end >= len(text[:first_head].rstrip()) - 1:
            # `Sở Y tế đề nghị các đơn vị:` then `1. ...`, `2. ...`: the items are what they must do.
            inherited = preamble.pop().bodies
        else:
            # `Sở Thông tin và Truyền thông:` then `a) ...`, `b) ...`.
            last = _sentences(text, start, first_head)[-1:]
            inherited = _lead_bodies(text, last[0][0], first_head) if last else []
    for clause in preamble:
        tasks.append(_sentence_task(text, clause, year))
    closing = _closing_paragraph(text, units[-1], end, view) if units else None
    if closing is not None:
        _cut(units[-1], closing)
    paragraphs = frozenset(paragraph_starts(text, start, end, view))
    for unit in units:
        tasks.extend(_unit_tasks(text, unit, inherited, year, paragraphs))
    if closing is not None:
        tasks.extend(_sentence_task(text, c, year) for c in _directive_clauses(text, closing, end))
    return tasks


def _closing_paragraph(text: str, last: Unit, end: int, view: TextView | None) -> int | None:
    """The paragraph after the last numbered item in which the author asks for something
    (`Để có cơ sở triển khai, Viễn thông Gia Lai kính đề nghị ...`): not part of that item."""
    first_line_end = text.find("\n", last.start, end)
    if first_line_end < 0:
        return None
    starts = paragraph_starts(text, first_line_end, end, view)
    # An item that is a label and a value (`3. Địa điểm: Hội trường ...`) gives no directive:
    # any directive paragraph after it stands outside the numbered list. (Not so for an article,
    # whose paragraphs are its clauses: `Điều 3. Quyết định này có hiệu lực ... / Chánh Văn phòng ...`.)
    leaf = last
    while leaf.children:
        leaf = leaf.children[-1]
    first_para_end = next((p for p in starts if p > leaf.start), end)
    item_orders = bool(_directive_clauses(text, leaf.start, first_para_end))
    for p in starts:
        if p < first_para_end:
            continue
        sentence = _sentences(text, p, end)[:1]
        if not sentence:
            continue
        s, e = sentence[0]
        if not item_orders and leaf.level > 1 and _directive_clauses(text, s, e):
            return p
        trigger = _trigger(text, s, e)
        if trigger is not None and trigger.start > _skip_space(text, s, e) + 2:
            return p
    return None


def _cut(unit: Unit, at: int) -> None:
    unit.end = min(unit.end, at)
    unit.own_end = min(unit.own_end, at)
    unit.children = [c for c in unit.children if c.head < at]
    for child in unit.children:
        _cut(child, at)


def paragraph_starts(text: str, start: int, end: int, view: TextView | None = None) -> list[int]:
    """Line starts that open a paragraph: after a blank line, or after a line that ends a sentence
    and, when the layout is known, did not run to the right margin (a wrapped line that happens to
    end with a period)."""
    full = _full_lines(view) if view is not None else set()
    out = []
    line_start = text.rfind("\n", 0, start) + 1  # the line `start` falls in or ends
    prev_text = text[line_start:start].strip(" \t|")
    prev_start, blank = (line_start if prev_text else -1), False
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        line = text[pos:line_end]
        stripped = line.strip(" \t|")
        if not stripped:
            blank = True
        else:
            at = pos + len(line) - len(line.lstrip(" \t|"))
            ends = prev_text.endswith((".", ":", ";", "!", "?")) and prev_start not in full
            if prev_start >= 0 and stripped[:1].isupper() and (blank or ends):
                out.append(at)
            prev_text, prev_start, blank = stripped, pos, False
        if nl < 0:
            break
        pos = nl + 1
    return out


_FULL: dict[int, tuple[TextView, set[int]]] = {}


def _full_lines(view: TextView) -> set[int]:
    cached = _FULL.get(id(view))
    if cached is not None and cached[0] is view:
        return cached[1]
    if len(_FULL) > 16:
        _FULL.clear()
    found = _margin_lines(view)
    _FULL[id(view)] = (view, found)
    return found


def _margin_lines(view: TextView) -> set[int]:
    """Starts of lines that reach the right margin of the text column (wrapped lines)."""
    rights: dict[int, float] = {}
    starts = view.line_starts
    line = 0
    for pw in view.words:  # words are in text order: one pass, lines advance with them
        while line + 1 < len(starts) and starts[line + 1] <= pw.start:
            line += 1
        rights[starts[line]] = max(rights.get(starts[line], 0.0), pw.word.bbox[2])
    if len(rights) < 3:
        return set()
    margin = max(rights.values())
    band = {s for s, r in rights.items() if r >= margin * 0.93}
    return band if len(band) >= 3 else set()


# --- where the content is -----------------------------------------------------------------------


def content_span(text: str) -> tuple[int, int]:
    """From after the `Kính gửi` list or the enacting `QUYẾT ĐỊNH:` line (or the header's date
    line) to the `./.` end mark or `Nơi nhận`."""
    folded = folded_text(text)
    start = 0
    kw = recipients_heading(text)
    if kw is not None:
        _, start = list_items(text, kw.end)
    enact = None
    for m in re.finditer(
        r"(?m)^[ \t|]*(?:quyet\s+dinh|quyet\s+nghi|chi\s+thi|ket\s+luan)\s*:?[ \t|]*$", folded
    ):
        if text[m.start() : m.end()].strip(" \t|:").isupper():
            enact = m.end()
    if enact is not None:
        start = max(start, enact)
    if start == 0:
        # The header's `<Place>, ngày ... tháng ... năm ...` line, alone on its line.
        date = _HEADER_DATE.search(folded_text(text), 0, min(len(text), 3000))
        if date is not None:
            start = date.end()
    end = len(text)
    mark = text.find("./.", start)
    if mark >= 0:
        end = mark + 3
    nn = find_list_keyword(text, "Nơi nhận", start, end)
    if nn is not None:
        end = nn.start
    return start, end


# --- numbered items ---------------------------------------------------------------------------------


def _units(text: str, start: int, end: int) -> list[Unit]:
    """Numbered items at line starts, nested by level, numbering checked for sequence."""
    folded = folded_text(text)
    flat: list[Unit] = []
    last_no: dict[int, int] = {}
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        lead = len(text[pos:line_end]) - len(text[pos:line_end].lstrip(" \t|"))
        # Specks OCR reads before an item's number (`__2.`, `._1,`, `'a)`).
        junk = re.match(r"[_.'‘’\"`~·•]{1,3}(?=\d{1,2}\s*[.,:]\s|[a-zđ]\)\s)", text[pos + lead : line_end])
        if junk:
            lead += junk.end()
        at = pos + lead
        unit = _head_at(text, folded, at, line_end, flat, last_no)
        if unit is not None:
            flat.append(unit)
        pos = line_end + 1
    for i, u in enumerate(flat):
        u.end = end
        for v in flat[i + 1 :]:
            if v.level <= u.level:
                u.end = v.head
                break
        nxt = flat[i + 1] if i + 1 < len(flat) else None
        u.own_end = nxt.head if nxt is not None and nxt.level > u.level else u.end
    roots: list[Unit] = []
    stack: list[Unit] = []
    for u in flat:
        while stack and stack[-1].level >= u.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(u)
        stack.append(u)
    return roots


def _head_at(
    text: str, folded: str, at: int, line_end: int, flat: list[Unit], last_no: dict[int, int]
) -> Unit | None:
    m = _ARTICLE.match(folded, at, line_end + 1)
    if m and text[at] in "ĐD":
        n = int(m.group(1))
        last_no[1] = n
        _reset(last_no, 1)
        return Unit(f"Điều {n}", 1, at, m.end())
    m = _ROMAN.match(text, at, line_end)
    if m:
        _reset(last_no, 0)
        return Unit(m.group(1), 0, at, m.end())
    m = _KHOAN.match(text, at, line_end) or _bare_khoan(text, at, line_end, last_no)
    if m:
        n = int(m.group(1))
        # In sequence; the first may be 2 or 3 when OCR lost `1.` (`1ˆ Nội dung`).
        if last_no.get(2) == n - 1 or (2 not in last_no and n <= 3):
            last_no[2] = n
            _reset(last_no, 2)
            return Unit(str(n), 2, at, m.end())
        return None
    m = _DIEM.match(text, at, line_end)
    if m:
        k = _DIEM_ORDER.find(m.group(1))
        if k == 0 or (k > 0 and last_no.get(3) == k - 1):
            last_no[3] = k
            return Unit(m.group(1), 3, at, m.end())
        return None
    m = _DASH.match(text, at, line_end)
    # A bullet follows a line that ended a clause (`;`, `.`, `:`); after a line cut mid-sentence
    # the dash is a mark OCR read in the margin.
    if m and flat and re.search(r"[.;:!?)]\s*$", text[max(0, at - 200) : at].rstrip(" \t|\n")[-3:] or "."):
        parent = flat[-1] if flat[-1].level < 4 else next((u for u in reversed(flat) if u.level < 4), None)
        if parent is not None:
            return Unit(parent.ordinal, 4, at, m.end())
    return None


def _bare_khoan(text: str, at: int, line_end: int, last_no: dict[int, int]) -> re.Match[str] | None:
    """`1 Phòng Giáo dục ...:` with the dot OCR lost: only the next number in sequence, before a
    capital, on a line after a clause's end (a wrapped `trong vòng\n15 ngày` is none of these)."""
    m = _KHOAN_BARE.match(text, at, line_end)
    if m is None or int(m.group(1)) != last_no.get(2, 0) + 1:
        return None
    return m if re.search(r"[.:;]\W*$", text[max(0, at - 12) : at]) else None


def _reset(last_no: dict[int, int], level: int) -> None:
    for deeper in [k for k in last_no if k > level]:
        del last_no[deeper]


def _unit_tasks(
    text: str,
    unit: Unit,
    inherited: list[tuple[int, int]],
    year: int | None,
    paragraphs: frozenset[int] = frozenset(),
) -> list[TaskSpan]:
    own_start, own_end = unit.start, unit.own_end
    if unit.level == 0:
        # A section (`III. TỔ CHỨC THỰC HIỆN`) is a heading, not an item: its paragraphs are
        # sentences without an ordinal, its numbered items tasks of their own.
        heading_end = text.find("\n", own_start, own_end)
        if heading_end > 0 and text[own_start:heading_end].upper() == text[own_start:heading_end]:
            own_start = heading_end + 1
        tasks = [_sentence_task(text, c, year) for c in _directive_clauses(text, own_start, own_end)]
        for child in unit.children:
            tasks.extend(_unit_tasks(text, child, inherited, year, paragraphs))
        return tasks
    clauses = _directive_clauses(text, own_start, own_end)
    if (
        unit.level == 1
        and clauses
        and _skip_space(text, clauses[0].start, own_end) in paragraphs
        and _force_clause(text, own_start, own_end)
    ):
        # `Điều 2. Quyết định này có hiệu lực ...` then a directive in a paragraph of its own: the
        # article on entry into force assigns nobody, so that paragraph is an article whose heading
        # is not printed (ordinal null, the labels' convention). On the same line it is one article.
        return [_sentence_task(text, c, year) for c in clauses] + [
            t for c in unit.children for t in _unit_tasks(text, c, [], year)
        ]
    bodies = _union(c.bodies for c in clauses)
    lead = _lead_bodies(text, own_start, own_end)
    child_tasks: list[TaskSpan] = []
    for child in unit.children:
        child_tasks.extend(_unit_tasks(text, child, bodies or lead or inherited, year))
    if unit.children and child_tasks:
        if bodies and not _LEAD_IN_END.search(text[max(own_start, own_end - 20) : own_end]):
            return [_task(text, unit, own_start, own_end, bodies, year), *child_tasks]
        return child_tasks
    if bodies:
        return [_task(text, unit, own_start, unit.end, bodies, year)]
    if lead and not unit.children:
        return [_task(text, unit, own_start, unit.end, lead, year)]
    if inherited and unit.level >= 2 and text[own_start : unit.end].strip():
        return [_task(text, unit, own_start, unit.end, inherited, year)]
    return []


def _force_clause(text: str, start: int, end: int) -> bool:
    first = _sentences(text, start, end)[:1]
    return bool(first) and re.search(r"hieu\s*luc", fold(text[first[0][0] : first[0][1]])) is not None


def _lead_bodies(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`1. Sở Tài chính:` / `- Ủy ban nhân dân các huyện: ...`: the item names who acts, then a colon."""
    at = _skip_space(text, start, end)
    if head_at(text, at) is None:
        return []
    found = parse_list(text, at, end)
    after = text[found.end : found.end + 3].lstrip()
    if not found.bodies or not after.startswith(":"):
        return []
    colon = text.index(":", found.end) + 1
    specks = _AFTER_COLON.match(text, colon)  # `thị xã: .`
    rest = min(end, specks.end() if specks else colon)
    # `Sở X:` then its tasks (children, or an action after the colon); not `Lãnh đạo các phòng: A, B`.
    acts = PREDICATE.match(folded_text(text), rest) and not _NOT_ORDERING.match(folded_text(text), rest)
    return found.bodies if rest >= end or acts or _ITEM.match(text, rest) else []


def _task(
    text: str, unit: Unit, start: int, end: int, bodies: list[tuple[int, int]], year: int | None
) -> TaskSpan:
    start, end = _trim(text, start, end)
    return TaskSpan(
        ordinal=unit.ordinal,
        head=(unit.head, unit.start),
        text=(start, end),
        assignees=bodies,
        cooperating=_cooperating(text, start, end),
        deadline=_deadline(text, start, end, year),
    )


def _sentence_task(text: str, clause: Found, year: int | None) -> TaskSpan:
    start, end = _trim(text, clause.start, clause.end)
    return TaskSpan(
        ordinal=None,
        head=None,
        text=(start, end),
        assignees=clause.bodies,
        cooperating=_cooperating(text, start, end),
        deadline=_deadline(text, start, end, year),
    )


# --- directive clauses -------------------------------------------------------------------------------


def _directive_clauses(text: str, start: int, end: int) -> list[Found]:
    out: list[Found] = []
    for s, e in _sentences(text, start, end):
        pos = s
        while pos < e:
            found = _directive(text, pos, e)
            if found is None:
                break
            cut = _next_clause(text, found, e)
            found.start, found.end = pos, cut
            if found.bodies and not _generic(text, found):
                out.append(found)
            if cut >= e:
                break
            pos = cut + 1
    return out


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences: cut after `.`/`:` + line end or `.` + capital, not after `TP.`, `Q.`, `Đ/c.`."""
    out = []
    s = start
    for m in re.finditer(r"(?:\./\.|[.:!?])(?=\s+[A-ZĐÀ-Ỹ\d(\"“-]|\s*$)", text[start:end]):
        at = start + m.end()
        word = re.search(r"(\S+)$", text[max(s, start + m.start() - 24) : start + m.start()])
        if (
            m.group() == "."
            and word
            and re.fullmatch(r"[A-ZĐ]{1,3}|[A-Za-zĐđ]/[A-Za-zđ]|\d{1,2}", word.group(1))
        ):
            continue  # an abbreviation or a list number, not the end of a sentence
        if m.group() == ":" and not re.match(r"\s*\n", text[at : at + 3]):
            continue  # `các Bộ: Công an, ...` inside a sentence
        if m.group() == "." and text[start + m.start() - 1 : start + m.start()] in (":", ",", ";"):
            continue  # `các Bộ:. Công an`: a speck after the punctuation, not a sentence end
        if text[s:at].strip():
            out.append((s, at))
        s = at
    if text[s:end].strip():
        out.append((s, end))
    return out


def _directive(text: str, start: int, end: int) -> Found | None:
    """The first directive in text[start:end]: a trigger verb + bodies, or bodies + action."""
    start = _skip_space(text, start, end)
    if start >= end:
        return None
    trigger = _trigger(text, start, end)
    subject = _subject(text, start, end)
    ordering_subject = (
        subject is not None
        and subject.predicate is not None
        and (trigger is None or subject.predicate < trigger.start)
        and not _not_ordering(text, subject.predicate)
        and not _REQUESTS.match(folded_text(text)[subject.predicate : subject.predicate + 20])
    )
    if ordering_subject and subject is not None:
        return Found(start, end, subject.bodies, subject.predicate)
    if trigger is not None:
        return trigger
    return None


def _trigger(text: str, start: int, end: int) -> Found | None:
    """The first `Giao` / `Đề nghị` / `Yêu cầu` ... followed by bodies in text[start:end].

    A regex finds where such a verb may be; underthesea segments a short window around it
    (`giao` in `giao thông` or `đề nghị` in `đề nghị của` are other words) and the spaCy
    Matcher confirms the verb and that a word follows."""
    folded = folded_text(text)
    for m in _MAY_TRIGGER.finditer(folded, start, end):
        window_start = max(start, folded.rfind(" ", start, max(start, m.start() - 1)) + 1)
        tokens = words(text, window_start, min(end, m.end() + 40))
        for i in trigger_positions(tokens):
            tok = tokens[i]
            if not (m.start() <= tok.start < m.end()):
                continue
            found = _after_trigger(text, folded, tokens, i, end)
            if found is not None:
                return found
    return None


def _after_trigger(text: str, folded: str, tokens: list[Any], i: int, end: int) -> Found | None:
    tok = tokens[i]
    before = folded[max(0, tok.start - 12) : tok.start]
    if re.search(r"(?:theo|xet|duoc|da|nhan\s+duoc|cac|nhung)\s*$", before):
        return None  # `Theo đề nghị`, `được giao`, `các đề nghị`: nouns and passives
    j = i + 1
    while j < len(tokens) and tokens[j].folded in ("cho", "dong chi", "d/c"):
        j += 1
    if j >= len(tokens):
        return None
    at = tokens[j].start
    if head_at(text, at) is None:
        return None
    found = parse_list(text, at, end)
    return Found(tok.start, end, found.bodies, found.predicate) if found.bodies else None


def _subject(text: str, start: int, end: int) -> BodyList | None:
    """Bodies as the subject of the clause: at its start, or after a leading phrase and a comma
    (`Kết thúc thời gian thử nghiệm, các sở, ban, ngành ... chủ động phối hợp ...`)."""
    if head_at(text, start) is not None:
        found = parse_list(text, start, end)
        return _past_broken_heads(text, found, end) if found.bodies else None
    if PREDICATE.match(folded_text(text)[start : start + 30]):
        return None  # the clause opens with an action (`Chủ trì, phối hợp với X, Y ...`): no subject
    m = re.search(r",\s+", text[start : min(end, start + 160)])
    if m is None:
        return None
    at = start + m.end()
    if head_at(text, at) is None:
        return None
    found = parse_list(text, at, end)
    return found if found.bodies and found.predicate is not None else None


_RESPONSIBLE = re.compile(r"(?:chiu|co)\s+trach\s+nhiem")


def _past_broken_heads(text: str, found: BodyList, end: int) -> BodyList:
    """`...; Chủ tịichUBND các huyện; Giám đốc ... chịu trách nhiệm`: OCR broke a head inside the
    list, which stopped at its `;`. When `chịu/có trách nhiệm` closes the clause further on, the
    `;` pieces up to it are bodies all the same."""
    if found.predicate is not None or not text[found.end : found.end + 3].lstrip().startswith(";"):
        return found
    m = _RESPONSIBLE.search(folded_text(text), found.end, min(end, found.end + 400))
    if m is None:
        return found
    bodies = list(found.bodies)
    for piece in re.finditer(r"[^;]+", text[found.end : m.start()]):
        s = _skip_space(text, found.end + piece.start(), m.start())
        e = found.end + piece.end()
        if head_at(text, s) is not None:
            sub = parse_list(text, s, m.end())
            if sub.bodies and sub.predicate in (None, m.start()):
                bodies.extend(sub.bodies)
                continue
        while e > s and text[e - 1] in " \t\n,":
            e -= 1
        if e > s:
            bodies.append((s, e))
    return BodyList(bodies, end=m.start(), predicate=m.start(), strong=True)


def _not_ordering(text: str, predicate: int) -> bool:
    return _NOT_ORDERING.match(folded_text(text)[predicate : predicate + 60]) is not None


def _next_clause(text: str, found: Found, end: int) -> int:
    """Where the next `;` clause starts a directive of its own (`...; Thủ trưởng các cơ quan chỉ đạo`)."""
    pos = (
        found.predicate
        if found.predicate is not None
        else (found.bodies[-1][1] if found.bodies else found.start)
    )
    while True:
        semi = text.find(";", pos, end)
        if semi < 0:
            return end
        if _opens_directive(text, _skip_space(text, semi + 1, end), end):
            return semi
        pos = semi + 1


def _opens_directive(text: str, at: int, end: int) -> bool:
    """Does a directive start right at `at`: `yêu cầu các sở ...` or `Thủ trưởng các cơ quan chỉ đạo ...`?
    (Checked without the segmenter: it runs for every `;`.)"""
    m = _REQUESTS.match(folded_text(text), at, end)
    if m is not None:
        body = _skip_space(text, m.end(), end)
        return head_at(text, body) is not None and bool(parse_list(text, body, end).bodies)
    if head_at(text, at) is None:
        return False
    found = parse_list(text, at, end)
    return (
        bool(found.bodies)
        and found.predicate is not None
        and not _not_ordering(text, found.predicate)
        and not _REQUESTS.match(folded_text(text), found.predicate)
    )


def _generic(text: str, found: Found) -> bool:
    """`... phối hợp thực hiện`, `... nghiêm túc triển khai./.`: a closing formula, no task."""
    if found.predicate is None:
        return False
    rest = folded_text(text)[found.predicate : found.end]
    tokens = re.findall(r"\w+", rest)
    return 0 < len(tokens) <= 6 and all(t in _GENERIC for t in tokens)


# --- details ---------------------------------------------------------------------------------------------


def _cooperating(text: str, start: int, end: int) -> list[tuple[int, int]]:
    folded = folded_text(text)
    m = re.search(r"phoi\s+hop(?:\s+chat\s+che)?(?:\s+voi)?\s+", folded[start:end])
    if m is None:
        return []
    at = start + m.end()
    if head_at(text, at) is None:
        return []
    return parse_list(text, at, end).bodies


def _deadline(text: str, start: int, end: int, year: int | None) -> tuple[str, int, int] | None:
    folded = folded_text(text)
    for m in _DEADLINE.finditer(folded, start, end):
        found = find_date(text[:end], m.start(), default_year=year)
        if found is not None and found.iso and found.start <= m.end() + 2 and len(found.iso) == 10:
            return found.iso, m.start(), found.end
    month = _IN_MONTH.search(folded, start, end)
    if month is not None:
        found = month_end(text[:end], month.end())
        if found is not None and found.iso and found.start <= month.end() + 2:
            return found.iso, month.start(), found.end
    return None


def _union(groups: Any) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for group in groups:
        out.extend(group)
    return out


def _skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start] in " \t\n|":
        start += 1
    return start


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    start = _skip_space(text, start, end)
    while end > start and text[end - 1] in " \t\n|;":
        end -= 1
    if text[start:end].endswith("./."):
        end -= 3
    return start, end


def _put(out: Extraction, view: TextView, spans: list[TaskSpan], whole: str | None = None) -> None:
    tasks: list[Directive] = []
    text = view.text
    for i, t in enumerate(spans):
        names = _dedupe(
            [respelled(clean(text[s:e]), regions(view, s, e), whole or text) for s, e in t.assignees]
        )
        coop = _dedupe(
            [respelled(clean(text[s:e]), regions(view, s, e), whole or text) for s, e in t.cooperating]
        )
        tasks.append(
            Directive(
                ordinal=t.ordinal,
                assignees=names,
                text=" ".join(text[t.text[0] : t.text[1]].split()),
                deadline=t.deadline[0] if t.deadline else None,
                cooperating=coop,
            )
        )
        _ev(out, f"/tasks/{i}/text", regions(view, *t.text))
        if t.head is not None:
            _ev(out, f"/tasks/{i}/ordinal", regions(view, *t.head))
        for j, (s, e) in enumerate(t.assignees[: len(names)]):
            _ev(out, f"/tasks/{i}/assignees/{j}", regions(view, s, e))
        for j, (s, e) in enumerate(t.cooperating[: len(coop)]):
            _ev(out, f"/tasks/{i}/cooperating/{j}", regions(view, s, e))
        if t.deadline:
            _ev(out, f"/tasks/{i}/deadline", regions(view, t.deadline[1], t.deadline[2]))
    out.put("tasks", tasks)


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for n in names:
        if n and n not in seen:
            seen.add(n)
            out.append(n)
    return out


def _ev(out: Extraction, key: str, regions: list[Region]) -> None:
    if regions:
        out.evidence[key] = regions
