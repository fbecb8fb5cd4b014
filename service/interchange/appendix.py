"""A letter in the metadata names of Decree 30/2020's Appendix VI, and back.

E-office systems exchange TypeName, CodeNumber, CodeNotation, IssuedDate,
OrganName, Subject, SignerInfo (Position, FullName), To (OrganName), Priority,
DueDate and PageAmount. This module maps the served Letter JSON to a dict in those
names (absent values left out, as an e-office form leaves a field blank) and maps
such a dict back to Letter fields, so an export imported again gives the same
fields. Serialising to XML or JSON is in `xmlcodec` / `jsoncodec`.
"""

from __future__ import annotations

from typing import Any

from service.folding import fold_words

# Appendix VI priority codes (độ khẩn): 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc.
PRIORITY_OF_URGENCY = {"khan": 1, "thuong khan": 2, "hoa toc": 3}
URGENCY_OF_PRIORITY = {1: "KHẨN", 2: "THƯỢNG KHẨN", 3: "HỎA TỐC"}

# The Letter fields an Appendix VI record carries (plus `due_date`, read from the tasks).
LETTER_FIELDS = ("doc_type", "number", "symbol", "date", "issuer", "subject", "signer", "recipients",
                 "urgency", "pages", "due_date")


def _code_number(number: str | None, symbol: str | None) -> str | None:
    """`1520/UBND-KGVX` with symbol `UBND-KGVX` → `1520`; other shapes are kept whole."""
    if number and symbol and number.endswith("/" + symbol):
        head = number[: -len(symbol) - 1]
        if head and "/" not in head:
            return head
    return number


def _number(code_number: str | None, code_notation: str | None) -> str | None:
    if code_number and code_notation and "/" not in code_number:
        return f"{code_number}/{code_notation}"
    return code_number


def priority(urgency: str | None) -> int:
    return PRIORITY_OF_URGENCY.get(fold_words(urgency or ""), 0)


def due_date(letter: dict[str, Any]) -> str | None:
    """The earliest deadline of the letter's tasks: when the receiving office must have acted."""
    deadlines = [t.get("deadline") for t in letter.get("tasks") or [] if t.get("deadline")]
    return min(deadlines) if deadlines else None


def to_appendix(letter: dict[str, Any]) -> dict[str, Any]:
    """The served Letter JSON as an Appendix VI record (JSON-ready; absent values left out)."""
    doc_type = letter.get("doc_type")
    signer = letter.get("signer") or {}
    record: dict[str, Any] = {
        # Appendix VI writes the type as a name (`Công văn`); the Letter keeps it lower case.
        "TypeName": doc_type[:1].upper() + doc_type[1:] if doc_type else None,
        "CodeNumber": _code_number(letter.get("number"), letter.get("symbol")),
        "CodeNotation": letter.get("symbol"),
        "IssuedDate": letter.get("date"),
        "OrganName": letter.get("issuer"),
        "Subject": letter.get("subject"),
        "SignerInfo": {k: v for k, v in (("Position", signer.get("position")),
                                         ("FullName", signer.get("name"))) if v} or None,
        "To": [{"OrganName": name} for name in letter.get("recipients") or [] if name] or None,
        "Priority": priority(letter.get("urgency")),
        "DueDate": due_date(letter),
        "PageAmount": int((letter.get("source") or {}).get("pages") or 0),
    }
    return {k: v for k, v in record.items() if v is not None and v != ""}


def from_appendix(record: dict[str, Any]) -> dict[str, Any]:
    """Letter fields from an Appendix VI record (inverse of `to_appendix` on the fields it carries)."""
    type_name = record.get("TypeName")
    signer = record.get("SignerInfo") or {}
    return {
        "doc_type": type_name[:1].lower() + type_name[1:] if type_name else None,
        "number": _number(record.get("CodeNumber"), record.get("CodeNotation")),
        "symbol": record.get("CodeNotation"),
        "date": record.get("IssuedDate"),
        "issuer": record.get("OrganName"),
        "subject": record.get("Subject"),
        "signer": {"position": signer.get("Position"), "name": signer.get("FullName")} if signer else None,
        "recipients": [to["OrganName"] for to in record.get("To") or []],
        "urgency": URGENCY_OF_PRIORITY.get(int(record.get("Priority") or 0)),
        "pages": int(record.get("PageAmount") or 0),
        "due_date": record.get("DueDate"),
    }


def letter_fields(letter: dict[str, Any]) -> dict[str, Any]:
    """What an export of `letter` should import as: the carried fields, in `from_appendix`'s shape."""
    signer = letter.get("signer") or {}
    position, name = signer.get("position") or None, signer.get("name") or None
    urgency = letter.get("urgency")
    return {
        "doc_type": letter.get("doc_type") or None,
        "number": letter.get("number") or None,
        "symbol": letter.get("symbol") or None,
        "date": letter.get("date") or None,
        "issuer": letter.get("issuer") or None,
        "subject": letter.get("subject") or None,
        "signer": {"position": position, "name": name} if position or name else None,
        "recipients": [r for r in letter.get("recipients") or [] if r],
        "urgency": URGENCY_OF_PRIORITY.get(priority(urgency)),
        "pages": int((letter.get("source") or {}).get("pages") or 0),
        "due_date": due_date(letter),
    }
