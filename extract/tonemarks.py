"""The hook above (dấu hỏi) that OCR reads as an acute (dấu sắc): `chuyển đối số`, `đấy mạnh`.

Measured on the sample scans, Tesseract reads `đổi` as `đối` one time in five, `đẩy` as
`đấy`, `bổ` as `bố`, `tổng` as `tống`, and almost never the other way round. So a syllable
read with an acute is taken as its hooked twin when that twin makes more dictionary words
with its neighbours (`thúc đẩy`, not `thúc đấy`: the letter's other readings of the pair
share the misread, so they are no counter-evidence), or as many and the rest of the
letter spells it hooked at least as often as read: with errors running one way, a letter
that prints both spellings of a pair was printed hooked.
"""

from __future__ import annotations

import re
from collections import Counter

from .fuzzy import fold

_ACUTE = "áắấéếíóốớúứýÁẮẤÉẾÍÓỐỚÚỨÝ"
_HOOK = "ảẳẩẻểỉỏổởủửỷẢẲẨẺỂỈỎỔỞỦỬỶ"
_TO_HOOK = str.maketrans(_ACUTE, _HOOK)
_WORD = re.compile(r"[^\W\d_]+")


def rehook(value: str, table: dict[str, Counter[str]], lexicon: frozenset[str]) -> str:
    """`value` with each acute syllable the dictionary or the letter (`table`, from
    `consensus.spellings`, the value's own reading not counted) says is hooked."""
    words = list(_WORD.finditer(value))
    out = value
    for i in reversed(range(len(words))):
        word = words[i].group(0)
        hooked = word.translate(_TO_HOOK)
        if hooked == word:
            continue
        left = words[i - 1].group(0) if i and _adjacent(value, words[i - 1], words[i]) else None
        right = (
            words[i + 1].group(0) if i + 1 < len(words) and _adjacent(value, words[i], words[i + 1]) else None
        )
        if _hooked_reads_better(left, word, hooked, right, table, lexicon):
            out = out[: words[i].start()] + hooked + out[words[i].end() :]
    return out


def unhooks(read: str, spelling: str) -> bool:
    """Whether `spelling` is `read` with a hook turned acute: the way OCR errs, never a repair."""
    return spelling != read and spelling.translate(_TO_HOOK) == read


def _adjacent(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    return not text[a.end() : b.start()].strip()


def _hooked_reads_better(
    left: str | None,
    read: str,
    hooked: str,
    right: str | None,
    table: dict[str, Counter[str]],
    lexicon: frozenset[str],
) -> bool:
    pairs_read, pairs_hooked = _pairs(left, read, right), _pairs(left, hooked, right)
    words_read = sum(p in lexicon for p in pairs_read)
    words_hooked = sum(p in lexicon for p in pairs_hooked)
    if words_hooked != words_read:
        # The dictionary decides: the letter's other readings of the pair share the misread.
        return words_hooked > words_read
    votes_read, votes_hooked = _votes(pairs_read, table), _votes(pairs_hooked, table)
    return votes_hooked >= 1 and votes_hooked >= votes_read


def _pairs(left: str | None, word: str, right: str | None) -> list[str]:
    return [f"{a} {b}".lower() for a, b in ((left, word), (word, right)) if a and b]


def _votes(pairs: list[str], table: dict[str, Counter[str]]) -> int:
    return sum(max(table.get(fold(p), Counter())[p], 0) for p in pairs)
