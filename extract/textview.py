"""Text of positioned lines with a way back from characters to word boxes.

Rules in `extract/` run regular expressions and fuzzy matches over plain text;
a `TextView` keeps, for every character, the word it came from, so that any
match can be turned into evidence (page, box, text, confidence).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.model import Line, Word, union_bbox

from .model import Region

LOW_CONFIDENCE = 60.0  # mean Tesseract word confidence under which a value is flagged


@dataclass(frozen=True)
class PlacedWord:
    page: int
    word: Word
    start: int  # offset of the word's first character in TextView.text
    end: int


@dataclass(frozen=True)
class TextView:
    """Lines joined with '\\n', words with ' ', NFC-normalised, with char → word map."""

    text: str
    words: tuple[PlacedWord, ...]
    line_starts: tuple[int, ...]

    @classmethod
    def of(cls, lines: Iterable[tuple[int, Line]]) -> TextView:
        parts: list[str] = []
        placed: list[PlacedWord] = []
        starts: list[int] = []
        pos = 0
        for i, (page, line) in enumerate(lines):
            if i:
                parts.append("\n")
                pos += 1
            starts.append(pos)
            for j, word in enumerate(line.words):
                if j:
                    parts.append(" ")
                    pos += 1
                text = nfc(word.text)
                parts.append(text)
                placed.append(PlacedWord(page, word, pos, pos + len(text)))
                pos += len(text)
        return cls("".join(parts), tuple(placed), tuple(starts))

    @classmethod
    def of_text(cls, text: str) -> TextView:
        """A view of plain text (no layout): one line per line, boxes by line and column."""
        lines = []
        for y, raw in enumerate(nfc(text).split("\n")):
            words = []
            x = 0
            for token in raw.split():
                words.append(Word(token, (x * 10.0, y * 20.0, (x + len(token)) * 10.0, y * 20.0 + 16)))
                x += len(token) + 1
            lines.append((1, Line(tuple(words))))
        return cls.of(lines)

    def words_in(self, start: int, end: int) -> list[PlacedWord]:
        return [w for w in self.words if w.end > start and w.start < end]

    def regions(self, start: int, end: int) -> list[Region]:
        """Evidence for text[start:end]: one region per page and line it spans."""
        groups: dict[int, list[PlacedWord]] = {}
        for pw in self.words_in(start, end):
            groups.setdefault(self.line_index(pw.start), []).append(pw)
        out = []
        for pws in groups.values():
            confs = [p.word.confidence for p in pws if p.word.confidence is not None]
            conf = sum(confs) / len(confs) if confs else None
            out.append(
                Region(
                    page=pws[0].page,
                    bbox=union_bbox(p.word.bbox for p in pws),
                    text=" ".join(nfc(p.word.text) for p in pws),
                    confidence=None if conf is None else round(conf, 1),
                    low_confidence=conf is not None and conf < LOW_CONFIDENCE,
                )
            )
        return out

    def line_index(self, offset: int) -> int:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def join_lines(parts: Sequence[str]) -> str:
    """Join OCR lines of one value into one string with single spaces."""
    return " ".join(" ".join(p.split()) for p in parts if p.strip())
