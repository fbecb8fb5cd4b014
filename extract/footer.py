"""`distribution` (the `Nơi nhận:` list) and `signer` (authority chain, post, name).

The two footer columns sit side by side: `Nơi nhận:` on the left, the signer block on the
right. When the zone split or the OCR ran them together (`- Như trên; KT. CHỦ TỊCH`), each
line is cut at the first signer mark (`TM.`, `KT.`, `TL.`, `TUQ.`, `Q.`, a post in capitals,
the signer's name) and the right part goes to the signer block. `(Đã ký)` and seal text are
dropped. The `Lưu: VT, <unit>` line is kept without the drafter's initials, and its unit
cross-checks the last group of the letter's symbol (a free OCR repair the decree gives).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from .abbrevs import lookalikes, one_d
from .evidence import regions
from .fuzzy import fold
from .listing import find_list_keyword
from .model import Region, Signer
from .respelling import respelled
from .textview import TextView
from .views import Extraction, ZoneViews

_PREFIX = re.compile(
    r"(?<![\w.])(?:(TM|KT|TL|TUQ|Q|T\.M|K\.T|T\.L|IL|TI|TIM|IM)[ \t]*[.,][ \t]*(?=\S|$)"
    r"|(TM|KT|TL|TUQ)[ \t]+(?=[A-ZĐÀ-Ỹ]{2,}))"
)  # `KT. CHỦ TỊCH`, or `KT CHỦ TỊCH` when OCR lost the dot
_POST_WORDS = (
    r"CH[UỦ]\s+T[IỊ]CH|GI[AÁ]M\s+[ĐD][OỐ]C|B[OỘ]\s+TR[UƯ][OỞ]NG|CH[AÁ]NH\s+V[AĂ]N\s+PH[OÒ]NG|CH[UỦ]\s+NHI[EỆ]M"
    r"|TH[UỦ]\s+TR[UƯ][OỞ]NG|TH[UỦ]\s+T[UƯ][OỚ]NG|B[IÍ]\s+TH[UƯ]|[ỦU]Y\s+BAN\s+NH[AÂ]N\s+D[AÂ]N|TR[UƯ][OỞ]NG\s+\w+"
    r"|C[UỤ]C\s+TR[UƯ][OỞ]NG|V[UỤ]\s+TR[UƯ][OỞ]NG|VI[EỆ]N\s+TR[UƯ][OỞ]NG|HI[EỆ]U\s+TR[UƯ][OỞ]NG"
)
# A post printed in capitals: the signer's column, never a distribution item (those are mixed case).
_POST_CAPS = re.compile(rf"(?<![\w])(?:PH[OÓ]\s+)?(?:T[OỔ]NG\s+)?(?:{_POST_WORDS})(?![a-zà-ỹđ])")
_SIGNED = re.compile(
    r"\(?\s*(?:[đĐ]ã\s+k[ýy]|k[ýy]\s+b[ởo]i|k[ýy]\s+t[êe]n[^)]*|[đĐ]óng\s+d[ấa]u)\s*\)?[:.]?", re.I
)
# Canonical spellings the fuzzy repair snaps to (rapidfuzz, folded).
_KNOWN_POSTS = (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC",
    "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "CHỦ NHIỆM", "PHÓ CHỦ NHIỆM",
    "ỦY BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN TỈNH", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "VỤ TRƯỞNG", "PHÓ VỤ TRƯỞNG",
    "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "THỦ TRƯỞNG", "BÍ THƯ", "PHÓ BÍ THƯ",
    "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "HIỆU TRƯỞNG", "VIỆN TRƯỞNG",
)  # fmt: skip
_KNOWN_FOLDED = tuple((post, fold(post)) for post in _KNOWN_POSTS)
_PERSONAL_POSTS = tuple(post for post in _KNOWN_POSTS if "BAN NHÂN DÂN" not in post)
_SURNAME_LIST = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
    "Ngô", "Dương", "Lý", "Đồng", "Trương", "Đinh", "Lâm", "Mai", "Tô", "Hà", "Đào", "Cao", "Lương",
    "Trịnh", "Đoàn", "Tạ", "Lưu", "Quách", "Thái", "Châu", "Kiều", "Triệu", "Tăng", "Lại", "Hứa",
    "Khổng", "Nông", "Chu", "Lục", "Kim", "Giang", "Doãn", "Âu", "Mạc", "Tôn", "Thân", "Khúc", "Vương",
)  # fmt: skip
_SURNAME_BY_FOLD = {fold(n): n for n in _SURNAME_LIST if sum(fold(m) == fold(n) for m in _SURNAME_LIST) == 1}
_SURNAMES = frozenset(fold(s) for s in (*_SURNAME_LIST, "Văn"))


@dataclass(frozen=True)
class Segment:
    """A piece of one line of a view: text[start:end] of `view`."""

    view: TextView = field(repr=False)
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.view.text[self.start : self.end]

    @property
    def key(self) -> tuple[int, float]:
        words = self.view.words_in(self.start, self.end)
        return (words[0].page, words[0].word.bbox[1]) if words else (0, 0.0)

    def regions(self, start: int | None = None, end: int | None = None) -> list[Region]:
        return regions(self.view, self.start if start is None else start, self.end if end is None else end)


def extract(views: ZoneViews, **context: Any) -> Extraction:
    out = Extraction()
    try:
        _extract(views, out, context.get("symbol"), context.get("number"))
    except Exception:  # extract/ never raises
        out = Extraction()
        out.put("distribution", [])
        out.put("signer", None)
    return out


def _extract(views: ZoneViews, out: Extraction, symbol: str | None, number: str | None) -> None:
    left, right = _footer_lines(views)
    dist_lines: list[Segment] = []
    signer_lines: list[Segment] = list(right)
    for seg in left:
        a, b = _split_signer(seg)
        if a is not None:
            dist_lines += _split_items(a)
        if b is not None:
            signer_lines.append(b)
    _, used = _distribution(dist_lines, None)
    signer_lines += dist_lines[used:]
    if right and len(signer_lines) > len(right):
        signer_lines.sort(key=lambda s: s.key)  # two columns: put the moved parts back by height
    elif not right:
        signer_lines.sort(key=lambda s: s.start)  # one text: document order
    signer, signer_ev = _signer(signer_lines)
    name = signer.name if signer else None
    items, _ = _distribution(dist_lines[:used], name)
    out.put("distribution", [_repaired(t, regs, views.whole.text) for t, regs in items])
    for i, (_, regs) in enumerate(items):
        if regs:
            out.evidence[f"/distribution/{i}"] = regs
    out.put("signer", signer)
    out.evidence.update(signer_ev)
    repaired = repair_symbol(symbol, [t for t, _ in items])
    if repaired and repaired != symbol and symbol:
        out.put("symbol", repaired)
        if number and number.endswith(symbol):
            out.put("number", number[: -len(symbol)] + repaired)


def _repaired(item: str, regs: list[Region], letter: str) -> str:
    """An OCR'd item with its marks and abbreviations checked against the rest of the letter."""
    if regs and any(r.confidence is not None for r in regs):
        item = lookalikes(item, letter)
    return respelled(item, regs, letter)


