"""OCR specks inside body text, blanked in place (same length, so offsets and evidence hold).

On degraded scans Tesseract reads dust and stroke ends as marks glued to words: `Sở:'Nông
nghiệp`, `cá nhân có-liên quan`, `thử nghiệm,\n-hoàn thành`, `'Thủ trưởng` at a line start.
They break the grammar that finds bodies and tasks (`Sở:'Nông` is no body's name), and
Vietnamese never writes them: no word holds an apostrophe, and a hyphen joins no two lower-case
syllables. Only OCR'd text is touched, and never a web or mail address, whose hyphens are printed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .textview import TextView

_LOWER = "a-zà-ỹđ"
_SPECK = re.compile(
    r"(?<=[^\W\d_])[:;]?['‘’`´]+(?=[^\W\d_])"  # `Sở:'Nông`
    rf"|(?<=[{_LOWER},])-(?=[{_LOWER}])"  # `có-liên`, `xét,-giải`
    rf"|(?<=\s)-(?=[{_LOWER}])"  # `-hoàn` at a line start: a list dash is followed by a space
    r"|(?:(?<=\n)|^)['‘’`´ˆ]+(?=\s?[^\W\d_])"  # `'Thủ trưởng`, `ˆ` Điều 1.` at a line start
)
_ADDRESS = re.compile(r"\S*(?:://|@|www\.)\S*")


def despeckled(view: TextView) -> TextView:
    """`view` with OCR's glued specks turned to spaces; a typed or text-layer view as it is."""
    if not any(p.word.confidence is not None for p in view.words):
        return view
    text = view.text
    addresses = [m.span() for m in _ADDRESS.finditer(text)]

    def blank(m: re.Match[str]) -> str:
        inside = any(s <= m.start() < e for s, e in addresses)
        return m.group(0) if inside else " " * len(m.group(0))

    cleaned = _SPECK.sub(blank, text)
    return view if cleaned == text else replace(view, text=cleaned)
