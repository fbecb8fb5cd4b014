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
from functools import lru_cache

from rapidfuzz.distance import Hamming

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
    to a word (`'THÁC`), stops and colons glued before a word (`:Tổ quốc`), a dot glued before a
    lower-case word (`đổi. số`) or after a syllable inside a capital subject (`TIN. HỌC`), a dash
    or rule glued to the next word (`-quốc`, `-_y`), letters no Vietnamese word has at a word's
    edge (`Bảoø`), a stop glued between two words (`sung.các`), rules and dashes before the first
    word, trailing dots, commas, dashes and colons (a trích yếu has no closing stop); a closing
    quote takes its opening quote's style."""
    text = _DUST.sub(" ", " ".join(text.split()))
    text = re.sub(r"(?<!\S)['`]+(?=\w)|(?<!\S)[.:;,]+(?=[^\W\d_])|(?<=\w)['`]+(?!\S)", "", text)
    text = re.sub(r"(?<=[^\W\d_])\.(?=\s+[^\W\d_A-ZĐÀ-Ỹ])", "", text)
    if is_capital_line(text):
        text = _SYLLABLE_STOP.sub(_drop_syllable_stop, text)
    text = re.sub(r"(?<=\s)[-–_~]+(?=[^\W\d_])", "", text)
    text = _WORD.sub(_alien_edges, text)
    text = _GLUED_STOP.sub(_unglue_stop, text)
    text = re.sub(r"^[\W_]+(?=\w)", "", " ".join(text.split()))
    text = re.sub(r"(?:\s*(?:\.+|[:;,`'_~^|—–-]+))+$", "", text).strip()
    return _QUOTED.sub(_pair_quotes, text) or None


# A quoted phrase: its opening quote, its words, its closing quote.
_QUOTED = re.compile(r"([\"“])([^\"“”]+)([\"”])")


def _pair_quotes(m: re.Match[str]) -> str:
    """`"Bình dân học vụ số”` → `"Bình dân học vụ số"`: a letter's quotes are a pair of one
    style, and Tesseract reads a straight closing quote as `”` at times (its opening one, and
    curly quotes, as printed), so the closing quote takes the opening one's style."""
    opening, words, _ = m.groups()
    return opening + words + ('"' if opening == '"' else "”")


# `bổ sung.các`: a stop between two words, one of them marked (not a domain: `dichvucong.gov.vn`).
_GLUED_STOP = re.compile(r"(?<![\w.])([^\W\d_]+)\.([^\W\d_]+)(?![\w.])")
_SYLLABLE_STOP = re.compile(r"(?<![^\W\d_])([^\W\d_]+)[.:;]+(?=\s+[^\W\d_])")


def _unglue_stop(m: re.Match[str]) -> str:
    marked = any(not c.isascii() for c in m.group(0))
    return f"{m.group(1)} {m.group(2)}" if marked else m.group(0)


def _drop_syllable_stop(m: re.Match[str]) -> str:
    """Inside a capital subject a syllable is never followed by a stop or colon (`BAN HÀNH.:`);
    `TP.` (no vowel) abbreviates."""
    return m.group(1) if any(c in _VOWELS for c in m.group(1).lower()) else m.group(0)


def _alien_edges(m: re.Match[str]) -> str:
    """`Bảoø` → `Bảo`: letters outside the alphabet at a word's edges go, when a word is left."""
    word = m.group(0)
    kept = word.strip("".join({c for c in word if c.lower() not in _ALPHABET}))
    return kept if len(kept) >= 2 and all(c.lower() in _ALPHABET for c in kept) else word


def undash(value: str, table: dict[str, Counter[str]]) -> str:
    """A lone dash before a lower-case word (`doanh nghiệp - hỗ trợ`, `DTI - của`) is a speck or a
    line-end rule when the rest of the letter (`table`, from `consensus.spellings`) writes
    the two words side by side; `kinh tế - xã hội` keeps its dash, the letter never joins them."""

    def drop(m: re.Match[str]) -> str:
        pair = f"{m['a']} {m['b']}".lower()
        joined = m["b"][:1].islower() and table.get(fold(pair), Counter())[pair] > 0
        return f"{m['a']} {m['b']}" if joined else m.group(0)

    return re.sub(r"(?<![^\W\d_])(?P<a>[^\W\d_]+) [-–] (?P<b>[^\W\d_]+)", drop, value)


def unglue_words(value: str, table: dict[str, Counter[str]]) -> str:
    """`tỉnhGiaLai` → `tỉnh Gia Lai`: syllables OCR ran together, split where a capital follows a
    small letter when the rest of the letter (`table`) prints each pair apart."""

    def split(m: re.Match[str]) -> str:
        word = m.group(0)
        cuts = [i for i in range(1, len(word)) if word[i - 1].islower() and word[i].isupper()]
        parts = [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True)]
        pairs = [f"{a} {b}".lower() for a, b in zip(parts, parts[1:], strict=False)]
        seen = all(table.get(fold(p), Counter())[p] > 0 for p in pairs)
        return " ".join(parts) if cuts and seen else word

    return _WORD.sub(split, value)


def unwrap_dashes(value: str, lines: list[str], whole: str) -> str:
    """A lone dash at the end or start of a subject line before a lower-case word (`công trình -`
    / `khẩn cấp`, `DTI` / `- của`) is a speck at the line's edge, unless the letter prints the
    same words with a dash elsewhere too (`kinh tế -` / `xã hội`)."""
    folded_whole = " ".join(fold(whole).split())
    for above, below in zip(lines, lines[1:], strict=False):
        a, b = above.split(), below.split()
        if b and b[0] in ("-", "–"):
            a, b = [*a, b[0]], b[1:]
        if len(a) < 2 or not b or a[-1] not in ("-", "–") or not b[0][:1].islower():
            continue
        dashed = f"{a[-2]} {a[-1]} {b[0]}"
        if folded_whole.count(fold(dashed)) < 2:
            value = value.replace(dashed, f"{a[-2]} {b[0]}", 1)
    return value


_ACRONYM = re.compile(r"(?<![\w/-])[A-ZĐ][A-ZĐ0-9]{2,7}(?![\w/-])")  # not a group of a symbol
MIN_PRINTS = 2  # the letter's own spelling must be printed this often outside the value


def reacronym(value: str, whole: str) -> str:
    """`Tập đoàn VNET` → `VNPT`: an acronym the letter prints nowhere but in this value is the
    one acronym of the same length, one character apart, that it prints at least twice
    elsewhere (OCR misread it in one place, `E` for `P`). One reading against one is no
    evidence either way (`DTI` in the subject, `DTT` once in the body): it stays as read. In a
    value all in capitals (`THUÊ BAO`) syllables cannot be told from acronyms: none changes."""
    if is_capital_line(value):
        return value
    printed = _printed_acronyms(whole) - Counter(_ACRONYM.findall(value))

    def repair(m: re.Match[str]) -> str:
        read = m.group(0)
        if printed[read] > 0:
            return read
        near = [k for k, n in printed.items() if n >= MIN_PRINTS and _one_apart(read, k)]
        return near[0] if len(near) == 1 else read

    return _ACRONYM.sub(repair, value)


@lru_cache(maxsize=8)
def _printed_acronyms(whole: str) -> Counter[str]:
    """How often the letter prints each acronym, counted once a letter (several of its values
    ask); callers get a new Counter from `-`, never this one to change."""
    return Counter(_ACRONYM.findall(whole))


def _one_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and Hamming.distance(a, b) == 1


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