# --- where the footer is -------------------------------------------------------------------


def _lines(view: TextView, start: int = 0, end: int | None = None) -> list[Segment]:
    stop = len(view.text) if end is None else end
    out = []
    pos = start
    while pos <= stop:
        nl = view.text.find("\n", pos, stop)
        line_end = stop if nl < 0 else nl
        seg = _strip(Segment(view, pos, line_end))
        if seg is not None:
            out.append(seg)
        if nl < 0:
            break
        pos = nl + 1
    return out


def _strip(seg: Segment) -> Segment | None:
    text = seg.view.text
    s, e = seg.start, seg.end
    while s < e and text[s] in " \t|":
        s += 1
    while e > s and text[e - 1] in " \t|":
        e -= 1
    return Segment(seg.view, s, e) if e > s else None


def _footer_lines(views: ZoneViews) -> tuple[list[Segment], list[Segment]]:
    """Lines of the distribution column and of the signer column.

    With zones: footer-left and footer-right. Without (plain text, or a zone split that
    left the footers empty): everything from `Nơi nhận` (or the `./.` end mark) to the end,
    all of it as 'left' lines that the signer marks then cut."""
    left_view, right_view = views.footer_left, views.footer_right
    if left_view.text.strip() or right_view.text.strip():
        left = _from_keyword(left_view) if left_view.text.strip() else []
        right = _lines(right_view)
        if left or right:
            if not left:
                left = _whole_distribution(views)
            return left, right
    tail, has_list = _whole_tail(views.whole)
    return (tail, []) if has_list else ([], tail)


