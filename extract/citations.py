"""`references`: the documents a letter cites (viện dẫn), once each, in order of first mention.

A citation is a number and symbol in one of three shapes: administrative `131/GLI-KDGP`,
legal with the year `30/2020/NĐ-CP`, Party `57-NQ/TW`. Around it: the type (`Văn bản số`,
`Quyết định số`, `Tờ trình số` ...), the date (`ngày 01/8/2023`, `ngày 01 tháng 8 năm 2023`,
`ngày 01.8.2023`), the issuer after `của`. The issuer may also stand before the number
(`Báo cáo thẩm định của Sở Tư pháp số 684/BC-STP`) or be the body the citations are
attributed to (`Xét các văn bản của Sở X: Công văn số ...`, `Xét đề nghị của Ủy ban nhân
dân tỉnh Đồng Nai tại văn bản số 92/TTr-UBND`). A later mention by number is merged into
the first; the letter's own number is never a reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .bodies import clean, name_end, strip_post
from .dates import find_date
from .evidence import regions
from .fuzzy import fold
from .model import Citation, Region
from .nlp import folded_text
from .respelling import respelled
from .symbols import repair_groups, repair_type_group
from .textview import TextView
from .views import Extraction, ZoneViews

_GROUP = r"[A-ZĐ][\wĐđ&.]*[\wĐđ&]|[A-ZĐ]"
# Administrative and legal shapes: `131/GLI-KDGP`, `30/2020/NĐ-CP`, `01/1999/QĐ.UB`.
_ADMIN = re.compile(
    rf"(?<![\w/.\-])(?P<n>\d{{1,5}})\s?/\s?(?:(?P<y>(?:19|20)\d\d)\s?/\s?)?"
    rf"(?P<sym>(?:{_GROUP})(?:\s?-\s?(?:{_GROUP}))*)"
)
# Party shape: `57-NQ/TW`, `45-CV/TU`.
_PARTY = re.compile(rf"(?<![\w/.\-])(?P<n>\d{{1,5}})\s?-\s?(?P<sym>(?:{_GROUP})\s?/\s?(?:{_GROUP}))")

# Type names that precede `số` (folded), with the doc_type they give.
_TYPES = {
    "van ban": "văn bản",
    "cong van": "công văn",
    "quyet dinh": "quyết định",
    "nghi dinh": "nghị định",
    "nghi quyet": "nghị quyết",
    "thong tu lien tich": "thông tư liên tịch",
    "thong tu": "thông tư",
    "chi thi": "chỉ thị",
    "ke hoach": "kế hoạch",
    "thong bao": "thông báo",
    "to trinh": "tờ trình",
    "bao cao": "báo cáo",
    "huong dan": "hướng dẫn",
    "cong dien": "công điện",
    "chuong trinh": "chương trình",
    "quy dinh": "quy định",
    "quy che": "quy chế",
    "de an": "đề án",
    "ket luan": "kết luận",
    "giay moi": "giấy mời",
    "phuong an": "phương án",
    "luat": "luật",
    "phap lenh": "pháp lệnh",
}
_TYPE_RE = re.compile(r"\b(" + "|".join(sorted(_TYPES, key=len, reverse=True)).replace(" ", r"\s+") + r")\b")
# Type abbreviations of Appendix III, to name the type of a `Văn bản số 92/TTr-UBND`.
_ABBR = {
    "NQ": "nghị quyết", "QĐ": "quyết định", "CT": "chỉ thị", "QC": "quy chế", "QyĐ": "quy định",
    "TB": "thông báo", "HD": "hướng dẫn", "CTr": "chương trình", "KH": "kế hoạch", "PA": "phương án",
    "ĐA": "đề án", "BC": "báo cáo", "TTr": "tờ trình", "CĐ": "công điện", "GM": "giấy mời",
    "NĐ": "nghị định", "TT": "thông tư", "TTLT": "thông tư liên tịch", "KL": "kết luận",
}  # fmt: skip


@dataclass
class _Found:
    number: str
    start: int
    end: int
    doc_type: str | None
    date: tuple[str, int, int] | None
    issuer: tuple[str, int, int] | None


def extract(views: ZoneViews, **context: Any) -> Extraction:
    out = Extraction()
    try:
        view = views.body if views.body.text.strip() else views.whole
        found = find_citations(view.text, context.get("own_number"))
        _put(out, view, found, views.whole.text)
    except Exception:  # extract/ never raises
        out = Extraction()
        out.put("references", [])
    return out


def find_citations(text: str, own_number: str | None = None) -> list[_Found]:
    """Every cited document once, in order of first mention, later mentions merged."""
    own = _key(own_number) if own_number else None
    matches = sorted(_numbers(text), key=lambda m: m[0])
    merged: dict[str, _Found] = {}
    for start, end, number in matches:
        key = _key(number)
        if key == own or _is_own_number_line(text, start):
            continue
        cite = _read(text, start, end, number)
        if cite is None:
            continue
        first = merged.get(key)
        if first is None:
            merged[key] = cite
        else:
            first.date = first.date or cite.date
            first.issuer = first.issuer or cite.issuer
            first.doc_type = first.doc_type or cite.doc_type
    return list(merged.values())


def _numbers(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    party = [(m.start(), m.end()) for m in _PARTY.finditer(text)]
    for pat in (_PARTY, _ADMIN):
        for m in pat.finditer(text):
            # An administrative match inside a Party number (`57-NQ/TW`) is the same number.
            if pat is _ADMIN and any(s < m.end() and m.start() < e for s, e in party if s < m.end() + 40):
                continue
            number = _ascii_symbol(re.sub(r"\s+", "", m.group(0)).rstrip("."))
            sym = m.group("sym")
            if not re.search(r"[A-ZĐ]", sym):
                continue
            end = m.start() + len(m.group(0).rstrip().rstrip("."))
            out.append((m.start(), end, number))
    return out


def _ascii_symbol(number: str) -> str:
    """Symbols are capitals and `Đ` (Appendix III): `GLỊ` is OCR's `GLI` with a speck for a mark."""
    return "".join(c if c in "Đđ" or c.isascii() else fold(c).upper() if c.isupper() else c for c in number)


