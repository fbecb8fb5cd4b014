"""Province-level place names, to title-case them inside body names and undo OCR diacritic loss.

The 63 provinces and cities in force until mid-2025 (the 34 merged ones keep names from
this list), plus the country. Matching is on folded text, so `HÀ NÔI` and `Ha Noi` both
give `Hà Nội`.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from .fuzzy import fold

PROVINCES: tuple[str, ...] = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang", "Hồ Chí Minh",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "Việt Nam",
)  # fmt: skip

_BY_FOLD: dict[tuple[str, ...], str] = {tuple(fold(p).replace("-", " ").split()): p for p in PROVINCES}
MAX_WORDS = max(len(k) for k in _BY_FOLD)

# Old and new tone placement are both correct spelling (`Hoà`/`Hòa`); only other
# differences are OCR damage worth repairing.
_OLD_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uỳ": "ùy", "uý": "úy",
              "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy", "oè": "òe", "oé": "óe", "oẻ": "ỏe"}  # fmt: skip


def tone_norm(text: str) -> str:
    low = text.lower()
    for old, new in _OLD_TONES.items():
        low = low.replace(old, new)
    return low


_BY_SQUASH: dict[str, str] = {"".join(k): p for k, p in _BY_FOLD.items()}


def province_at(words: list[str], i: int, fuzzy: bool = False) -> tuple[str, int] | None:
    """The province whose name starts at words[i] (longest first) and its word count.

    OCR glues syllables (`LONGAN`), so names also compare without spaces; `fuzzy` (used
    where a place name must follow, after `tỉnh`) forgives one wrong letter (`GIALAL`).
    """
    for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
        key = tuple(w for w in fold(" ".join(words[i : i + n]).replace("-", " ")).split())
        if key in _BY_FOLD and len(key) == n - words[i : i + n].count("-"):
            return _BY_FOLD[key], n
        squashed = "".join(key)
        if squashed in _BY_SQUASH:
            return _BY_SQUASH[squashed], n
        if fuzzy and len(squashed) >= 5:
            close = [p for sq, p in _BY_SQUASH.items() if len(sq) == len(squashed) and _one_off(sq, squashed)]
            if len(close) == 1:
                return close[0], n
    return None


def _one_off(a: str, b: str) -> bool:
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


def repair_place(printed: str) -> str:
    """`Hà Nôi`, `Gia LaI` (OCR) → `Hà Nội`, `Gia Lai`; a correctly printed variant (`Thanh Hoá`)
    stays as printed."""
    words = printed.split()
    found = province_at(words, 0)
    if found is None or found[1] != len(words):
        return printed
    canonical = found[0]
    # Same letters, same capitals: a variant as printed; `Gia LaI` (an I read for l) is no variant.
    same_case = printed.isupper() or [c.isupper() for c in printed] == [c.isupper() for c in canonical]
    return printed if same_case and tone_norm(printed) == tone_norm(canonical) else canonical


def place_named_in(printed: str, names: list[str]) -> str:
    """`Gia Ea` (OCR) → `Gia Lai` when the issuer's name (`Ủy ban nhân dân tỉnh Gia Lai`) ends
    with a place one or two letters off it: a body dates its letters where it sits. A place
    read as a known province, or near no name of the letter, stays as read."""
    words = printed.split()
    if not words or province_at(words, 0) is not None:
        return printed
    for name in names:
        tail = " ".join(name.split()[-len(words) :])
        distance = Levenshtein.distance(fold(tail), fold(printed))
        if 0 < distance <= 2 and len(printed) >= 4 and tail[:1].isupper():
            return tail
    return printed
