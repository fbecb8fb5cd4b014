"""Appendix VI export and import as pure functions: every export fits the shipped
schemas (checked with the schema files themselves, by xmlschema and jsonschema),
imports back to the same fields, and a document that breaks the schema is refused.
Directives as CSV/XLSX: Vietnamese text survives, nothing runs as a formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
import xmlschema
from hypothesis import given, settings
from hypothesis import strategies as st

from service.interchange import (
    InvalidInterchange,
    from_appendix,
    from_json,
    from_xml,
    letter_fields,
    set_to_json,
    set_to_xml,
    to_appendix,
    to_json,
    to_xml,
)
from service.interchange.spreadsheet import rows_of, to_csv, to_xlsx

SCHEMAS = Path(__file__).resolve().parent.parent / "service" / "interchange" / "schemas"
XSD = xmlschema.XMLSchema(str(SCHEMAS / "appendix-vi.xsd"))
JSON_SCHEMA = json.loads((SCHEMAS / "appendix-vi.schema.json").read_text(encoding="utf-8"))

SEED = {
    "number": "1520/UBND-KGVX", "symbol": "UBND-KGVX", "doc_type": "công văn", "parent_body": None,
    "issuer": "Ủy ban nhân dân tỉnh Gia Lai", "place": "Gia Lai", "date": "2024-03-12",
    "subject": "triển khai kế hoạch chuyển đổi số năm 2024", "urgency": "HỎA TỐC",
    "recipients": ["Sở Thông tin và Truyền thông", "Sở Tài chính"], "references": [],
    "tasks": [{"ordinal": "1.", "assignees": ["Sở Thông tin và Truyền thông"], "text": "Giao Sở ...",
               "deadline": "2024-09-30", "cooperating": []},
              {"ordinal": "2.", "assignees": ["Sở Tài chính"], "text": "=HYPERLINK(\"http://x\")",
               "deadline": "2024-06", "cooperating": ["Sở Nội vụ"]}],
    "distribution": ["Như trên"], "signer": {"authority": "KT. CHỦ TỊCH", "position": "PHÓ CHỦ TỊCH",
                                            "name": "Nguyễn Văn Thử"},
    "source": {"sha256": "0" * 64, "pages": 2, "text_source": ["ocr", "ocr"]}, "evidence": {},
}


def test_seed_letter_exports_in_appendix_vi_names() -> None:
    record = to_appendix(SEED)
    assert record == {
        "TypeName": "Công văn", "CodeNumber": "1520", "CodeNotation": "UBND-KGVX", "IssuedDate": "2024-03-12",
        "OrganName": "Ủy ban nhân dân tỉnh Gia Lai", "Subject": "triển khai kế hoạch chuyển đổi số năm 2024",
        "SignerInfo": {"Position": "PHÓ CHỦ TỊCH", "FullName": "Nguyễn Văn Thử"},
        "To": [{"OrganName": "Sở Thông tin và Truyền thông"}, {"OrganName": "Sở Tài chính"}],
        "Priority": 3, "DueDate": "2024-06", "PageAmount": 2,
    }
    xml = to_xml(record, 7)
    XSD.validate(xml.decode("utf-8"))
    assert b"<SignerInfo>" in xml and b'id="7"' in xml
    jsonschema.validate(to_json(record, 7), JSON_SCHEMA)
    assert from_appendix(from_xml(xml)[0]) == letter_fields(SEED)
    assert from_appendix(from_json(to_json(record, 7))[0]) == letter_fields(SEED)
    assert letter_fields(SEED)["number"] == "1520/UBND-KGVX" and letter_fields(SEED)["urgency"] == "HỎA TỐC"


def test_a_letter_with_nothing_found_still_exports() -> None:
    empty = {"source": {"sha256": "1" * 64, "pages": 1}, "tasks": [], "recipients": []}
    record = to_appendix(empty)
    assert record == {"Priority": 0, "PageAmount": 1}
    XSD.validate(to_xml(record).decode())
    assert from_appendix(from_xml(to_xml(record))[0]) == letter_fields(empty)


def test_sets_validate_and_import_as_many_documents() -> None:
    other = {**SEED, "number": "57-NQ/TW", "symbol": "NQ/TW", "urgency": None, "date": "2023"}
    records = [(1, to_appendix(SEED)), (2, to_appendix(other))]
    xml = set_to_xml(records)
    XSD.validate(xml.decode())
    as_json = set_to_json(records)
    jsonschema.validate(as_json, JSON_SCHEMA)
    assert as_json["total"] == 2
    for parsed in (from_xml(xml), from_json(as_json)):
        assert [r["id"] for r in parsed] == [1, 2]
        assert [from_appendix(r) for r in parsed] == [letter_fields(SEED), letter_fields(other)]
    assert XSD.is_valid(set_to_xml([]).decode())


@pytest.mark.parametrize("bad", [
    b"<Document xmlns='urn:congvan:appendix-vi:1'><PageAmount>1</PageAmount></Document>",  # no Priority
    b"<Document xmlns='urn:congvan:appendix-vi:1'><Priority>9</Priority><PageAmount>1</PageAmount>"
    b"</Document>",
    b"<Document xmlns='urn:congvan:appendix-vi:1'><IssuedDate>12/3/2024</IssuedDate><Priority>0</Priority>"
    b"<PageAmount>1</PageAmount></Document>",
    b"<Document xmlns='urn:other'><Priority>0</Priority><PageAmount>1</PageAmount></Document>",
    b"<?xml version='1.0'?><!DOCTYPE d [<!ENTITY a 'aaaa'>]><Document xmlns='urn:congvan:appendix-vi:1'>"
    b"<Subject>&a;</Subject><Priority>0</Priority><PageAmount>1</PageAmount></Document>",
    b"<Document",
])
def test_xml_outside_the_schema_is_refused(bad: bytes) -> None:
    with pytest.raises(InvalidInterchange):
        from_xml(bad)


@pytest.mark.parametrize("bad", [
    {"PageAmount": 1},
    {"Priority": 0, "PageAmount": 1, "Signer": "x"},
    {"Priority": 0, "PageAmount": 1, "To": [{"Name": "Sở"}]},
    {"Priority": 0, "PageAmount": 1, "DueDate": "2024-9-30"},
    {"total": 1, "Documents": [{"Priority": "khẩn", "PageAmount": 1}]},
])
def test_json_outside_the_schema_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(InvalidInterchange):
        from_json(bad)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, JSON_SCHEMA)


# -- round trip over generated letters -------------------------------------------------

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)
_dates = st.dates().map(lambda d: d.isoformat()) | st.from_regex(r"\A20[0-9]{2}(-0[1-9])?\Z")


@st.composite
def letters(draw: st.DrawFn) -> dict[str, Any]:
    symbol = draw(st.none() | st.from_regex(r"\A[A-ZĐ]{2,5}-[A-ZĐ]{2,5}\Z"))
    count = draw(st.from_regex(r"\A[0-9]{1,5}\Z"))
    # The usual `n/SYMBOL`, a party document's `57-NQ/TW`, or a blank number (a draft).
    number = draw(st.sampled_from([f"{count}/{symbol}" if symbol else None, "57-NQ/TW", None]))
    return {
        "number": number, "symbol": symbol,
        "doc_type": draw(st.none() | st.sampled_from(["công văn", "quyết định", "kế hoạch", "thông báo"])),
        "issuer": draw(st.none() | _text), "subject": draw(st.none() | _text),
        "date": draw(st.none() | _dates),
        "urgency": draw(st.sampled_from([None, "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"])),
        "recipients": draw(st.lists(_text, max_size=4)),
        "signer": draw(st.none() | st.fixed_dictionaries({"authority": st.none() | _text,
                                                          "position": st.none() | _text,
                                                          "name": st.none() | _text})),
        "tasks": [{"text": "x", "deadline": d} for d in draw(st.lists(st.none() | _dates, max_size=3))],
        "source": {"sha256": "2" * 64, "pages": draw(st.integers(0, 50))},
    }


@settings(max_examples=150, deadline=None)
@given(letters())
def test_any_letter_round_trips_through_xml_and_json(letter: dict[str, Any]) -> None:
    record = to_appendix(letter)
    xml = to_xml(record, 3)
    XSD.validate(xml.decode("utf-8"))
    as_json = json.loads(json.dumps(to_json(record, 3)))
    jsonschema.validate(as_json, JSON_SCHEMA)
    want = letter_fields(letter)
    assert from_appendix(from_xml(xml)[0]) == want
    assert from_appendix(from_json(as_json)[0]) == want


# -- spreadsheets ----------------------------------------------------------------------

def _directives() -> list[dict[str, Any]]:
    letter = {"id": 4, "number": SEED["number"], "date": SEED["date"], "issuer": SEED["issuer"],
              "subject": SEED["subject"]}
    return [{"id": 10 + i, "letter_id": 4, "letter": letter, **task} for i, task in enumerate(SEED["tasks"])]


def test_directives_csv_keeps_vietnamese_and_defuses_formulas() -> None:
    data = to_csv(rows_of(_directives()))
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã nhiệm vụ", "Mã văn bản", "Số, ký hiệu"] and len(rows) == 3
    first, second = rows[1], rows[2]
    assert first[2] == "1520/UBND-KGVX" and first[4] == "Ủy ban nhân dân tỉnh Gia Lai"
    assert first[7] == "Sở Thông tin và Truyền thông" and first[9] == "2024-09-30"
    assert second[8] == "Sở Nội vụ" and second[10] == "'=HYPERLINK(\"http://x\")"


def test_directives_xlsx_types_dates_and_keeps_formulas_as_text() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(rows_of(_directives()))))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    second = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert first["Hạn xử lý"].date().isoformat() == "2024-09-30"
    assert first["Ngày văn bản"].date().isoformat() == "2024-03-12"
    assert second["Hạn xử lý"] == "2024-06"  # a month alone stays text
    assert sheet.cell(row=3, column=header.index("Nội dung nhiệm vụ") + 1).data_type == "s"
    assert second["Nội dung nhiệm vụ"] == "=HYPERLINK(\"http://x\")"
