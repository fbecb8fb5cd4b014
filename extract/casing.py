"""Normal Vietnamese case for a body name printed in capitals (Decree 30/2020, Appendix II).

`ỦY BAN NHÂN DÂN TỈNH GIA LAI` → `Ủy ban nhân dân tỉnh Gia Lai`,
`BỘ THÔNG TIN VÀ TRUYỀN THÔNG` → `Bộ Thông tin và Truyền thông`.

The decree's rule: capitalise the first syllable of the words naming the kind of body
and of each phrase naming its field (`Giáo dục và Đào tạo`, `Lao động - Thương binh và
Xã hội`); place names are proper names, every syllable capitalised; administrative nouns
(`tỉnh`, `thành phố`, `huyện` ...) before a place name are lower case. Administrative
nouns come from a lexicon, in their dictionary spelling, which also repairs OCR
diacritics (`THÀNH PHÓ` → `thành phố`).
"""

from __future__ import annotations

import re

from .fuzzy import fold
from .places import province_at, tone_norm

# Kinds of body, longest first when one is a prefix of another.
BODY_NOUNS: tuple[str, ...] = (
    "ủy ban nhân dân", "hội đồng nhân dân", "ủy ban mặt trận tổ quốc", "ủy ban", "hội đồng",
    "văn phòng", "tổng công ty", "công ty", "tập đoàn", "chi nhánh", "trung tâm", "tổng cục",
    "chi cục", "cục", "sở", "bộ", "ban", "vụ", "viện", "học viện", "phòng", "trường", "bệnh viện",
    "đại học", "kho bạc nhà nước", "ngân hàng", "công an", "thanh tra", "tòa án nhân dân",
    "viện kiểm sát nhân dân", "bảo hiểm xã hội", "đài", "báo", "liên đoàn", "hiệp hội", "hội",
    "đoàn", "tỉnh ủy", "thành ủy", "huyện ủy", "quận ủy", "đảng ủy", "đảng bộ", "viễn thông",
    "bưu điện", "kiểm toán nhà nước", "đơn vị", "ban quản lý",
)  # fmt: skip
# Enterprises: their names are proper names (`Tập đoàn Công nghiệp - Viễn thông Quân đội`).
ENTERPRISE_NOUNS = {"tập đoàn", "tổng công ty", "công ty", "chi nhánh", "viễn thông"}
# Administrative units: lower case, and what follows is a place name.
PLACE_NOUNS: tuple[str, ...] = (
    "thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường", "đặc khu",
)  # fmt: skip
# Words `normal_case` spells from its lexicon (OCR repaired): later repairs leave them be.
LEXICON_SYLLABLES = frozenset(w for phrase in (*BODY_NOUNS, *PLACE_NOUNS) for w in phrase.split())
# Place nouns that start common words inside a field name (`Lao động - Thương binh và Xã hội`).
_NOT_PLACE = {("xa", "hoi"), ("tinh", "than"), ("quan", "ly"), ("quan", "su"), ("phuong", "an"),
              ("phuong", "tien"), ("huyen", "thoai"), ("tinh", "hinh")}  # fmt: skip
_CONNECTORS = {"và", "-", "–", ",", "của", "thuộc", "trực"}
_ABBREVIATIONS = {"UBND", "HĐND", "MTTQ", "VNPT", "TW", "TP", "TP.", "CP", "TTTT", "CNTT", "KBNN"}

_VOWELS = set("aeiouyăâêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[^\W\d_]+?(?:ch|ng|nh|[cmnpt])?$"
)


_ABBREVIATION_DOT = re.compile(r"^[A-ZĐ]{1,3}\.$")  # `TP.`, `TX.` keep their dot; `TIN.` is dust
_DOTTED = re.compile(r"([^\W\d_]+)\.(?=[^\W\d_])")


def _split_dotted(m: re.Match[str]) -> str:
    """`TỈNH.HƯNG` → `TỈNH HƯNG`: OCR read the space as a dot; `TP.HCM` abbreviates (no vowel)."""
    return m.group(0) if is_acronym(m.group(1)) else m.group(1) + " "


def _fold_words(words: list[str]) -> tuple[str, ...]:
    return tuple(fold(w).strip(".,;:") for w in words)


_BODY_KEYS = sorted(((_fold_words(n.split()), n) for n in BODY_NOUNS), key=lambda kv: -len(kv[0]))
_PLACE_KEYS = sorted(((_fold_words(n.split()), n) for n in PLACE_NOUNS), key=lambda kv: -len(kv[0]))


def _match(words: list[str], i: int, keys: list[tuple[tuple[str, ...], str]]) -> tuple[str, int] | None:
    """The lexicon phrase at words[i]. Phrases of two or more syllables compare folded, which
    forgives OCR's lost marks (`THÀNH PHÓ`); one syllable must match exactly, as folding
    would make `QUÂN` (army) the district noun `quận`."""
    folded = _fold_words(words[i : i + 4])
    for key, phrase in keys:
        if len(key) == 1:
            if words[i].lower().strip(".,;:") == phrase:
                return phrase, 1
        elif folded[: len(key)] == key:
            return phrase, len(key)
    # OCR glues syllables (`ỦY BANNHÂNDÂN`): a many-syllable phrase may span fewer words.
    for key, phrase in keys:
        if len(key) > 1:
            for n in range(1, len(key)):
                if "".join(folded[:n]) == "".join(key):
                    return phrase, n
    return None


