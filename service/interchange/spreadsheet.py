"""Directives as a spreadsheet (CSV or XLSX) for the clerks who follow tasks up in one.

One row per directive with its letter's number, date, issuer and subject. Column
names are Vietnamese, as the clerks who open the file read them. CSV is UTF-8 with
a byte-order mark, which Excel needs to show Vietnamese; XLSX cells are typed (full
dates as dates, everything else as text, never as a formula).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from openpyxl import Workbook

COLUMNS = (
    ("directive_id", "Mã nhiệm vụ"),
    ("letter_id", "Mã văn bản"),
    ("number", "Số, ký hiệu"),
    ("letter_date", "Ngày văn bản"),
    ("issuer", "Cơ quan ban hành"),
    ("subject", "Trích yếu"),
    ("ordinal", "Mục"),
    ("assignees", "Đơn vị chủ trì"),
    ("cooperating", "Đơn vị phối hợp"),
    ("deadline", "Hạn xử lý"),
    ("text", "Nội dung nhiệm vụ"),
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection):
# letters come from outside, so such a CSV cell is prefixed with an apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows_of(directives: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat rows from the directive JSON of `GET /api/directives` (letter nested in `letter`)."""
    out = []
    for d in directives:
        letter = d.get("letter") or {}
        out.append({
            "directive_id": d["id"],
            "letter_id": d["letter_id"],
            "number": letter.get("number") or "",
            "letter_date": letter.get("date") or "",
            "issuer": letter.get("issuer") or "",
            "subject": letter.get("subject") or "",
            "ordinal": d.get("ordinal") or "",
            "assignees": "; ".join(d.get("assignees") or []),
            "cooperating": "; ".join(d.get("cooperating") or []),
            "deadline": d.get("deadline") or "",
            "text": d.get("text") or "",
        })
    return out


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([title for _key, title in COLUMNS])
    for row in rows:
        writer.writerow([_csv_cell(row[key]) for key, _title in COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def _xlsx_value(key: str, value: Any) -> Any:
    if key in ("deadline", "letter_date") and isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def to_xlsx(rows: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    sheet.append([title for _key, title in COLUMNS])
    for r, row in enumerate(rows, start=2):
        for c, (key, _title) in enumerate(COLUMNS, start=1):
            value = _xlsx_value(key, row[key])
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"  # the Vietnamese order
            elif isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with '=' (openpyxl would make a formula)
    sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
