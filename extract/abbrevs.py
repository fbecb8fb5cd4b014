"""OCR repairs of the abbreviations in short values (distribution items): `TGĐÐ`, `TIr`, `VXI`.

Distribution lists are made of abbreviations (`TTr HĐND`, `Ban TGĐ`, `Lưu: VT, VX1`) that no
dictionary knows, so OCR slips in them survive every word-level repair. Two slips are regular:

- Tesseract reads one `Đ` as two or three glyphs mixing `Đ` (U+0110) and the look-alike `Ð`
  (U+00D0, Icelandic eth), which Vietnamese text never uses: such a run is one `Đ`.
- It reads a serif `T` or a `1` as `I`. An abbreviation with an `I` that the letter gives
  nowhere else, when exactly one spelling with that `I` read as `T` or `1` occurs elsewhere in
  the same letter (`TTr` beside `TIr`, the symbol's `VX1` for the list's `VXI`), takes it.
"""

from __future__ import annotations

import re

_ETH_RUN = re.compile("[ĐÐ]*Ð[ĐÐ]*")
_ABBREV = re.compile(r"(?<![\w&])(?=(?:\w*[A-ZĐ]){2})\w*I\w*(?![\w&])")
_LOOKALIKES = ("T", "1")


def one_d(text: str) -> str:
    """`TGĐÐĐ` → `TGĐ`, `ÐĐL` → `ĐL`."""
    return _ETH_RUN.sub("Đ", text)


def lookalikes(text: str, letter: str) -> str:
    """`text` with each abbreviation's misread `I` restored from the rest of `letter`."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if _count(word, letter) > 1:
            return word  # the letter spells it so more than once: as printed
        found = {c for c in _readings(word) if _count(c, letter) >= 1}
        return found.pop() if len(found) == 1 else word

    return _ABBREV.sub(fix, text)


def _readings(word: str) -> set[str]:
    return {word[:i] + alt + word[i + 1 :] for i, ch in enumerate(word) if ch == "I" for alt in _LOOKALIKES}


def _count(word: str, letter: str) -> int:
    return len(re.findall(rf"(?<![\w&]){re.escape(word)}(?![\w&])", letter))
