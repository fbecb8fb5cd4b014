"""Vietnamese dates as letters print them, validated so OCR misreads are rejected.

Forms: `ngày 14 tháng 8 năm 2023`, `ngày 14/8/2023`, `ngày 14.8.2023`, `ngày 14-8-2023`,
`trước ngày 20/8` (year from context), and blanks left for the clerk (`ngày   tháng 8
năm 2023` gives the partial date `2023-08`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

# OCR reads `ngày` as `ngay`, `ngảy`, `nqày`...; `tháng` as `thảng`, `thang`; `năm` as `nam`, `nǎm`.
NGAY = r"ng\w{1,2}y"
THANG = r"th\w{1,2}ng"
NAM = r"n\w{1,2}m"

_LONG = re.compile(
    rf"(?:{NGAY}\s*(?P<d>\d{{1,2}})?\s*)?{THANG}\s*(?P<m>\d{{1,2}})?\s*{NAM}\s*(?P<y>\d{{4}})?",
    re.IGNORECASE,
)
_SHORT = re.compile(r"(?<!\d)(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})(?:\s*[/.\-]\s*(?P<y>\d{4}))?(?![\d/])")
_MONTH = re.compile(rf"{THANG}\s*(?P<m>\d{{1,2}})\s*[/.\-]\s*(?P<y>\d{{4}})", re.IGNORECASE)


@dataclass(frozen=True)
class DateMatch:
    iso: str | None  # 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or None when nothing is filled in
    start: int
    end: int


def iso_date(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """ISO text for the parts that are valid; None for an impossible date (an OCR misread)."""
    if year is None or not 1900 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def find_long_date(text: str, start: int = 0) -> DateMatch | None:
    """`ngày DD tháng MM năm YYYY`, any part possibly blank."""
    m = _LONG.search(text, start)
    if not m:
        return None
    d, mo, y = _int(m["d"]), _int(m["m"]), _int(m["y"])
    iso = iso_date(y, mo, d) if y else None
    if y and mo is None and d is not None:
        iso = None  # a day without a month is noise
    return DateMatch(iso, m.start(), m.end())


def find_short_date(text: str, start: int = 0, default_year: int | None = None) -> DateMatch | None:
    """`DD/MM/YYYY`, `DD.MM.YYYY`, `DD-MM-YYYY`, or `DD/MM` with the letter's year."""
    for m in _SHORT.finditer(text, start):
        y = _int(m["y"]) or default_year
        iso = iso_date(y, int(m["m"]), int(m["d"]))
        if iso:
            return DateMatch(iso, m.start(), m.end())
    return None


def find_date(text: str, start: int = 0, default_year: int | None = None) -> DateMatch | None:
    """The first date of either form at or after `start`."""
    found = [
        d
        for d in (find_long_date(text, start), find_short_date(text, start, default_year))
        if d is not None and d.iso
    ]
    return min(found, key=lambda d: d.start) if found else None


def month_end(text: str, start: int = 0) -> DateMatch | None:
    """`trong tháng 9/2023` → the month's last day, as a deadline."""
    m = _MONTH.search(text, start)
    if not m:
        return None
    y, mo = int(m["y"]), int(m["m"])
    if not (1 <= mo <= 12 and 1900 <= y <= 2100):
        return None
    return DateMatch(iso_date(y, mo, calendar.monthrange(y, mo)[1]), m.start(), m.end())


def year_of(iso: str | None) -> int | None:
    return int(iso[:4]) if iso and iso[:4].isdigit() else None
