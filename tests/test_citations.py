"""`references`: cited documents, hard cases one by one, and the shared letters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import citations
from extract.views import ZoneViews

LETTERS = Path(__file__).resolve().parent / "data" / "shared-letters"


def refs(text: str, own_number: str | None = None) -> list[tuple[str, str | None, str | None]]:
    out = citations.extract(ZoneViews.of_text(text), own_number=own_number)
    return [(r.number, r.date, r.issuer) for r in out.values["references"]]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Văn bản số 131/GLI-KDGP ngày 01/8/2023 của Viettel Gia Lai về việc ...", "131/GLI-KDGP"),
        (
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
            "30/2020/NĐ-CP",
        ),
        ("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về ...", "57-NQ/TW"),
        ("Căn cứ Thông báo số 212-TB/TU ngày 23/01/2026 của Thành ủy Hà Nội;", "212-TB/TU"),
        ("thay thế Quyết định số 01/1999/QĐ.UB ngày 15/01/1999 của Ủy ban nhân dân tỉnh", "01/1999/QĐ.UB"),
        ("Văn bản số 980/VNPT-GL-CNTT ngày 12/6/2023 của Viễn thông Gia Lai", "980/VNPT-GL-CNTT"),
        ("Công văn số 12/SGD&ĐT-VP ngày 3/2/2024 của Sở Giáo dục và Đào tạo", "12/SGD&ĐT-VP"),
    ],
)
def test_number_shapes(text: str, number: str) -> None:
    assert [n for n, _, _ in refs(text)] == [number]


@pytest.mark.parametrize(
    "date_text",
    ["ngày 01/8/2023", "ngày 01 tháng 8 năm 2023", "ngày 01.8.2023", "ngày 1-8-2023", "ngày\n01/8/2023"],
)
def test_date_forms(date_text: str) -> None:
    assert refs(f"Văn bản số 131/GLI-KDGP {date_text} của Viettel Gia Lai về việc ...") == [
        ("131/GLI-KDGP", "2023-08-01", "Viettel Gia Lai")
    ]


def test_misread_date_is_rejected_not_invented() -> None:
    assert refs("Văn bản số 131/GLI-KDGP ngày 41/8/2023 của Viettel Gia Lai") == [
        ("131/GLI-KDGP", None, "Viettel Gia Lai")
    ]


def test_citation_split_across_two_lines() -> None:
    text = (
        "Ủy ban nhân dân tỉnh nhận được Văn bản số 2956/VTS-ĐTTM ngày\n"
        "14/4/2023 của Tổng Công ty Giải pháp và Doanh nghiệp Viettel về việc đề xuất; Văn bản số\n"
        "1294/VNPT-GL-CNTT ngày 28/7/2023 của Viễn thông Gia\nLai về việc đề xuất bổ sung"
    )
    assert refs(text) == [
        ("2956/VTS-ĐTTM", "2023-04-14", "Tổng Công ty Giải pháp và Doanh nghiệp Viettel"),
        ("1294/VNPT-GL-CNTT", "2023-07-28", "Viễn thông Gia Lai"),
    ]


def test_issuer_before_the_number() -> None:
    text = "kèm Báo cáo thẩm định của Sở Tư pháp số 684/BC-STP ngày 15/8/2013,"
    assert refs(text) == [("684/BC-STP", "2013-08-15", "Sở Tư pháp")]


def test_issuer_the_citations_are_attributed_to() -> None:
    text = (
        "Xét các văn bản của Sở Thông tin và Truyền thông: Công văn số 676/STTT-TTBCXB ngày 21 tháng 11 "
        "năm 2017 về việc xin chủ trương và Báo cáo số 285/BC-STTTT ngày 07 tháng 12 năm 2017 về kết quả;"
    )
    assert refs(text) == [
        ("676/STTT-TTBCXB", "2017-11-21", "Sở Thông tin và Truyền thông"),
        ("285/BC-STTTT", "2017-12-07", "Sở Thông tin và Truyền thông"),
    ]


def test_issuer_of_a_proposal_and_the_post_stripped() -> None:
    assert refs(
        "Xét đề nghị của Ủy ban nhân dân tỉnh Đồng Nai tại văn bản số 92/TTr-UBND ngày 21/4/2026"
    ) == [("92/TTr-UBND", "2026-04-21", "Ủy ban nhân dân tỉnh Đồng Nai")]
    assert refs("Theo đề nghị của Giám đốc Sở Thông tin và Truyền thông tại Tờ trình số 178/TTr-STTTT") == [
        ("178/TTr-STTTT", None, "Sở Thông tin và Truyền thông")
    ]


def test_later_mention_by_number_is_merged_into_the_first() -> None:
    text = (
        "Xét đề nghị của Ủy ban nhân dân tỉnh Đồng Nai tại văn bản số 92/TTr-UBND ngày 21/4/2026 về ...\n"
        "Giao các Bộ có ý kiến đối với kiến nghị tại Tờ trình số 92/TTr-UBND nêu trên."
    )
    assert refs(text) == [("92/TTr-UBND", "2026-04-21", "Ủy ban nhân dân tỉnh Đồng Nai")]


def test_the_letters_own_number_is_no_reference() -> None:
    text = "Số: 25/UBND-KGVX\nHậu Giang, ngày 5 tháng 1 năm 2018\nCông văn số 676/STTT-TTBCXB ngày 21/11/2017"
    assert [n for n, _, _ in refs(text, own_number="25/UBND-KGVX")] == ["676/STTT-TTBCXB"]
    assert [n for n, _, _ in refs(text)] == ["676/STTT-TTBCXB"]  # the `Số:` line, even unknown


def test_laws_without_number_and_dates_are_no_references() -> None:
    text = (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;\ntrước ngày 20/8/2023, tại Mục 1 Công văn"
    )
    assert refs(text) == []


def test_committee_named_by_its_field() -> None:
    text = "Công điện số 03/CĐ-BCĐ ngày 08/8/2023 của Ban Chỉ đạo quốc gia về phòng, chống thiên tai, để ..."
    assert refs(text) == [("03/CĐ-BCĐ", "2023-08-08", "Ban Chỉ đạo quốc gia về phòng, chống thiên tai")]


def test_doc_type_from_the_words_or_the_symbol() -> None:
    out = citations.extract(ZoneViews.of_text("Văn bản số 92/TTr-UBND; Quyết định số 5/QĐ-UBND"))
    assert [r.doc_type for r in out.values["references"]] == ["tờ trình", "quyết định"]


def test_evidence_for_number_date_and_issuer() -> None:
    out = citations.extract(
        ZoneViews.of_text("Văn bản số 131/GLI-KDGP ngày 01/8/2023 của Viettel Gia Lai về")
    )
    assert out.evidence["/references/0/number"][0].text == "131/GLI-KDGP"
    assert out.evidence["/references/0/date"][0].text == "ngày 01/8/2023"
    assert out.evidence["/references/0/issuer"][0].text == "Viettel Gia Lai"


@pytest.mark.parametrize("path", sorted(LETTERS.glob("*.txt")), ids=lambda p: p.stem)
def test_shared_letters(path: Path) -> None:
    label = json.loads(path.with_suffix(".json").read_text())
    want = [(r["number"], r["date"], r["issuer"]) for r in label["references"]]
    assert refs(path.read_text(), own_number=label["number"]) == want
