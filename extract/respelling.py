"""OCR'd names take the tone marks the rest of the letter (and the dictionary) give their words.

Tesseract reads `Thành phố` as `Thành phô` or `Thành phó` in one place and right in
others; `consensus` (shared with the header rules) re-marks a word pair that the letter
spells otherwise, letters never changed. Only values read by OCR are touched: a text
layer or plain text is spelled as printed, typos included.
"""

from __future__ import annotations

from collections.abc import Sequence

from .consensus import letter_spellings, respell, two_syllable_words
from .model import Region


def respelled(value: str, regions: Sequence[Region], whole: str) -> str:
    if not value or not regions or all(r.confidence is None for r in regions):
        return value
    try:
        return respell(value, letter_spellings(whole, value), two_syllable_words())
    except Exception:  # a repair that fails leaves the value as read
        return value
