"""A subject (trích yếu) without the dust OCR adds to it.

A scan's specks and the rules of the header are read as punctuation (`-_`, `'`, `.`) or
as letters no Vietnamese word has (`Bảoø`); a trích yếu holds none of those: it is one
phrase, with no closing stop, no quotes of straight ticks, no letters outside the
Vietnamese alphabet. Dashes are kept where the letter itself prints them
(`kinh tế - xã hội`, `Bến Thành - Suối Tiên`).
"""

from __future__ import annotations

import re
from collections import Counter

from .fuzzy import fold
from .headlines import is_capital_line

_DUST = re.compile(r"(?<!\S)[.`'_~^·:;|]+(?!\S)")
# Letters of the Vietnamese alphabet, and the Latin ones that names and acronyms borrow (`Wifi`).
_ALPHABET = set(
    "abcdefghijklmnopqrstuvwxyzđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
)
_VOWELS = set("aeiouyăâêôơư") | set(_ALPHABET) - set("abcdefghijklmnopqrstuvwxyzđ")
_WORD = re.compile(r"[^\W\d_]+")


def clean_subject(text: str) -> str | None:
    """Subject lines joined, without OCR dust: lone dots and ticks between words, ticks glued
    to a word (`'THÁC`), a dot glued before a lower-case word (`đổi. số`) or inside a capital
    subject (`TIN. HỌC`), a dash or rule glued to the next word (`-quốc`, `-_y`), letters no
    Vietnamese word has at a word's edge (`Bảoø`), rules and dashes before the first word,
    trailing dots, dashes and colons (a trích yếu has no closing stop)."""
    text = _DUST.sub(" ", " ".join(text.split()))
    text = re.sub(r"(?<!\S)['`]+(?=\w)|(?<=\w)['`]+(?!\S)", "", text)
    text = re.sub(r"(?<=[^\W\d_])\.(?=\s+[^\W\d_A-ZĐÀ-Ỹ])", "", text)
    if is_capital_line(text):
        text = _SYLLABLE_STOP.sub(_drop_syllable_stop, text)
    text = re.sub(r"(?<=\s)[-–_~]+(?=[^\W\d_])", "", text)
    text = _WORD.sub(_alien_edges, text)
    text = re.sub(r"^[\W_]+(?=\w)", "", " ".join(text.split()))
    text = re.sub(r"(?:\s*(?:\.+|[:;`'_~^|—–-]+))+$", "", text).strip()
    return text or None


_SYLLABLE_STOP = re.compile(r"(?<![^\W\d_])([^\W\d_]+)\.(?=\s+[^\W\d_])")


def _drop_syllable_stop(m: re.Match[str]) -> str:
    """Inside a capital subject a syllable is never followed by a stop; `TP.` (no vowel) abbreviates."""
    return m.group(1) if any(c in _VOWELS for c in m.group(1).lower()) else m.group(0)


def _alien_edges(m: re.Match[str]) -> str:
    """`Bảoø` → `Bảo`: letters outside the alphabet at a word's edges go, when a word is left."""
    word = m.group(0)
    kept = word.strip("".join({c for c in word if c.lower() not in _ALPHABET}))
    return kept if len(kept) >= 2 and all(c.lower() in _ALPHABET for c in kept) else word


def undash(value: str, table: dict[str, Counter[str]]) -> str:
    """A lone dash between two lower-case words (`doanh nghiệp - hỗ trợ`) is a speck or a
    line-end rule when the rest of the letter (`table`, from `consensus.spellings`) writes
    the two words side by side; `kinh tế - xã hội` keeps its dash, the letter never joins them."""

    def drop(m: re.Match[str]) -> str:
        pair = f"{m['a']} {m['b']}".lower()
        joined = m["a"][:1].islower() and m["b"][:1].islower() and table.get(fold(pair), Counter())[pair] > 0
        return f"{m['a']} {m['b']}" if joined else m.group(0)

    return re.sub(r"(?<![^\W\d_])(?P<a>[^\W\d_]+) [-–] (?P<b>[^\W\d_]+)", drop, value)
