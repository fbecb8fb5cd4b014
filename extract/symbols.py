"""Số and ký hiệu (number and symbol) of a document, and the document types they name.

Decree 30/2020 prints `Số: <n>/<symbol>`; the symbol's first group is the type
abbreviation of Appendix III (`QĐ-UBND` is a quyết định) unless the document is a
công văn, whose symbol starts with the issuer (`UBND-KGVX`). Legal documents add the
year (`30/2020/NĐ-CP`), Party documents put the type before the slash (`57-NQ/TW`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .abbrevs import one_d
from .fuzzy import fold

CONG_VAN = "công văn"

# Appendix III of Decree 30/2020, plus the legal types citations and headers also carry.
TYPE_ABBREVIATIONS: dict[str, str] = {
    "NQ": "nghị quyết",
    "QĐ": "quyết định",
    "CT": "chỉ thị",
    "QC": "quy chế",
    "QyĐ": "quy định",
    "TC": "thông cáo",
    "TB": "thông báo",
    "HD": "hướng dẫn",
    "CTr": "chương trình",
    "KH": "kế hoạch",
    "PA": "phương án",
    "ĐA": "đề án",
    "DA": "dự án",
    "BC": "báo cáo",
    "BB": "biên bản",
    "TTr": "tờ trình",
    "HĐ": "hợp đồng",
    "CĐ": "công điện",
    "BGN": "bản ghi nhớ",
    "BTT": "bản thỏa thuận",
    "GUQ": "giấy ủy quyền",
    "GM": "giấy mời",
    "GGT": "giấy giới thiệu",
    "GNP": "giấy nghỉ phép",
    "PG": "phiếu gửi",
    "PC": "phiếu chuyển",
    "PB": "phiếu báo",
    "NĐ": "nghị định",
    "TT": "thông tư",
    "TTLT": "thông tư liên tịch",
}
# Mixed case is part of the abbreviation but OCR loses it (`TTR`, `QYĐ`): the upper-case
# keys are unique, so they are a safe second lookup.
_BY_UPPER = {k.upper(): v for k, v in TYPE_ABBREVIATIONS.items()}

# Names printed as the centred title; the bare names are what `doc_type` holds.
TYPE_NAMES: tuple[str, ...] = tuple(sorted({*TYPE_ABBREVIATIONS.values(), CONG_VAN}, key=len, reverse=True))
_FOLDED_NAMES = {re.sub(r"\s+", "", fold(n)): n for n in TYPE_NAMES}

_GROUP = r"[0-9A-Za-zÀ-ỹĐđÐ&.]+"
SYMBOL_RE = re.compile(rf"{_GROUP}(?:[-/]{_GROUP})*")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class NumberParse:
    number: str | None  # `33/QĐ-UBND` as printed, None when blank or unreadable (handwritten)
    symbol: str | None  # `QĐ-UBND`
    length: int  # characters of the input the number and symbol take


def parse_number(text: str) -> NumberParse | None:
    """Number and symbol at the start of `text` (what follows `Số:`), or None.

    Blank numbers (`     /UBND-KGVX`) and junk numbers (a handwritten number read by
    OCR as `lIŠ`) give number None and keep the symbol.
    """
    text = re.sub("[⁄∕／]", "/", text)  # fraction and full-width slashes OCR reads
    slash = text.find("/")
    if slash < 0 or slash > 16:
        # OCR dropped the slash or read it as a dot (`Số: 86GM-UBND`, `25.UBND-KGVX`).
        glued = re.match(r"[ \t]*\d+[.,:;|\\]?(?=[A-ZĐ][^\s/]*-)", text)
        if glued is None:
            return None
        # Digits then a letter group with a dash can only be <n>/<symbol>.
        cut = glued.end()
        sep = 1 if not text[cut - 1].isdigit() else 0
        parsed = parse_number(text[: cut - sep] + "/" + text[cut:])
        return None if parsed is None else NumberParse(parsed.number, parsed.symbol, parsed.length - 1 + sep)
    raw_number = text[:slash].strip(" \t.,:;'`|_")
    rest = text[slash + 1 :]
    lead = len(rest) - len(rest.lstrip(" \t"))
    joined = re.sub(r"[ \t]*([-/])[ \t]*", r"\1", rest[lead:])
    m = SYMBOL_RE.match(joined)
    if not m:
        return None
    raw_symbol = m.group(0).rstrip(".-/")  # a rule or specks after the symbol (`QĐ-UBND -...`)
    consumed = slash + 1 + lead + _source_length(rest[lead:], len(raw_symbol))
    party = re.fullmatch(rf"(\d+)-({_GROUP})", raw_number)
    year = re.match(r"((?:19|20)\d\d)/(.+)", raw_symbol)
    if party:
        symbol = repair_symbol(f"{party.group(2)}/{raw_symbol}")
        number = f"{party.group(1)}-{symbol}"
    elif year and raw_number.isdigit():
        symbol = repair_symbol(year.group(2))
        number = f"{raw_number}/{year.group(1)}/{symbol}"
    elif year and not raw_number:
        symbol = repair_symbol(year.group(2))
        number = None
    else:
        symbol = repair_symbol(raw_symbol)
        number = f"{raw_number}/{symbol}" if raw_number.isdigit() and raw_number.isascii() else None
    if not _looks_like_symbol(symbol):
        return None
    return NumberParse(number, symbol, consumed)


_LONE_SYMBOL = re.compile(r"(?<![\w/])[A-ZĐÐ][A-Za-zĐđÐ&.]*(?:-[A-Za-z0-9ĐđÐ&.]+)+")


def symbol_only(text: str) -> NumberParse | None:
    """The symbol of a `Số:` line whose number and slash OCR garbled (`DO GM-UBND`): number None."""
    m = _LONE_SYMBOL.search(text[:30])
    if m is None:
        return None
    symbol = repair_symbol(m.group(0).rstrip("."))
    groups = symbol.split("-")
    if not all(g.upper() == g or g in TYPE_ABBREVIATIONS for g in groups) or len(_LETTER.findall(symbol)) < 4:
        return None  # a capitalised word with a hyphen is no symbol
    before = text[: m.start()].strip(" \t.,:;|")
    # The slash read as a space (`2085 UBND-KGVX`): typed digits still make the number.
    number = f"{before}/{symbol}" if before.isdigit() and before.isascii() else None
    return NumberParse(number, symbol, m.end())


def _source_length(source: str, joined_length: int) -> int:
    """Characters of `source` that make `joined_length` characters once spaces around `-`/`/` go."""
    seen = 0
    for i, ch in enumerate(source):
        if seen == joined_length:
            return i
        if ch not in " \t":
            seen += 1
    return len(source)


def _looks_like_symbol(symbol: str) -> bool:
    groups = re.split(r"[-/]", symbol)
    lettered = [g for g in groups if len(_LETTER.findall(g)) >= 1]
    # `UBND-KGVX`, `QĐ-UBND`; a lone group is accepted only when it is a plain abbreviation.
    if len(groups) >= 2:
        return len(lettered) >= 1 and len(_LETTER.findall(symbol)) >= 2
    return len(_LETTER.findall(symbol)) >= 2 and symbol.upper() == symbol


def repair_symbol(symbol: str) -> str:
    """Undo the usual OCR confusions inside letter groups; digits of `UBND-VX1` stay."""
    symbol = one_d(symbol).replace("ð", "đ")  # one Đ read as `ĐÐ` is one Đ (`abbrevs`)
    out = []
    for group in re.split(r"([-/])", symbol):
        if len(_LETTER.findall(group)) >= 2:
            # `0`, `8`, `5` between two letters are `O`, `B`, `S` (`K0VX`, `U8ND`).
            group = re.sub(r"(?<=[^\W\d_])0(?=[^\W\d_])", "O", group)
            group = re.sub(r"(?<=[^\W\d_])8(?=[^\W\d_])", "B", group)
            group = re.sub(r"(?<=[^\W\d_])5(?=[^\W\d_])", "S", group)
            # A lone lower-case `l` in an upper-case group is a capital `I` (`VlIT` → `VIIT`).
            if sum(c.islower() for c in group) == group.count("l"):
                group = group.replace("l", "I")
            if group == "QD":
                group = "QĐ"  # OCR drops the bar; no type or issuer abbreviation is QD
        out.append(group)
    return "".join(out)


# Tesseract swaps these in runs of capitals (`BTTTT` → `BTTTI`, `TTr` → `TIr`, `CT` → `C1`).
_CONFUSABLE = set("TIl1L|!i")


def confusable_equal(read: str, known: str) -> bool:
    if len(read) != len(known):
        return False
    return all(a == b or (a in _CONFUSABLE and b in _CONFUSABLE) for a, b in zip(read, known, strict=True))


def repair_groups(symbol: str, issuer_abbreviations: tuple[str, ...] = ()) -> str:
    """Undo T/I/1/l swaps in a symbol against what its groups can be.

    The first group of a typed document is a type abbreviation, and a symbol's issuer
    group abbreviates the issuer's name (`Sở Thông tin và Truyền thông` → `STTTT`): a
    group that equals one of those up to the swaps is that abbreviation.
    """
    parts = re.split(r"([-/])", symbol)
    for i in range(0, len(parts), 2):
        group = parts[i]
        if group in TYPE_ABBREVIATIONS or group in issuer_abbreviations:
            continue
        known = [*issuer_abbreviations, *(TYPE_ABBREVIATIONS if i == 0 else ())]
        matches = {k for k in known if confusable_equal(group, k)}
        if len(matches) == 1:
            parts[i] = matches.pop()
    return "".join(parts)


_ABBREVIATION_OF_TYPE = {name: abbr for abbr, name in TYPE_ABBREVIATIONS.items()}


def repair_type_group(symbol: str, doc_type: str | None) -> str:
    """The printed title names the type: a first group one edit off its abbreviation is it
    (`CĐĐ-UBND` under `CÔNG ĐIỆN` is `CĐ-UBND`). A công văn's issuer group is left alone."""
    abbr = _ABBREVIATION_OF_TYPE.get(doc_type or "")
    parts = re.split(r"([-/])", symbol, maxsplit=1)
    if abbr is None or len(parts) < 3:
        return symbol
    first, sep, rest = parts
    if first == abbr or Levenshtein.distance(first.upper(), abbr.upper()) > 1:
        return symbol
    return abbr + sep + rest


