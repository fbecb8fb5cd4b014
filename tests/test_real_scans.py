"""Three real signed scans (page 1 only): seals over text, an arrival stamp, handwritten numbers.

Each must give the header fields, recipients, citations and tasks its label shows
for page 1 (the signer of these three is on page 1 as well, but seals cover it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import Letter, extract_letter
from ingest import read_document

DATA = Path(__file__).resolve().parent / "data" / "real-scans"
NAMES = ["vpcp-2026-3722", "ubnd-ha-noi-2026-453", "ubnd-ha-noi-2026-2280"]
HEADER = ("number", "symbol", "doc_type", "issuer", "place", "date", "subject")


@pytest.fixture(scope="module")
def letters() -> dict[str, Letter]:
    return {
        n: extract_letter(read_document((DATA / f"{n}.pdf").read_bytes(), filename=f"{n}.pdf")) for n in NAMES
    }


def label(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text())


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("field", HEADER)
def test_header_field(letters: dict[str, Letter], name: str, field: str) -> None:
    assert getattr(letters[name], field) == label(name)[field]


@pytest.mark.parametrize("name", NAMES)
def test_recipients(letters: dict[str, Letter], name: str) -> None:
    assert letters[name].recipients == label(name)["recipients"]


@pytest.mark.parametrize("name", NAMES)
def test_citations(letters: dict[str, Letter], name: str) -> None:
    got = [(r.number, r.date, r.issuer) for r in letters[name].references]
    want = [(r["number"], r["date"], r["issuer"]) for r in label(name)["references"]]
    assert got == want


@pytest.mark.parametrize("name", NAMES)
def test_tasks(letters: dict[str, Letter], name: str) -> None:
    from rapidfuzz import fuzz

    want = label(name)["tasks"]
    got = letters[name].tasks
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert sorted(g.assignees) == sorted(w["assignees"])
        assert g.deadline == w.get("deadline")
        assert fuzz.token_set_ratio(g.text, w["text"]) >= 85
