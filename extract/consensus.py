"""Repair OCR's lost or wrong tone marks in a short value from the rest of the same letter.

Tesseract reads `chuyển đổi số` as `chuyển đối số` or `Tổ quốc` as `Tô quôc` in one
place and right in others. A subject's words nearly always recur in the body, so a
word pair whose spelling the rest of the letter never (or at most half as often) gives,
while one other spelling of the same letters (marks ignored) clearly leads, takes that
spelling. Only marks change, never letters, and only on evidence from the document itself.

A pair the letter spells no better (`Thành phô` three times, `Thành phố` once) is
re-marked when the dictionary knows exactly one spelling of its letters that the
letter also uses, and not the pair as read.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources

from .fuzzy import fold
from .places import tone_norm
from .tonemarks import unhooks

_WORD = re.compile(r"[^\W\d_]+")


def _pairs(text: str) -> list[tuple[re.Match[str], re.Match[str]]]:
    """Adjacent words with nothing but spaces between them."""
    words = list(_WORD.finditer(text))
    return [(a, b) for a, b in zip(words, words[1:], strict=False) if not text[a.end() : b.start()].strip()]


def spellings(corpus: str) -> dict[str, Counter[str]]:
    """Folded word pair → how often each spelling (lower case) occurs in `corpus`."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for a, b in _pairs(corpus):
        pair = f"{a.group(0)} {b.group(0)}".lower()
        table[fold(pair)][pair] += 1
    return table


@lru_cache(maxsize=8)
def _letter_table(whole: str) -> dict[str, Counter[str]]:
    return dict(spellings(whole))  # a plain dict: a stray `table[key]` fails, never adds


def letter_spellings(whole: str, own: str = "") -> dict[str, Counter[str]]:
    """`spellings` of a letter's text less the votes of `own`, a value read from it (its own
    reading is no vote for itself). The letter's table is counted once and shared by every
    value's repair (a letter asks about twenty times): read it, never change its counts."""
    base = _letter_table(whole)
    if not own:
        return base
    table = dict(base)
    for key, counts in spellings(own).items():
        mine = Counter(base.get(key, Counter()))
        mine.subtract(counts)
        table[key] = mine
    return table


@lru_cache(maxsize=1)
def two_syllable_words() -> frozenset[str]:
    """Two-syllable words of the Viet74K word list underthesea ships (lower case)."""
    try:
        text = resources.files("underthesea").joinpath("corpus/data/Viet74K.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return frozenset()
    return frozenset(w.strip().lower() for w in text.split("\n") if len(w.split()) == 2)


def respell(
    value: str,
    table: dict[str, Counter[str]],
    lexicon: frozenset[str] = frozenset(),
    protected: frozenset[str] = frozenset(),
) -> str:
    """`value` with each word pair that the letter never spells so re-marked as the letter does.

    Words in `protected` (lower case) stay as they are: spellings already taken from a lexicon.
    """
    proposals: dict[int, set[str]] = defaultdict(set)  # word start → replacement words
    pairs = _pairs(value)
    # A word inside a dictionary word as read (`chuyển đổi` of `chuyển đổi số`) is no misread.
    in_word = {m.start() for a, b in pairs if f"{a.group(0)} {b.group(0)}".lower() in lexicon for m in (a, b)}
    for a, b in pairs:
        pair = f"{a.group(0)} {b.group(0)}".lower()
        counts = table.get(fold(pair))
        if not counts:
            continue
        own = max(counts[pair], 0)
        # Old and new tone placement (`thoả`/`thỏa`) are both as printed: no repair between them.
        ranked = [(s, n) for s, n in counts.most_common() if tone_norm(s) != tone_norm(pair) and n > 0]
        if not ranked:
            continue
        best, votes = ranked[0]
        known = [s for s, _ in ranked if s in lexicon]
        if pair not in lexicon and len(known) == 1 and not {a.start(), b.start()} & in_word:
            best = known[0]
        elif votes < 2 or votes < 2 * own or (len(ranked) > 1 and ranked[1][1] == votes):
            continue
        new_a, new_b = best.split(" ")
        proposals[a.start()].add(_like(a.group(0), new_a))
        proposals[b.start()].add(_like(b.group(0), new_b))
    words = list(_WORD.finditer(value))
    out = value
    for i in reversed(range(len(words))):
        word = words[i]
        choices = proposals.get(word.start(), set())
        if len(choices) != 1 or word.group(0).lower() in protected:
            continue  # two pairs disagree about this word: leave it as read
        choice = choices.pop()
        if unhooks(word.group(0), choice):
            continue  # a hooked reading (`đổi`) outvoted by acute ones (`đối`) is the right one
        left = words[i - 1].group(0) if i else None
        right = words[i + 1].group(0) if i + 1 < len(words) else None
        if _in_words(left, choice, right, lexicon) < _in_words(left, word.group(0), right, lexicon):
            continue  # `thành phố` as read is a word; `thành phó` would not be
        out = out[: word.start()] + choice + out[word.end() :]
    return out


def _in_words(left: str | None, word: str, right: str | None, lexicon: frozenset[str]) -> int:
    """How many dictionary words `word` makes with its neighbours."""
    pairs = [f"{left} {word}" if left else "", f"{word} {right}" if right else ""]
    return sum(p.lower() in lexicon for p in pairs if p)


def _like(printed: str, spelling: str) -> str:
    """`spelling` in the letter case of `printed` (`Tô` + `tổ` → `Tổ`, `QUÔC` + `quốc` → `QUỐC`)."""
    if printed.isupper() and len(printed) > 1:
        return spelling.upper()
    return "".join(s.upper() if p.isupper() else s for p, s in zip(printed, spelling, strict=False))


def unglue(value: str, table: dict[str, Counter[str]]) -> str:
    """Words OCR glued (`THÔNGTIN`) split as the letter spells the pair at least twice (`thông tin`)."""
    squashed: dict[str, Counter[str]] = defaultdict(Counter)
    for key, counts in table.items():
        squashed[key.replace(" ", "")].update({k: n for k, n in counts.items() if n > 0})

    def split(m: re.Match[str]) -> str:
        word = m.group(0)
        counts = squashed.get(fold(word))
        if len(word) < 3 or not counts:
            return word
        ranked = counts.most_common(2)
        if ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return word
        spelling = ranked[0][0]
        if fold(spelling.replace(" ", "")) != fold(word):
            return word
        left, right = spelling.split(" ")
        return _like(word[: len(left)], left) + " " + _like(word[len(left) :], right)

    return _WORD.sub(split, value)