def _from_keyword(view: TextView) -> list[Segment]:
    kw = find_list_keyword(view.text, "Nơi nhận")
    start = kw.end if kw else 0
    return _after_colon(_lines(view, start))


def _after_colon(lines: list[Segment]) -> list[Segment]:
    if lines and lines[0].text.lstrip().startswith(":"):
        first = lines[0]
        s = first.start + first.text.index(":") + 1
        stripped = _strip(Segment(first.view, s, first.end))
        lines = ([stripped] if stripped else []) + lines[1:]
    return lines


def _whole_distribution(views: ZoneViews) -> list[Segment]:
    kw = find_list_keyword(views.whole.text, "Nơi nhận")
    if kw is None:
        return []
    return [s for s in _after_colon(_lines(views.whole, kw.end)) if _split_signer(s)[0] is not None]


def _whole_tail(view: TextView) -> tuple[list[Segment], bool]:
    """Lines from `Nơi nhận` to the end (True), or, for a letter without the list, the lines
    after the `./.` end mark or from the first authority prefix of the last half (False)."""
    text = view.text
    kw = _last_keyword(text, "Nơi nhận")
    if kw is not None:
        return _after_colon(_lines(view, kw)), True
    end_mark = text.rfind("./.")
    if end_mark >= 0:
        return _lines(view, end_mark + 3), False
    first = next(iter(_PREFIX.finditer(text, len(text) // 2)), None)
    if first is not None:
        return _lines(view, text.rfind("\n", 0, first.start()) + 1), False
    return [], False


def _last_keyword(text: str, keyword: str) -> int | None:
    """End of the last line-start heading `keyword` (a letter may quote `Nơi nhận` earlier)."""
    found, pos = None, 0
    while True:
        kw = find_list_keyword(text, keyword, start=pos)
        if kw is None:
            return found
        found = kw.end
        pos = text.find("\n", kw.end)
        if pos < 0:
            return found


# --- cutting a line into its distribution and signer parts ---------------------------------


def _split_signer(seg: Segment) -> tuple[Segment | None, Segment | None]:
    text = seg.text
    cut = None
    for pat in (_PREFIX, _POST_CAPS):
        m = pat.search(text)
        if m and (pat is not _PREFIX or _prefix_ok(text, m)):
            cut = m.start() if cut is None else min(cut, m.start())
    if cut is None:
        return seg, None
    left = _strip(Segment(seg.view, seg.start, seg.start + cut))
    right = _strip(Segment(seg.view, seg.start + cut, seg.end))
    return left, right


_NEXT_ITEM = re.compile(r";[ \t]*(?:[-–—~:][ \t]*)*(?:[-–—~][ \t]*(?=[^\W\d_])|$)")


def _split_items(seg: Segment) -> list[Segment]:
    """`- Như trên; - VTS (để b/c);`: two list lines OCR read as one, cut after the `;` where a
    dash starts the next item (a `;` inside an item is followed by words, never by a dash); the
    next line's dash or a speck read at the end of a line (`- Như trên; -`) is dropped."""
    out = []
    start = seg.start
    for m in _NEXT_ITEM.finditer(seg.text):
        piece = _strip(Segment(seg.view, start, seg.start + m.start() + 1))
        if piece is not None:
            out.append(piece)
        start = seg.start + m.start() + 1
    last = _strip(Segment(seg.view, start, seg.end))
    return out + ([last] if last is not None and any(c.isalnum() for c in last.text) else [])


def _prefix_ok(text: str, m: re.Match[str]) -> bool:
    # `KT. CHỦ TỊCH`: the prefix is followed by a word in capitals; `Q. Hoàn Kiếm` is an address.
    after = text[m.end() : m.end() + 6]
    if not after.strip():
        return True  # `TM.` alone on its line, the body's name on the next
    word = re.match(r"[^\s,;]+", after)
    return bool(word) and word.group(0).isupper()  # type: ignore[union-attr]


# --- distribution ------------------------------------------------------------------------------


def _distribution(
    lines: list[Segment], signer_name: str | None
) -> tuple[list[tuple[str, list[Region]]], int]:
    """Items of the list, and the index of the first line after it (the signer's column)."""
    items: list[list[Segment]] = []
    used = len(lines)
    for n, seg in enumerate(lines):
        text = seg.text
        if (
            signer_name
            and signer_name in text
            and re.search(r"(?:^|[;.])\s*$", text[: text.index(signer_name)])
        ):
            cut = text.index(signer_name)  # the name run onto a list line, after its `;` or `.`
            trimmed = _strip(Segment(seg.view, seg.start, seg.start + cut))
            if trimmed is None:
                continue
            seg, text = trimmed, trimmed.text
        if _SIGNED.fullmatch(text.strip()):
            continue
        dash = re.match(r"\s*[-–—+•·*]\s*", text)
        prev = " ".join(s.text for s in items[-1]).rstrip() if items else ""
        if items and _is_luu(prev) and (prev.endswith((".", ";")) or not dash):
            if not dash and not prev.endswith((".", ";")) and len(text.split()) <= 3 and "," in prev[-3:]:
                items[-1].append(seg)  # a wrapped `Lưu: VT, ...` line
                continue
            used = n
            break  # nothing follows the `Lưu` line but the signer's column
        if dash or not items or prev.endswith(";"):
            items.append([seg])
        elif prev.endswith(".") or len(text.split()) > 14:
            used = n
            break
        else:
            items[-1].append(seg)
    out = []
    for k, parts in enumerate(items):
        text = _clean_item(" ".join(p.text for p in parts))
        last = k == len(items) - 1
        raw_end = parts[-1].text.rstrip()
        if last and not _is_luu(text) and not raw_end.endswith((";", ".", ")")):
            continue  # a list cut off mid-item (page or text truncated): the fragment is no value
        if not text:
            continue
        boxes = [r for p in parts for r in p.regions()]
        out.append((text, boxes))
    return out, used


def _clean_item(text: str) -> str:
    specks = r"^(?:\s*[-–—+•·*~_'`\".:])+\s*"  # the dash and specks before the item
    text = re.sub(specks, "", " ".join(text.split()))
    text = one_d(text.rstrip(" ;,.:").strip())  # a colon at the end is a speck: items end in `;`
    if text.endswith("./"):
        text = text[:-2].rstrip(" ;,.")
    if _is_luu(text):
        return clean_luu(text)
    if not any(c.isalpha() for c in text):
        return ""  # a page number or a speck on a line of its own
    text = _unmatched_close(text)
    text = _PURPOSE.sub(_purpose, text)
    text = re.sub(r"^Đ[íìil|]c(?= )", "Đ/c", text)  # `Đ/c` (đồng chí) with its slash read as a letter
    bare = re.sub(r"[\s\"'.,;:\-–]+", "", fold(text))
    if bare and fuzz.ratio(bare, "nhutren") >= 80:
        return "Như trên"
    return text


def _unmatched_close(text: str) -> str:
    """`Cũng an tình)`, `Văn phòng UBND) tỉnh`: a `)` no `(` opened is a speck (a seal's edge)."""
    out, depth = [], 0
    for ch in text:
        if ch == ")" and depth == 0:
            continue
        depth += (ch == "(") - (ch == ")")
        out.append(ch)
    return " ".join("".join(out).split())


_LUU = re.compile(r"\s*[-–]?\s*l[uưù]u\s*(?::|[;.]?\s*(?:vt|v[ăa]n\s+th[uư]))", re.I)


# Purpose tags (`(để b/c)` report, `(để biết)`, `(để t/h)` carry out, `(để p/h)` cooperate): OCR
# reads `(b/C)`, `(b/€)` or drops the last letter `(b/)`; the tag has one spelling per first letter.
_PURPOSE = re.compile(r"\(([đd][eểềếệễ]\s+)?([bBtTpP])\s*/\s*([^\s()]?)\)")  # `(đế b/€)` too
_TAGS = {"b": "b/c", "t": "t/h", "p": "p/h"}


def _purpose(m: re.Match[str]) -> str:
    lead = "để " if m.group(1) else ""
    return f"({lead}{_TAGS[m.group(2).lower()]})"


def _is_luu(text: str) -> bool:
    """`Lưu: VT, ...` (`Luu`, `Lưu VT` when OCR lost the colon)."""
    return _LUU.match(text[:24]) is not None


def clean_luu(text: str) -> str:
    """`Lưu: VT, CN, Cm.` → `Lưu: VT, CN`; `Lưu: VT, KGVX. HN` (or `KGVX.HN`) → `Lưu: VT, KGVX`;
    `Lưu: VT, ĐT (M).` → `Lưu: VT, ĐT`: the units the file copy goes to, without the drafter's
    initials and count."""
    body = re.sub(r"^\s*[-–]?\s*\S+\s*[:;.]?\s*", "", text, count=1)
    body = re.split(r"\.\s", body + " ", maxsplit=1)[0]
    body = re.sub(r"(?<=[A-ZĐ]{2})\.[A-Za-zĐđ]{1,4}\s*$", "", body)  # `KGVX.HN`: OCR lost the space
    body = re.sub(r"\([^)]*\)?", " ", body)
    units = [u.strip(" .;:") for u in re.split(r"[,;]", body)]  # `VT; KGVX`: OCR's comma
    units = [u for u in units if u]
    if units and units[0] != "VT" and re.fullmatch(r"V[A-Z1Iil|][FPEr'`]?", units[0]):
        # The file copy goes to the văn thư first (VT): OCR reads it `VF`, `VI`, and reads the
        # comma after it as a letter (`VTF`, `VTr`).
        units[0] = "VT"
    while len(units) > 1 and _initials(units[-1]):
        units.pop()
    return "Lưu: " + ", ".join(units) if units else "Lưu"


def _initials(unit: str) -> bool:
    # Drafter's initials are short and mixed case (`Cm`, `hn`, `Tr.`); units are capitals (`KGVX`).
    letters = [c for c in unit if c.isalpha()]
    return bool(letters) and len(letters) <= 4 and any(c.islower() for c in letters) and " " not in unit


def repair_symbol(symbol: str | None, distribution: list[str]) -> str | None:
    """The symbol with its last group corrected from the `Lưu: VT, <unit>` line, when OCR misread
    one or two letters of it (and only then: a different unit is no evidence of a misread)."""
    if not symbol or "-" not in symbol:
        return symbol
    luu = next((d for d in distribution if d.startswith("Lưu")), None)
    if luu is None:
        return symbol
    head, last = symbol.rsplit("-", 1)
    units = [u.strip() for u in luu.partition(":")[2].split(",") if u.strip()]
    if last in units:
        return symbol
    close = [u for u in units if u != "VT" and abs(len(u) - len(last)) <= 1 and fuzz.ratio(u, last) >= 70]
    if len(close) == 1 and re.fullmatch(r"[A-ZĐ0-9&]+", close[0]):
        return f"{head}-{close[0]}"
    return symbol


# --- signer ----------------------------------------------------------------------------------


def _signer(lines: list[Segment]) -> tuple[Signer | None, dict[str, list[Region]]]:
    usable = [t for t in (_trim_marks(s) for s in lines) if t is not None and not _noise(t.text)]
    authority, start = _authority(usable)
    candidates = _posts_for(authority)
    position: Segment | None = None
    name: Segment | None = None
    snapped: str | None = None
    pos_at = 0
    for k in range(start, len(usable)):
        text = usable[k].text.strip()
        if name is None and (_caps(text) or not any(c.islower() for c in text[1:])):
            like = _post_like(text, candidates)
            if _POST_CAPS.search(text) or like is not None:
                if position is None or (like or _snap(text)) == "PHÓ " + _post_text(position, snapped):
                    position, snapped, pos_at = usable[k], like, k  # `PHÓ X` under an `X` read bare
                continue
        if (authority or position) and _person(_restored(text)):
            if name is None or (_caps(name.text) and not _caps(text)):
                name = usable[k]  # a name in capitals may be seal text: a mixed-case one wins
            if not _caps(text):
                break
    if not authority and position is None and name is None:
        return None, {}
    if position is None and authority and re.match(r"Q\s*\.", authority[-1].text.strip()):
        position = authority.pop()  # `Q. GIÁM ĐỐC`: the acting head signs in that post
    ev: dict[str, list[Region]] = {}
    auth_text = _snap(_dotted(" ".join(" ".join(s.text.split()) for s in authority))) if authority else None
    if authority:
        ev["/signer/authority"] = [r for s in authority for r in s.regions()]
    pos_text = _post_text(position, snapped) if position else None
    if position:
        ev["/signer/position"] = position.regions()
        head = _lost_kt(pos_text, auth_text)
        if head is not None:
            auth_text = f"{auth_text or ''} KT. {head}".strip()
            before = usable[pos_at - 1] if pos_at > start else None
            shown = before if before is not None and _holds(before.text, head) else position
            ev["/signer/authority"] = ev.get("/signer/authority", []) + shown.regions()
    elif authority and candidates[0] and candidates[0][0][4:] in _KNOWN_POSTS:
        pos_text = candidates[0][0]  # `KT. X` and the post line lost: the deputy, `PHÓ X`, signs
        ev["/signer/position"] = authority[-1].regions()
    name_text = _surname(_restored(" ".join(name.text.split()))) if name else None
    if name:
        ev["/signer/name"] = name.regions()
    return Signer(authority=auth_text, position=pos_text, name=name_text), ev


def _authority(usable: list[Segment]) -> tuple[list[Segment], int]:
    """Authority lines (`TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`), a bare `TM.` joined to the next
    line, and the index of the first line after them (0 when there are none)."""
    authority: list[Segment] = []
    i = 0
    while i < len(usable) and not _PREFIX.match(usable[i].text.strip()):
        i += 1
    j = i
    while j < len(usable):
        text = usable[j].text.strip()
        if not _PREFIX.match(text):
            break
        authority.append(usable[j])
        if re.fullmatch(r"\S+\s*\.", text) and j + 1 < len(usable) and _caps(usable[j + 1].text):
            authority.append(usable[j + 1])
            j += 1
        j += 1
        # `KT. CỤC TRƯỞNG` / `CỤC CHUYỂN ĐỔI SỐ QUỐC GIA`: the unit the post belongs to, no post itself.
        while j < len(usable) and _unit_line(usable[j].text.strip(), authority):
            authority.append(usable[j])
            j += 1
    return authority, (j if authority else 0)


def _unit_line(text: str, authority: list[Segment]) -> bool:
    if not _caps(text) or _POST_CAPS.search(text) or len(text.split()) < 2:
        return False  # a unit's name has two words or more, not a seal's stray letters
    if _PREFIX.match(text) or _person(text):
        return False
    if _post_like(text, _posts_for(authority)) is not None:
        return False  # the post, bent by the seal (`ĐXHỦ NHIỆM`)
    return not any(_holds(text, post) for post in _PERSONAL_POSTS)  # `XXT, CHỦ ĐỊCH`: a bent step


def _post_text(position: Segment, snapped: str | None) -> str:
    return snapped or _snap(" ".join(position.text.split()))


def _holds(text: str, post: str) -> bool:
    """The line holds `post` among other letters (`XXT, CHỦ ĐỊCH` holds `CHỦ TỊCH`)."""
    return fuzz.partial_ratio(fold(post), fold(re.sub(r"[^\w ]", " ", text))) >= 85


def _lost_kt(position: str | None, authority: str | None) -> str | None:
    """X when the post is `PHÓ X` and the chain has no `KT. X`: a deputy signs only `KT.` (for)
    the head (Decree 30/2020), so the step is there on paper and OCR lost or bent its line
    (`HÁNH VĂN PHÒNG`, `XXT, CHỦ ĐỊCH`, or nothing at all under the seal)."""
    if not position or not position.startswith("PHÓ ") or position[4:] not in _KNOWN_POSTS:
        return None
    head = position[4:]
    last_kt = authority.rfind("KT.") if authority else -1
    if authority and last_kt >= 0 and fold(head) in fold(authority[last_kt:]):
        return None  # `KT. BỘ TRƯỞNG, CHỦ NHIỆM`, `KT. CỤC TRƯỞNG` + the unit's name
    return head


def _dotted(authority: str) -> str:
    """`KT CHỦ TỊCH` → `KT. CHỦ TỊCH`; `IL.`/`TI.` (OCR's `TL.`) → `TL.`; `TIM.`/`IM.` → `TM.`."""
    authority = re.sub(r"(?<![\w.])(?:IL|TI)[ \t]*[.,]", "TL.", authority)
    authority = re.sub(r"(?<![\w.])T?IM[ \t]*[.,]", "TM.", authority)
    authority = re.sub(r"(?<![\w.])(TM|KT|TL|TUQ|Q)[ \t]*,", r"\1.", authority)  # `KT,` is OCR's `KT.`
    return re.sub(r"(?<![\w.])(TM|KT|TL|TUQ)[ \t]+(?=[A-ZĐÀ-Ỹ]{2,})", r"\1. ", authority)


def _posts_for(authority: list[Segment]) -> tuple[list[str], list[str]]:
    """Posts the signer may hold: under `KT. X` a deputy signs, so `PHÓ X` (or `PHÓ` of a part of
    `BỘ TRƯỞNG, CHỦ NHIỆM`), never X itself; and the posts every letter uses."""
    text = _snap(_dotted(" ".join(" ".join(s.text.split()) for s in authority)))
    kt = re.findall(r"(?<![\w.])KT\.\s+(.+?)(?=\s+(?:TM|KT|TL|TUQ|Q)\.|$)", text)
    heads = [part.strip() for part in kt[-1].split(",") if part.strip()] if kt else []
    deputies = ["PHÓ " + head for head in reversed(heads)]
    return deputies, [p for p in _KNOWN_POSTS if p not in heads and p not in deputies]


def _post_like(text: str, candidates: tuple[list[str], list[str]]) -> str | None:
    """The post a caps line bent by a seal or OCR most likely reads (`PHO CHÀANH VĂN PHONG`);
    a deputy's post (after `KT.`) is taken on weaker evidence than any other."""
    letters = fold(re.sub(r"[^\w ]", "", text)).strip()
    if len(letters) < 4:
        return None
    for posts, threshold in ((candidates[0], 60.0), (candidates[1], 72.0)):
        scored = [(fuzz.ratio(letters, fold(post)), post) for post in posts]
        if scored and max(scored)[0] >= threshold:
            return max(scored)[1]
    return None


_MARKS = " \t|-—–_~•*·,;:'\"`^“”‘’"


def _trim_marks(seg: Segment) -> Segment | None:
    """Signature strokes and seal edges read as `- —` around a signer line."""
    text = seg.view.text
    s, e = seg.start, seg.end
    while s < e and (text[s] in _MARKS or text[s] == "."):  # a dot ends `TM.`, never starts a line
        s += 1
    while e > s and text[e - 1] in _MARKS:
        e -= 1
    return Segment(seg.view, s, e) if e > s else None


def _surname(name: str) -> str:
    """`Pham Mạnh Cường` → `Phạm Mạnh Cường`: a surname OCR stripped of its mark, when only one
    common surname has those letters."""
    first, _, rest = name.partition(" ")
    canon = _SURNAME_BY_FOLD.get(fold(first))
    return f"{canon} {rest}" if canon and first != canon and rest else name


def _restored(name: str) -> str:
    """`rần Quốc Huy` → `Trần Quốc Huy`: the seal's ring hid the first letters of the surname; restored
    only when exactly one common surname ends with what is left."""
    first, _, rest = name.strip().partition(" ")
    if not first or not first[0].islower() or not rest or not rest[0].isupper():
        return name
    ends = {n for n in _SURNAME_LIST if n.lower().endswith(first) and len(n) > len(first)}
    if not ends and len(first) >= 3:  # the mark misread too: compare without marks
        ends = {n for n in _SURNAME_LIST if fold(n).endswith(fold(first)) and len(n) > len(first)}
    return f"{ends.pop()} {rest}" if len(ends) == 1 else name


def _noise(text: str) -> bool:
    t = text.strip()
    if not t or _SIGNED.fullmatch(t):
        return True
    letters = sum(c.isalpha() for c in t)
    return letters < max(2, len(t.replace(" ", "")) * 0.6)  # seal and signature strokes read as symbols


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _person(text: str) -> bool:
    """A full name: 2-5 capitalised words of letters (`Nguyễn Thị Thanh Lịch`), known surname first
    or at least not all capitals (posts are printed in capitals)."""
    parts = text.split()
    if not 2 <= len(parts) <= 5 or not all(p.isalpha() and p[0].isupper() for p in parts):
        return False
    if _caps(text):
        return fold(parts[0]) in _SURNAMES and len(parts) >= 3
    return True


def _one_stroke(folded: str) -> str:
    """A folded text with the one-stroke capitals OCR takes for each other (`I`, `L`, `1`, `|`:
    `GLÁM ĐỐC` for `GIÁM ĐỐC`) made one letter, to compare with the posts (no post has an L)."""
    return folded.translate(_STROKES)


_STROKES = str.maketrans("l1|", "iii")
_KNOWN_STROKES = tuple((post, _one_stroke(k)) for post, k in _KNOWN_FOLDED)


def _snap(text: str) -> str:
    """Snap each authority step / the post to its canonical spelling when OCR bent it slightly."""
    pieces = re.split(r"(?<![\w.])((?:TM|KT|TL|TUQ|Q)\s*\.\s*)", text)
    out = []
    for piece in pieces:
        stripped = piece.strip()
        if not stripped or re.fullmatch(r"(?:TM|KT|TL|TUQ|Q)\s*\.", stripped):
            out.append(re.sub(r"\s+", "", stripped) + " " if stripped else "")
            continue
        folded = _one_stroke(fold(stripped))
        score, best = max((fuzz.ratio(k, folded), post) for post, k in _KNOWN_STROKES)
        fixed = best if score >= 90 and abs(len(best) - len(stripped)) <= 1 else stripped
        out.append(fixed + " ")
    return " ".join("".join(out).split())
