"""The `ĐẾN` arrival stamp a receiving office puts on incoming paper, read from page 1.

The stamp is a box of printed labels filled in by hand, usually over the header's
right column:

    CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ        (the office that received it)
    ĐẾN  Số: 125   Giờ: 14h30
         Ngày: 28/4/2026

OCR reads the printed part well and the handwriting poorly, so every field is
optional: a stamp is recognised by an upper-case `ĐẾN` with a `Số`/`Giờ`/`Ngày` label
on its line or the next two, and each value is kept only when it parses and is in
range (hour 0-23, a real calendar date). The Letter contract has no arrival field:
the service keeps this beside its arrivals book.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ingest.model import Document

from .dates import iso_date
from .fuzzy import fold

# Dot leaders and underscores a stamp prints for the handwriting to fill.
_LEADERS = re.compile(r"[.…_]{2,}|…")
# `Số` counts as a stamp label unless a letter's own `Số: 12/KH-UBND` follows it.
_LABEL = re.compile(r"(?<![a-z])(?:gio|ngay|so(?!\s*[:.]?\s*\d+\s*/))(?![a-z])")
_NUMBER = re.compile(r"(?<![a-z])so\s*(?:den\s*)?[:.]?\s*(\d{1,6})(?![\d/])")
_TIME = re.compile(r"(?<![a-z])gio\s*[:.]?\s*(\d{1,2})(?:\s*(?:h|:|gio)\s*(\d{1,2})?)?(?!\d)")
_DATE = re.compile(r"(?<![a-z])ngay\s*[:.]?\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})(?!\d)")
_MOTTO = ("cong hoa", "doc lap", "tu do")
STAMP_LINES = 3  # the ĐẾN line and the two under it


@dataclass(frozen=True)
class ArrivalStamp:
    office: str | None  # the receiving office printed on the stamp
    number: int | None  # arrival number written in
    date: str | None  # ISO date of arrival
    time: str | None  # HH:MM

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _is_den(token: str) -> bool:
    word = token.strip(":.,;")
    return len(word) == 3 and word.isupper() and fold(word) == "den"


def _clean(text: str) -> str:
    return " ".join(_LEADERS.sub(" ", fold(text)).split())


def _office(lines: Sequence[str], at: int) -> str | None:
    """The printed line just above ĐẾN, if it reads like an office name in capitals."""
    for line in reversed(lines[max(0, at - 2) : at]):
        letters = [c for c in line if c.isalpha()]
        folded = fold(line)
        if (
            len(line.split()) >= 2
            and letters
            and sum(c.isupper() for c in letters) / len(letters) > 0.8
            and not any(m in folded for m in _MOTTO)
        ):
            return " ".join(line.split())
    return None


def _time(block: str) -> str | None:
    m = _TIME.search(block)
    if not m:
        return None
    hour, minute = int(m[1]), int(m[2]) if m[2] else 0
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def _date(block: str) -> str | None:
    m = _DATE.search(block)
    if not m:
        return None
    year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
    iso = iso_date(year, int(m[2]), int(m[1]))
    return iso if iso and len(iso) == 10 else None


def read_stamp(lines: Sequence[str]) -> ArrivalStamp | None:
    """The first ĐẾN stamp in these lines (one zone, top to bottom), or None."""
    for i, line in enumerate(lines):
        if not any(_is_den(t) for t in line.split()[:2]):
            continue  # the stamp's ĐẾN opens its line; in a title it stands mid-line
        block = _clean(" ".join(lines[i : i + STAMP_LINES]))
        if not _LABEL.search(block):
            continue  # an upper-case ĐẾN in a title (`ĐỊNH HƯỚNG ĐẾN NĂM 2030`), not a stamp
        number = _NUMBER.search(block)
        return ArrivalStamp(
            office=_office(lines, i),
            number=int(number[1]) if number else None,
            date=_date(block),
            time=_time(block),
        )
    return None


def read_arrival_stamp(doc: Document) -> ArrivalStamp | None:
    """The stamp on page 1, looked for zone by zone so the stamp's lines stay together."""
    if not doc.pages:
        return None
    for zone in doc.pages[0].zones:
        stamp = read_stamp([line.text for line in zone.lines])
        if stamp is not None:
            return stamp
    return None