def _key(number: str) -> str:
    return fold(re.sub(r"\s+", "", number)).strip(".")


def _is_own_number_line(text: str, start: int) -> bool:
    line_start = max(text.rfind("\n", 0, start) + 1, start - 12)
    if line_start > 0 and text[line_start - 1] != "\n":
        return False  # more than `Số:` before it on the line
    before = text[line_start:start]
    # `Số: 25/UBND-KGVX` (the colon, or at the head of the page); a wrapped `Quyết định\nsố 505/...`
    # in the body is a citation.
    return re.fullmatch(r"\s*S[oốỐO]\s*:\s*|\s*S[oố]\s*", before) is not None and (
        ":" in before or start < 600
    )


def _read(text: str, start: int, end: int, number: str) -> _Found | None:
    folded = folded_text(text)
    before = folded[max(0, start - 120) : start]
    doc_type, type_at = _type_before(before, start - len(before))
    has_so = re.search(r"\bso\s*:?\s*(?:[^\w\s]{1,3}|\w)?\s*$", before) is not None
    sym = number.split("/", 1)[-1]
    if doc_type is None and not has_so and "-" not in sym and "." not in sym and number.count("/") < 2:
        return None  # a bare `12/ABC` with nothing that says it is a document number
    if doc_type in (None, "văn bản"):
        doc_type = _type_of_symbol(number) or doc_type
    number = _repaired(number, doc_type)
    date = _date_after(text, folded, end)
    issuer = _issuer_after(text, folded, date[2] if date else _skip_bad_date(folded, end))
    if issuer is None and type_at is not None:
        issuer = _issuer_between(text, folded, type_at, start)
    if issuer is None:
        issuer = _attributed(text, folded, type_at if type_at is not None else start)
    return _Found(number, start, end, doc_type, date, issuer)


def _type_before(before: str, offset: int) -> tuple[str | None, int | None]:
    """The type word of this citation: right before `số`, or before `của X số` (issuer first)."""
    # (OCR specks between `số` and the number: `Tờ trình số\n- 1342/...`, `số\nỀ\n178/...`.)
    m = re.search(r"(?:" + _TYPE_RE.pattern + r")\s*(?:so\s*:?)?\s*(?:[^\w\s]{1,3}|\w)?\s*$", before)
    if m is None:
        m = re.search(_TYPE_RE.pattern + r"[^;:]{0,80}?cua\s+[^;:]{2,80}?\bso\s*:?\s*$", before)
    if m is None:
        return None, None
    word = re.sub(r"\s+", " ", m.group(1))
    return _TYPES.get(word), offset + m.start(1)


def _repaired(number: str, doc_type: str | None) -> str:
    """OCR's T/I/1/l swaps in the symbol's type group (`88/TIr-STTTT` → `88/TTr-STTTT`), and a type
    group one edit off the type the text names (`Tờ trình số 88/TTt-...`)."""
    m = re.match(r"(\d+/(?:\d{4}/)?)(.+)$", number)
    if m is None:
        return number
    try:
        symbol = repair_groups(m.group(2))
        if doc_type not in (None, "văn bản", "công văn"):
            symbol = repair_type_group(symbol, doc_type)
    except Exception:  # a repair that fails leaves the number as read
        return number
    return m.group(1) + symbol