def is_acronym(word: str) -> bool:
    """`UBND`, `VNPT`, `KGVX`: no vowel, or a known abbreviation."""
    bare = word.strip(".,;:()")
    if bare.upper() in _ABBREVIATIONS:
        return True
    return bool(bare) and not any(c in _VOWELS for c in bare.lower()) and any(c.isalpha() for c in bare)


def is_vietnamese_syllable(word: str) -> bool:
    """A rough test: brand names such as `Viettel`, `MobiFone` fail it and keep their capital."""
    low = word.lower()
    if any(c in "fjwz" for c in low):
        return False
    last = low[-1:]
    if last and last not in _VOWELS and not re.search(r"(?:ch|ng|nh|[cmnpt])$", low):
        return False
    return bool(_SYLLABLE.match(low))


def _title(word: str) -> str:
    if is_acronym(word):
        return word.upper()
    return word[:1].upper() + word[1:].lower()


_ONE_SYLLABLE_PLACES = [key[0] for key, _ in _PLACE_KEYS if len(key) == 1]


def _unglue(words: list[str]) -> list[str]:
    """`TỈNHHÀ TĨNH` (OCR lost the space) → `TỈNH HÀ TĨNH` when a province follows the unit noun."""
    out: list[str] = []
    for i, word in enumerate(words):
        folded = fold(word)
        for noun in _ONE_SYLLABLE_PLACES:
            rest = word[len(noun) :]
            if folded.startswith(noun) and rest and province_at([rest, *words[i + 1 :]], 0) is not None:
                out.extend([word[: len(noun)], rest])
                break
        else:
            out.append(word)
    return out


def _worn_place_noun(words: list[str], i: int) -> tuple[str, int] | None:
    """`TÍNH HẬU GIANG` (OCR for `TỈNH`): a one-syllable unit folds to a place noun and a province follows."""
    folded = fold(words[i])
    for key, phrase in _PLACE_KEYS:
        if len(key) == 1 and key[0] == folded and province_at(words, i + 1) is not None:
            return phrase, 1
    return None


def _word_starts(words: list[str]) -> set[int]:
    """Indices of syllables that begin a word (`bưu chính | viễn thông | việt nam`).

    Enterprise names are proper names and capitalise every word of the name
    (`Tập đoàn Bưu chính Viễn thông Việt Nam`), so they need word segmentation.
    """
    try:
        from underthesea import word_tokenize  # slow import: only when an enterprise is named
    except ImportError:  # pragma: no cover - underthesea is a dependency
        return set()
    lowered = [w.lower() for w in words]
    starts: set[int] = set()
    i = 0
    for token in word_tokenize(" ".join(lowered)):
        syllables = token.split()
        if lowered[i : i + len(syllables)] != syllables:
            return set()  # the segmenter changed the text: no word boundaries, no guess
        starts.add(i)
        i += len(syllables)
    return starts


def normal_case(printed: str) -> str:
    """A body name in normal case; text already in mixed case is re-cased the same way."""
    kept_as_is = ("-", "–", "&")
    bare = (
        w if w in kept_as_is or (_ABBREVIATION_DOT.match(w) and is_acronym(w)) else w.strip("_.,;:*~`'")
        for w in _DOTTED.sub(_split_dotted, printed.replace("|", " ")).split()
    )
    words = _unglue([w for w in bare if w])
    out: list[str] = []
    mode = "start"  # start | name-start | name | place
    enterprise, word_starts = False, set()
    i = 0
    while i < len(words):
        word = words[i]
        place_noun = _match(words, i, _PLACE_KEYS) or _worn_place_noun(words, i)
        body = _match(words, i, _BODY_KEYS) if mode in ("start", "name-start") else None
        if body and place_noun and body[1] > place_noun[1]:
            place_noun = None  # `TỈNH ỦY` is a body (the provincial Party committee), not a province
        if place_noun and _fold_words(words[i : i + 2]) not in _NOT_PLACE and i + place_noun[1] < len(words):
            out.extend(place_noun[0].split())
            i += place_noun[1]
            mode = "place"
            continue
        if body:
            phrase = body[0].split()
            if mode == "name-start" and out:
                phrase[0] = _title(phrase[0])  # a body named inside another: `Văn phòng Ủy ban ...`
            out.extend(phrase)
            i += body[1]
            mode = "name-start"
            if body[0] in ENTERPRISE_NOUNS:
                enterprise, word_starts = True, _word_starts(words)
            continue
        province = province_at(words, i, fuzzy=mode == "place")
        if province:
            printed = " ".join(_title(w) for w in words[i : i + province[1]])
            canonical = province[0]
            out.extend((printed if tone_norm(printed) == tone_norm(canonical) else canonical).split())
            i += province[1]
            continue
        if word in ("-", "–") and i + 1 < len(words) and _match(words, i + 1, _PLACE_KEYS):
            i += 1  # a rule read as a dash between the kind of body and its unit
            continue
        low = word.lower()
        if low in _CONNECTORS:
            out.append(low)
            mode = "name-start" if mode == "name" else mode
        elif is_acronym(word):
            out.append(word.upper())
        elif mode == "place" or not is_vietnamese_syllable(word):
            out.append(_title(word))
        elif mode in ("start", "name-start") or (enterprise and i in word_starts):
            out.append(_title(word))
            mode = "name"
        else:
            out.append(low)
        i += 1
    text = " ".join(out)
    return text[:1].upper() + text[1:] if text else text
