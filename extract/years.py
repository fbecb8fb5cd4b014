"""The year of issue, checked against the letter's own dates.

OCR misreads one digit of a year (`2023` as `2033` or `2025`, `33/2009/QĐ-UBND` as
`33/2003/...`). The letter itself bounds its year: it cannot cite a document issued
after it, and it nearly always names its own year again in the body (a cited date, a
deadline, `năm 2023`). A year OCR doubted that the body never names or that is older than
a document the letter cites is replaced by the one-digit variant that the body
(or the year in the number of a legal document) names and that comes no earlier than
the latest citation; the earliest such variant, as deadlines run after the letter. A
legal document's number carries its year of issue (`30/2020/NĐ-CP`): a number year one
digit off the settled date's year is that year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DOUBTED = 93.0  # OCR confidence under which a year is checked against the body
_BODY_YEAR = re.compile(r"(?:n\w{1,2}m|[/.\-])[ \t]*((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_NUMBER_YEAR = re.compile(r"^(\d+/)((?:19|20)\d\d)(/.+)$")


def settle(
    date: str | None, confidence: float | None, number: str | None, body: str, cited: Iterable[int]
) -> tuple[str | None, str | None]:
    """(date, number) with the year repaired when the letter shows OCR misread it.

    `confidence` is OCR's for the printed year (None for a text layer, which is as printed);
    `cited` holds the years of the documents the body cites.
    """
    if date is None or confidence is None or not date[:4].isdigit():
        return date, number
    year = int(date[:4])
    named = {int(y) for y in _BODY_YEAR.findall(body)}
    number_year = _number_year(number)
    if number_year is not None:
        named.add(number_year)
    latest = max(cited, default=None)
    too_old = latest is not None and year < latest
    # A year OCR is sure of stands: a cited date misread one digit up must not move it.
    sure = confidence >= DOUBTED or not (too_old or year not in named)
    if not sure:
        fits = [y for y in _variants(year) if y in named and (latest is None or y >= latest)]
        if fits:
            year, sure = min(fits), True
            date = f"{year:04d}{date[4:]}"
    # The number follows only a date year that is sure, named by the body, or repaired.
    if sure and number_year is not None and number_year != year and year in _variants(number_year):
        number = _NUMBER_YEAR.sub(rf"\g<1>{year:04d}\g<3>", number or "")
    return date, number


def _number_year(number: str | None) -> int | None:
    m = _NUMBER_YEAR.match(number or "")
    return int(m.group(2)) if m else None


def _variants(year: int) -> set[int]:
    """Years that differ from `year` in one digit (a misread digit)."""
    text = f"{year:04d}"
    out = {int(text[:i] + d + text[i + 1 :]) for i in range(4) for d in "0123456789"}
    return {y for y in out if 1900 <= y <= 2100 and y != year}
