"""OCR'd names take the tone marks the rest of the letter (and the dictionary) give their words.

Tesseract reads `Thành phố` as `Thành phô` or `Thành phó` in one place and right in
others; `consensus` (shared with the header rules) re-marks a word pair that the letter
spells otherwise, letters never changed. Only values read by OCR are touched: a text
layer or plain text is spelled as printed, typos included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from .consensus import respell, spellings, two_syllable_words
from .model import Region


@lru_cache(maxsize=8)
def _table(whole: str) -> dict[str, Counter[str]]:
    return spellings(whole)


def respelled(value: str, regions: Sequence[Region], whole: str) -> str:
    if not value or not regions or all(r.confidence is None for r in regions):
        return value
    try:
        base = _table(whole)
        table = dict(base)
        for key, counts in spellings(value).items():  # the value's own reading is no vote
            mine = Counter(base.get(key, Counter()))
            mine.subtract(counts)
            table[key] = mine
        return respell(value, table, two_syllable_words())
    except Exception:  # a repair that fails leaves the value as read
        return value
