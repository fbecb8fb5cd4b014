"""Document numbers as citations write them, normalised for OCR-tolerant matching.

`131/GLI-KDGP`, `30/2020/NĐ-CP` and `57-NQ/TW` are the three shapes. The numeric
part must agree exactly (leading zeros aside); the symbol is compared after
folding (`Đ`/`Ð` → `D`) and mapping the characters OCR confuses (`l`, `1`, `|`
→ `I`; `0` → `O`), and then may still differ by one character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..folding import fold

# Type abbreviations of Decree 30/2020, Appendix III: a symbol starting with one is a typed document.
TYPE_ABBREVIATIONS = frozenset({
    "NQ", "QD", "CT", "QC", "QYD", "TC", "TB", "HD", "CTR", "KH", "PA", "DA", "BC", "BB", "TTR", "HĐ",
    "CD", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB", "SY", "TRS", "SL", "TT", "ND", "L",
})
SYMBOL_MIN_RATIO = 90.0  # rapidfuzz ratio accepted even beyond one edit (long symbols)
_YEAR_FORM = re.compile(r"^0*(\d{1,6})/((?:19|20)\d\d)/(.+)$")
_SLASH_FORM = re.compile(r"^0*(\d{1,6})/(.+)$")
_PARTY_FORM = re.compile(r"^0*(\d{1,6})-(.+)$")
_CONFUSABLE = str.maketrans({"l": "I", "|": "I", "1": "I", "!": "I", "0": "O"})


@dataclass(frozen=True)
class DocNumber:
    num: str  # digits without leading zeros
    symbol: str  # as written, spaces removed
    symbol_key: str  # folded, upper case, OCR confusables merged
    year: int | None  # from a `30/2020/NĐ-CP` number


def symbol_key(symbol: str) -> str:
    cleaned = symbol.replace("\u00d0", "Đ").replace("\u0110", "Đ")
    return fold(cleaned.translate(_CONFUSABLE)).replace(" ", "").upper()


def parse_number(text: str | None) -> DocNumber | None:
    if not text:
        return None
    compact = re.sub(r"\s+", "", text).removeprefix("Số:").removeprefix("số:").strip(".,;:")
    for pattern in (_YEAR_FORM, _SLASH_FORM, _PARTY_FORM):
        m = pattern.match(compact)
        if m is None:
            continue
        if pattern is _YEAR_FORM:
            num, year, symbol = m.group(1), int(m.group(2)), m.group(3)
        else:
            num, year, symbol = m.group(1), None, m.group(2)
        return DocNumber(num=str(int(num)), symbol=symbol, symbol_key=symbol_key(symbol), year=year)
    return None


def symbol_similarity(a: str, b: str) -> float:
    """0-100: 100 for equal keys; one substituted, dropped or extra character still passes."""
    if a == b:
        return 100.0
    ratio = fuzz.ratio(a, b)
    if Levenshtein.distance(a, b) <= 1 and min(len(a), len(b)) >= 4:
        return max(ratio, SYMBOL_MIN_RATIO)
    return ratio


def year_of(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def issuer_prefix(symbol: str | None) -> str | None:
    """The issuer's part of a symbol: `VNPT-GL` of `VNPT-GL-CNTT` (a công văn: all but the
    drafting unit), `UBND` of `QĐ-UBND` (a typed document: all after the type)."""
    if not symbol:
        return None
    groups = [g for g in re.split(r"[-/]", symbol.strip()) if g]
    if not groups:
        return None
    if len(groups) == 1:
        return groups[0]
    if symbol_key(groups[0]) in {symbol_key(t) for t in TYPE_ABBREVIATIONS}:
        return "-".join(groups[1:])
    return "-".join(groups[:-1])
