"""Appendix VI records as XML and JSON, validated against the schemas shipped in
`schemas/` (XSD for XML, JSON Schema 2020-12 for JSON), and parsed back.

Export validates what it writes too: a record that does not fit the schema is a
bug here, and an e-office system must never be the first to notice it.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import xmlschema

from service.errors import InvalidRequest

NS = "urn:congvan:appendix-vi:1"
XSD = "appendix-vi.xsd"
JSON_SCHEMA = "appendix-vi.schema.json"
# The order the XSD fixes for the children of a Document.
ORDER = ("TypeName", "CodeNumber", "CodeNotation", "IssuedDate", "OrganName", "Subject", "SignerInfo", "To",
         "Priority", "DueDate", "PageAmount")
# Characters XML 1.0 cannot hold (OCR output can carry control characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("", NS)


class InvalidInterchange(InvalidRequest):
    """An XML or JSON document that does not fit the Appendix VI schema."""

    code = "invalid-interchange"


def schema_text(name: str) -> str:
    return resources.files("service.interchange").joinpath("schemas", name).read_text(encoding="utf-8")


@cache
def _xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(schema_text(XSD))


@cache
def _json_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(schema_text(JSON_SCHEMA))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)  # type: ignore[no-any-return]


# -- XML ------------------------------------------------------------------------------

def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _document_element(record: dict[str, Any], letter_id: int | None) -> ET.Element:
    doc = ET.Element(_q("Document"))
    if letter_id is not None:
        doc.set("id", str(letter_id))
    for name in ORDER:
        value = record.get(name)
        if value is None:
            continue
        if name == "SignerInfo":
            signer = ET.SubElement(doc, _q(name))
            for part in ("Position", "FullName"):
                if value.get(part):
                    ET.SubElement(signer, _q(part)).text = _text(value[part])
        elif name == "To":
            for to in value:
                ET.SubElement(ET.SubElement(doc, _q("To")), _q("OrganName")).text = _text(to["OrganName"])
        else:
            ET.SubElement(doc, _q(name)).text = _text(value)
    return doc


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    validate_xml(data)
    return data


def to_xml(record: dict[str, Any], letter_id: int | None = None) -> bytes:
    return _serialise(_document_element(record, letter_id))


def set_to_xml(records: list[tuple[int, dict[str, Any]]]) -> bytes:
    root = ET.Element(_q("Documents"), {"total": str(len(records))})
    for letter_id, record in records:
        root.append(_document_element(record, letter_id))
    return _serialise(root)


def validate_xml(data: bytes | str) -> None:
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        # Appendix VI needs no DTD; refusing it shuts out entity expansion and external entities.
        raise InvalidInterchange("not an Appendix VI document: DOCTYPE and ENTITY declarations are refused")
    try:
        errors = list(_xsd().iter_errors(text))
    except (xmlschema.XMLSchemaException, SyntaxError, ValueError) as exc:  # not even well-formed
        raise InvalidInterchange(f"not well-formed XML: {exc}") from exc
    if errors:
        first = errors[0]
        raise InvalidInterchange(f"not an Appendix VI document: {first.path or ''}: {first.reason}")


def _record_of(doc: ET.Element) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for child in doc:
        name = child.tag.removeprefix(f"{{{NS}}}")
        if name == "SignerInfo":
            record[name] = {p.tag.removeprefix(f"{{{NS}}}"): p.text or "" for p in child}
        elif name == "To":
            record.setdefault("To", []).append({"OrganName": child.findtext(_q("OrganName")) or ""})
        elif name in ("Priority", "PageAmount"):
            record[name] = int((child.text or "0").strip())
        else:
            record[name] = (child.text or "").strip() if name.endswith("Date") else child.text or ""
    if doc.get("id"):
        record["id"] = int(doc.get("id") or 0)
    return record


def from_xml(data: bytes | str) -> list[dict[str, Any]]:
    """The records of an XML export (one for a Document, every one for Documents), schema-checked."""
    validate_xml(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:  # validate_xml parses first; kept for a clear message all the same
        raise InvalidInterchange(f"not well-formed XML: {exc}") from exc
    if root.tag == _q("Document"):
        return [_record_of(root)]
    return [_record_of(d) for d in root.findall(_q("Document"))]


# -- JSON -----------------------------------------------------------------------------

def validate_json(value: Any) -> None:
    error = jsonschema.exceptions.best_match(_json_validator().iter_errors(value))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path)
        raise InvalidInterchange(f"not an Appendix VI document: {where or '(root)'}: {error.message}")


def to_json(record: dict[str, Any], letter_id: int | None = None) -> dict[str, Any]:
    value = {"id": letter_id, **record} if letter_id is not None else dict(record)
    validate_json(value)
    return value


def set_to_json(records: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    value = {"total": len(records), "Documents": [{"id": i, **r} for i, r in records]}
    validate_json(value)
    return value


def from_json(value: Any) -> list[dict[str, Any]]:
    validate_json(value)
    if isinstance(value, dict) and "Documents" in value:
        return list(value["Documents"])
    return [value]