def _type_of_symbol(number: str) -> str | None:
    parts = re.split(r"[/\-.]", number)
    for part in parts[1:2] if number[:1].isdigit() else []:
        if part in _ABBR:
            return _ABBR[part]
    for part in parts:
        if part in _ABBR:
            return _ABBR[part]
    return None


def _date_after(text: str, folded: str, end: int) -> tuple[str, int, int] | None:
    m = re.match(r"[\s,]*(?:ban\s+hanh\s+)?(?=ng\w{1,2}y)", folded[end : end + 40])
    if m is None:
        return None
    at = end + m.end()
    found = find_date(text[: at + 40], at)
    if found is not None and found.iso is not None and found.start <= at + 8:
        return found.iso, min(at, found.start), found.end
    # OCR splits a two-digit day or month (`ngày 1 0/4/2026`): join digits a lone space parts.
    window = text[at : at + 40]
    keep = [i for i, c in enumerate(window) if not (c == " " and 0 < i < len(window) - 1 and
            window[i - 1].isdigit() and window[i + 1].isdigit())]  # fmt: skip
    joined = "".join(window[i] for i in keep)
    found = find_date(joined, 0) if len(joined) != len(window) else None
    if found is None or found.iso is None or found.start > 8 or found.end == 0:
        return None
    return found.iso, at, at + keep[found.end - 1] + 1


def _skip_bad_date(folded: str, pos: int) -> int:
    """Past a date OCR garbled beyond use (`ngày 41/8/2023`): the issuer after it still counts."""
    m = re.match(
        r"[\s,]*ng\w{1,2}y\s*[\d\s/.\-]*(?:th\w{1,2}ng\s*\d*\s*n\w{1,2}m\s*\d*)?", folded[pos : pos + 50]
    )
    return pos + m.end() if m else pos


def _issuer_after(text: str, folded: str, pos: int) -> tuple[str, int, int] | None:
    m = re.match(r"[\s,]*cua\s+", folded[pos : pos + 20])
    if m is None:
        return None
    return _name(text, pos + m.end())


def _issuer_between(text: str, folded: str, type_at: int, start: int) -> tuple[str, int, int] | None:
    m = re.search(r"cua\s+", folded[type_at:start])
    if m is None:
        return None
    return _name(text, type_at + m.end(), start)


def _attributed(text: str, folded: str, pos: int) -> tuple[str, int, int] | None:
    """`Xét các văn bản của Sở X: ...` / `đề nghị của X tại Tờ trình số`: the body the citations
    of this clause are attributed to."""
    floor = max(0, pos - 400)  # an attribution sits in the same clause, a few lines up at most
    clause = max(folded.rfind(";", floor, pos), folded.rfind(". ", floor, pos), floor)
    for m in reversed(list(re.finditer(r"cua\s+", folded[clause:pos]))):
        at = clause + m.end()
        name = _name(text, at, pos)
        if name is None:
            continue
        rest = folded[name[2] : pos]
        if re.match(r"\s*:", rest) or re.fullmatch(r"\s*tai\s*", rest):
            return name
        return None
    return None


def _name(text: str, start: int, stop: int | None = None) -> tuple[str, int, int] | None:
    end = name_end(text, start, stop)
    raw = " ".join(text[start:end].split()).strip(" ,;:")
    if not raw:
        return None
    name = clean(strip_post(raw))
    return name, start, end


def _put(out: Extraction, view: TextView, found: list[_Found], whole: str | None = None) -> None:
    refs: list[Citation] = []
    for i, f in enumerate(found):
        refs.append(
            Citation(
                number=f.number,
                doc_type=f.doc_type,
                date=f.date[0] if f.date else None,
                issuer=respelled(f.issuer[0], regions(view, f.issuer[1], f.issuer[2]), whole or view.text)
                if f.issuer
                else None,
            )
        )
        _evidence(out, f"/references/{i}/number", regions(view, f.start, f.end))
        if f.date:
            _evidence(out, f"/references/{i}/date", regions(view, f.date[1], f.date[2]))
        if f.issuer:
            _evidence(out, f"/references/{i}/issuer", regions(view, f.issuer[1], f.issuer[2]))
    out.put("references", refs)


def _evidence(out: Extraction, key: str, regions: list[Region]) -> None:
    if regions:
        out.evidence[key] = regions
