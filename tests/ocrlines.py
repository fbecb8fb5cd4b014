"""Lines as Tesseract gives them, for unit tests of what ingest does with a page pass's lines:
one word per space-separated token, laid left to right at fixed widths."""

from __future__ import annotations

from ingest.model import Line, Word


def ocr_line(
    text: str,
    x: float,
    y: float,
    conf: float = 95.0,
    *,
    height: float = 40.0,
    char_width: float = 30.0,
    gap: float = 20.0,
) -> Line:
    words, left = [], x
    for token in text.split():
        width = char_width * len(token)
        words.append(Word(token, (left, y, left + width, y + height), conf))
        left += width + gap
    return Line(tuple(words))
