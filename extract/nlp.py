"""Vietnamese word segmentation, POS tags and token patterns, loaded once and lazily.

Vietnamese writes one syllable per space-separated unit; a word (`Thông tin`, `chủ trì`,
`phối hợp`) is often two or three syllables. underthesea's segmenter groups the syllables
into words and its tagger marks verbs (`V`); spaCy's `Matcher` then runs token patterns
(a directive verb such as `Giao` / `Đề nghị` followed by a body) over the words. Both
models are slow to load (~0.5 s) and the tagger costs a few ms per clause, so they are
loaded on first use and called only on the short spans the rules ask about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .fuzzy import fold


@dataclass(frozen=True)
class Token:
    """One segmented word of a text: its text, offsets in that text, POS tag."""

    text: str
    start: int
    end: int
    tag: str = ""

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


@lru_cache(maxsize=64)
def folded_text(text: str) -> str:
    """`fold` of a whole view's text (same length, same offsets), computed once per text."""
    return fold(text)


_SYLLABLE = re.compile(r"\w+(?:[&.\-/]\w+)*|[^\w\s]", re.UNICODE)


def syllables(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Syllables and punctuation marks with offsets: the fallback tokens when the models fail."""
    stop = len(text) if end is None else end
    return [Token(m.group(), m.start(), m.end()) for m in _SYLLABLE.finditer(text, start, stop)]


@lru_cache(maxsize=1)
def _underthesea() -> Any:
    try:
        import underthesea

        return underthesea
    except Exception:  # a broken install degrades to syllables, never to a crash
        return None


@lru_cache(maxsize=2048)
def _segment(text: str) -> tuple[str, ...]:
    uts = _underthesea()
    if uts is None:
        return ()
    try:
        return tuple(uts.word_tokenize(text))
    except Exception:
        return ()


@lru_cache(maxsize=2048)
def _pos(text: str) -> tuple[tuple[str, str], ...]:
    uts = _underthesea()
    if uts is None:
        return ()
    try:
        return tuple((w, t) for w, t in uts.pos_tag(text))
    except Exception:
        return ()


def _place(
    words: tuple[str, ...] | list[str], text: str, start: int, tags: list[str] | None = None
) -> list[Token]:
    """Find each segmented word in `text` (the segmenter drops offsets and may rejoin spaces)."""
    out: list[Token] = []
    pos = start
    for i, word in enumerate(words):
        parts = word.split()
        if not parts:
            continue
        first = text.find(parts[0], pos)
        if first < 0:
            return []
        end = first + len(parts[0])
        for part in parts[1:]:
            nxt = text.find(part, end)
            if nxt < 0 or text[end:nxt].strip():
                return []
            end = nxt + len(part)
        out.append(Token(text[first:end], first, end, tags[i] if tags else ""))
        pos = end
    return out


def words(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Segmented words of text[start:end] with offsets into `text` (syllables if segmentation fails)."""
    stop = len(text) if end is None else end
    span = text[start:stop]
    placed = _place(_segment(span), text, start) if span.strip() else []
    return placed or syllables(text, start, stop)


def tagged(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Segmented words with underthesea POS tags (`V` verb, `N` noun, `Np` proper noun ...)."""
    stop = len(text) if end is None else end
    span = text[start:stop]
    pairs = _pos(" ".join(span.split())) if span.strip() else ()
    placed = _place([w for w, _ in pairs], text, start, [t for _, t in pairs]) if pairs else []
    return placed or syllables(text, start, stop)


# --- spaCy Matcher over segmented words ---------------------------------------------------

# Verbs by which a letter hands work to a body: `Giao Sở X ...`, `Đề nghị Tập đoàn Y ...`.
# Not `chỉ đạo`: `UBND các tỉnh chỉ đạo Sở X ...` makes its subject the one who must act.
# `kính trình` / `trình`: a tờ trình submits a matter for the addressee to decide.
TRIGGER_VERBS = (
    "giao",
    "giao cho",
    "đề nghị",
    "yêu cầu",
    "ủy quyền",
    "uỷ quyền",
    "phân công",
    "trình",
    "kính trình",
)


@lru_cache(maxsize=1)
def _matcher() -> Any:
    try:
        import spacy
        from spacy.matcher import Matcher

        nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
        matcher = Matcher(nlp.vocab)
        # The verb, optionally `cho` / `đồng chí`, then a word that can open a body's name.
        matcher.add(
            "TRIGGER",
            [
                [
                    {"NORM": {"IN": [fold(v) for v in TRIGGER_VERBS]}},
                    {"NORM": {"IN": ["cho", "dong chi", "d/c"]}, "OP": "?"},
                    {"IS_PUNCT": False},
                ]
            ],
        )
        return nlp, matcher
    except Exception:
        return None


def trigger_positions(tokens: list[Token]) -> list[int]:
    """Indexes of directive verbs (`Giao`, `Đề nghị`, `Yêu cầu` ...) that are followed by a word,
    not by `của` (`đề nghị của Sở X` is a noun: the proposal of X)."""
    if not tokens:
        return []
    loaded = _matcher()
    if loaded is None:
        wanted = {fold(v) for v in TRIGGER_VERBS}
        return [i for i, t in enumerate(tokens) if t.folded in wanted]
    nlp, matcher = loaded
    from spacy.tokens import Doc

    doc = Doc(
        nlp.vocab,
        words=[t.text for t in tokens],
        spaces=[False] * len(tokens),
        tags=[t.tag or "X" for t in tokens],
    )
    for tok, t in zip(doc, tokens, strict=True):
        tok.norm_ = t.folded
    found = sorted({start for _, start, _ in matcher(doc)})
    return [i for i in found if i + 1 < len(tokens) and tokens[i + 1].folded not in ("cua", "voi")]