def abbreviations_of(issuer: str | None) -> tuple[str, ...]:
    """How a symbol abbreviates an issuer: initials of its name before the place (`UBND`,
    `STTTT`, `SGD&ĐT`, `VPCP`); acronyms in the name count whole (`VNPT`)."""
    if not issuer:
        return ()
    words = issuer.replace("-", " ").split()
    for i, word in enumerate(words):
        if i and word.lower() in _PLACE_STARTS:
            words = words[:i]
            break
    plain, amp = [], []
    for word in words:
        if word.lower() == "và":
            amp.append("&")
            continue
        initial = word if word.isupper() and len(word) > 1 else _initial(word)
        plain.append(initial)
        amp.append(initial)
    out = {"".join(plain), "".join(amp)}
    return tuple(sorted(a for a in out if len(a) >= 2))


def _initial(word: str) -> str:
    """`Ủy` → `U`, `Đào` → `Đ`: abbreviations drop tone and vowel marks but keep the bar of Đ."""
    return "Đ" if word[:1] in "đĐ" else fold(word[:1]).upper()


_PLACE_STARTS = {"tỉnh", "thành", "huyện", "quận", "xã", "phường", "thị", "đặc"}


def type_of_symbol(symbol: str | None) -> str | None:
    """`QĐ-UBND` → quyết định, `NQ/TW` → nghị quyết; a non-type first group → công văn."""
    if not symbol:
        return None
    first = re.split(r"[-/]", symbol)[0]
    if first in TYPE_ABBREVIATIONS:
        return TYPE_ABBREVIATIONS[first]
    return _BY_UPPER.get(first.upper(), CONG_VAN)


def type_of_title(line: str) -> str | None:
    """The type name a title line spells (`QUYẾT ĐỊNH`, OCR `QUYÉT ĐỊNH`), else None.

    The whole line must be the name: `QUYẾT ĐỊNH:` before Điều 1 and sentences that
    merely mention a type are not titles.
    """
    letters = re.sub(r"[^\w\s]|\d|_", " ", line)
    squashed = re.sub(r"\s+", "", fold(letters))
    if not 2 <= len(squashed) <= 24 or line.rstrip().endswith(":"):
        return None
    if letters.strip() and letters.strip() != letters.strip().upper():
        return None  # titles are printed in capitals
    best, score = None, 0.0
    for folded, name in _FOLDED_NAMES.items():
        s = fuzz.ratio(squashed, folded)
        if s > score:
            best, score = name, s
    return best if score >= 88 else None
