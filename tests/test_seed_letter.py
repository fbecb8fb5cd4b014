"""The letter the product was designed from, as a degraded two-page scanned PDF, end to end.

Real rendering, real Tesseract, real extraction: the bar of issues 2 and 3.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import Letter, extract_letter
from ingest import read_document

ROOT = Path(__file__).resolve().parent.parent
SEED = "ubnd-gia-lai-2023-08-chuyen-doi-so"


@pytest.fixture(scope="module")
def seed_label() -> dict:
    return json.loads((ROOT / "samples" / "letters" / f"{SEED}.json").read_text())


@pytest.fixture(scope="module")
def seed_letter() -> Letter:
    from samples.generate import load_source, render_scan

    source = load_source(ROOT / "samples" / "letters" / f"{SEED}.txt")
    pdf = render_scan(source, fmt="pdf", degraded=True, seed=7)
    doc = read_document(pdf, filename=f"{SEED}.pdf")
    assert len(doc.pages) == 2, "the seed letter renders onto two pages"
    assert [p.text_source for p in doc.pages] == ["ocr", "ocr"], "a scanned PDF has no text layer"
    return extract_letter(doc)


def test_header_fields(seed_letter: Letter) -> None:
    assert seed_letter.symbol == "UBND-KGVX"
    assert seed_letter.number is None
    assert seed_letter.doc_type == "công văn"
    assert seed_letter.issuer == "Ủy ban nhân dân tỉnh Gia Lai"
    assert seed_letter.place == "Gia Lai"
    assert seed_letter.date == "2023-08"
    assert seed_letter.subject == (
        "triển khai các nội dung hợp tác về chuyển đổi số giữa UBND tỉnh Gia Lai "
        "với Tập đoàn VNPT và Tập đoàn Viettel"
    )


def test_recipients(seed_letter: Letter, seed_label: dict) -> None:
    assert seed_letter.recipients == seed_label["recipients"]


def test_references(seed_letter: Letter, seed_label: dict) -> None:
    got = [(r.number, r.date, r.issuer) for r in seed_letter.references]
    want = [(r["number"], r["date"], r["issuer"]) for r in seed_label["references"]]
    assert got == want


def test_tasks(seed_letter: Letter, seed_label: dict) -> None:
    from rapidfuzz import fuzz

    assert len(seed_letter.tasks) == 3
    for got, want in zip(seed_letter.tasks, seed_label["tasks"], strict=True):
        assert got.ordinal == want["ordinal"]
        assert sorted(got.assignees) == sorted(want["assignees"])
        assert fuzz.token_set_ratio(got.text, want["text"]) >= 90


def test_distribution_and_signer(seed_letter: Letter, seed_label: dict) -> None:
    assert seed_letter.distribution == seed_label["distribution"]
    assert seed_letter.signer is not None
    assert seed_letter.signer.authority == "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"
    assert seed_letter.signer.position == "PHÓ CHỦ TỊCH"
    assert seed_letter.signer.name == "Nguyễn Thị Thanh Lịch"


def test_every_value_has_evidence(seed_letter: Letter) -> None:
    ev = seed_letter.evidence
    for key in ("/symbol", "/issuer", "/place", "/date", "/subject"):
        assert ev.get(key), key
        for region in ev[key]:
            assert region.page in (1, 2)
            x0, y0, x1, y1 = region.bbox
            assert 0 <= x0 < x1 and 0 <= y0 < y1
            assert region.confidence is not None
    for i in range(len(seed_letter.recipients)):
        assert ev.get(f"/recipients/{i}")
    for i in range(len(seed_letter.tasks)):
        assert ev.get(f"/tasks/{i}/text")
    assert ev.get("/signer/name")
