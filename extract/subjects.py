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


UNREAD = 30.0  # OCR confidence under which a subject word is taken as not read at all
_ANCHOR = 2  # words read on each side of a gap, to find the same place in the body


def fill_gaps(value: str, unread: set[str], body: str) -> str:
    """Words OCR could not read (`ĐIỆN TỬ Ti nn ĐỊA BÀN`, confidence 0) replaced by the words the
    body prints between the same neighbours (`điện tử trên địa bàn`): a decision restates its
    subject in Điều 1, a công văn in its first paragraph. Only one reading of the gap may be
    found there, never the gap as read."""
    tokens = value.split()
    keys = [_bare(t) for t in tokens]
    body_tokens = body.split()
    body_keys = [_bare(t) for t in body_tokens]
    for start, end in reversed(_runs([t in unread for t in tokens])):
        left, right = keys[max(start - _ANCHOR, 0) : start], keys[end : end + _ANCHOR]
        if len(left) < _ANCHOR or len(right) < _ANCHOR:
            continue
        fills = {
            " ".join(body_tokens[i + len(left) : j]).strip(",;")
            for i, j in _between(body_keys, left, right, max_gap=end - start + 1)
        }
        fills = {f for f in fills if fold(f) != fold(" ".join(tokens[start:end]))}
        if len({fold(f) for f in fills}) == 1:
            fill = fills.pop()
            capital = is_capital_line(" ".join(tokens[max(start - _ANCHOR, 0) : end + _ANCHOR]))
            tokens[start:end] = (fill.upper() if capital else fill).split()
    return " ".join(tokens)


def _bare(token: str) -> str:
    return fold(token).strip(".,;:()\"'“”")


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of true flags."""
    out, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            out.append((start, i))
            start = None
    return out


def _between(keys: list[str], left: list[str], right: list[str], max_gap: int) -> list[tuple[int, int]]:
    """(i, j) for each place where `left`, then 1..max_gap words, then `right` occur in `keys`
    (`left` starts at i, `right` at j)."""
    out = []
    for i in range(len(keys) - len(left)):
        if keys[i : i + len(left)] != left:
            continue
        for gap in range(1, max_gap + 1):
            j = i + len(left) + gap
            if keys[j : j + len(right)] == right:
                out.append((i, j))
    return out
