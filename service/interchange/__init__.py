"""Interchange with the systems offices already run: letters in the metadata names of
Decree 30/2020's Appendix VI (XML and JSON, with the XSD and JSON Schema shipped in
`schemas/`) and directives as CSV/XLSX for spreadsheets. Pure functions: the routes
are in `service.interchange_api`."""

from .appendix import from_appendix, letter_fields, to_appendix
from .codecs import (
    InvalidInterchange,
    from_json,
    from_xml,
    schema_text,
    set_to_json,
    set_to_xml,
    to_json,
    to_xml,
    validate_json,
    validate_xml,
)

__all__ = ["InvalidInterchange", "from_appendix", "from_json", "from_xml", "letter_fields", "schema_text",
           "set_to_json", "set_to_xml", "to_appendix", "to_json", "to_xml", "validate_json", "validate_xml"]
