"""`distribution` and `signer`: hard cases one by one, zones and the whole-text fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import footer
from extract.footer import clean_luu, repair_symbol
from extract.model import Signer
from extract.textview import TextView
from extract.views import ZoneViews
from ingest.model import Line, Word

LETTERS = Path(__file__).resolve().parent / "data" / "shared-letters"


def run(text: str, symbol: str | None = None) -> tuple[list[str], Signer | None]:
    out = footer.extract(ZoneViews.of_text(text), symbol=symbol)
    return out.values["distribution"], out.values["signer"]


def view(lines: list[str], conf: float | None = None, x0: float = 0.0, first_row: int = 0) -> TextView:
    """A positioned view, one line per entry, words 10 px a character, optional OCR confidence."""
    out = []
    for y, text in enumerate(lines, start=first_row):
        words, x = [], x0
        for token in text.split():
            words.append(Word(token, (x, y * 40.0, x + 10.0 * len(token), y * 40.0 + 30), conf))
            x += 10.0 * (len(token) + 1)
        out.append((1, Line(tuple(words))))
    return TextView.of(out)


def zones(left: list[str], right: list[str], conf: float | None = None, right_row: int = 0) -> ZoneViews:
    empty = TextView.of_text("")
    lv, rv = view(left, conf), view(right, conf, x0=1200.0, first_row=right_row)
    whole = TextView.of_text("\n".join(left + right))
    return ZoneViews(empty, empty, empty, lv, rv, whole)


SEED_FOOTER = """Nghiêm túc triển khai./.
Nơi nhận:
- Như trên;
- Chủ tịch, các PCT UBND tỉnh;
- VNPT Gia Lai;
- Viettel Gia Lai;
- Lãnh đạo Văn phòng UBND tỉnh;
- Lưu: VT, TTTH, KGVX.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Thị Thanh Lịch"""


def test_seed_footer_from_plain_text() -> None:
    dist, signer = run(SEED_FOOTER)
    assert dist == [
        "Như trên",
        "Chủ tịch, các PCT UBND tỉnh",
        "VNPT Gia Lai",
        "Viettel Gia Lai",
        "Lãnh đạo Văn phòng UBND tỉnh",
        "Lưu: VT, TTTH, KGVX",
    ]
    assert signer == Signer(
        authority="TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", name="Nguyễn Thị Thanh Lịch"
    )


def test_signer_column_run_into_the_distribution_lines() -> None:
    # OCR read both footer columns line by line across each other.
    text = (
        "triển khai./.\nNơi nhận: TM. ỦY BAN NHÂN DÂN\n- Như trên; KT. CHỦ TỊCH\n"
        "- VNPT Gia Lai; PHÓ CHỦ TỊCH\n- Lưu: VT, KGVX. (Đã ký)\nNguyễn Thị Thanh Lịch"
    )
    dist, signer = run(text)
    assert dist == ["Như trên", "VNPT Gia Lai", "Lưu: VT, KGVX"]
    assert signer == Signer(
        authority="TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", name="Nguyễn Thị Thanh Lịch"
    )


def test_nested_tl_kt_signer() -> None:
    _, signer = run("./.\nTL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\n(Đã ký)\nVõ Tuấn Anh")
    assert signer == Signer(
        authority="TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG", position="PHÓ CHÁNH VĂN PHÒNG", name="Võ Tuấn Anh"
    )


def test_tl_then_unit_line_then_kt() -> None:
    text = "./.\nTL. BỘ TRƯỞNG\nKT. CỤC TRƯỞNG\nCỤC CHUYỂN ĐỔI SỐ QUỐC GIA\nPHÓ CỤC TRƯỞNG\nHoàng Minh Cường"
    _, signer = run(text)
    assert signer == Signer(
        authority="TL. BỘ TRƯỞNG KT. CỤC TRƯỞNG CỤC CHUYỂN ĐỔI SỐ QUỐC GIA",
        position="PHÓ CỤC TRƯỞNG",
        name="Hoàng Minh Cường",
    )


def test_prefix_alone_on_its_line() -> None:
    _, signer = run("./.\n|\nTM.\nỦY BAN NHÂN DÂN TỈNH\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn Phòng\n|")
    assert signer == Signer(
        authority="TM. ỦY BAN NHÂN DÂN TỈNH KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", name="Nguyễn Văn Phòng"
    )


def test_acting_head_signs_in_that_post() -> None:
    _, signer = run("Nơi nhận:\n- Như trên;\n- Lưu: VT, NVY.\nQ. GIÁM ĐỐC\n\nNguyễn Đình Tuấn")
    assert signer == Signer(authority=None, position="Q. GIÁM ĐỐC", name="Nguyễn Đình Tuấn")


def test_head_signing_without_authority_and_seal_text_ignored() -> None:
    _, signer = run("Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\n@#%&*\n(Đã ký)\nTrần Quốc Huy")
    assert signer == Signer(authority=None, position="GIÁM ĐỐC", name="Trần Quốc Huy")


def test_letter_with_no_noi_nhan() -> None:
    text = "Điều 4. Chánh Văn phòng ... có trách nhiệm thi hành Quyết định này./.\nTM. ỦY BAN NHÂN DÂN TỈNH"
    dist, signer = run(text)
    assert dist == []
    assert signer == Signer(authority="TM. ỦY BAN NHÂN DÂN TỈNH", position=None, name=None)


def test_no_footer_at_all() -> None:
    assert run("Kính gửi: Sở Tài chính.\nĐề nghị Sở Tài chính xem xét.") == ([], None)


def test_purpose_tags_kept_and_truncated_last_item_dropped() -> None:
    text = "Nơi nhận:\n- Thường trực Thành ủy; (để b/c)\n- Văn phòng Chính phủ (để b/c);\n- Chủ tịch, c"
    assert run(text)[0] == ["Thường trực Thành ủy; (để b/c)", "Văn phòng Chính phủ (để b/c)"]


def test_nhu_tren_matched_with_ocr_errors() -> None:
    assert run("Nơi nhận:\n- Nhu trèn;\n- Lưu: VT.")[0] == ["Như trên", "Lưu: VT"]


@pytest.mark.parametrize(
    ("printed", "kept"),
    [
        ("Lưu: VT, TTTH, KGVX.", "Lưu: VT, TTTH, KGVX"),
        ("Lưu: VT, CN, Cm.", "Lưu: VT, CN"),
        ("Lưu: VT, KGVX. HN", "Lưu: VT, KGVX"),
        ("Lưu: VT, ĐT (M).", "Lưu: VT, ĐT"),
        ("Lưu: VT, KGVX", "Lưu: VT, KGVX"),
        ("Lưu VT, NC.", "Lưu: VT, NC"),
        ("Lưu: VTF, CNTT", "Lưu: VT, CNTT"),  # OCR read the comma after VT as a letter
        ("Lưu: VI, KGVX.", "Lưu: VT, KGVX"),
    ],
)
def test_luu_line_without_the_drafters_initials(printed: str, kept: str) -> None:
    assert clean_luu(printed) == kept


def test_luu_unit_repairs_a_misread_symbol() -> None:
    assert repair_symbol("UBND-KGVK", ["Như trên", "Lưu: VT, TTTH, KGVX"]) == "UBND-KGVX"
    assert repair_symbol("UBND-KGVX", ["Lưu: VT, TTTH, KGVX"]) == "UBND-KGVX"
    assert repair_symbol("UBND-KT", ["Lưu: VT, KGVX"]) == "UBND-KT"  # another unit: no evidence of a misread
    out = footer.extract(
        ZoneViews.of_text("Nơi nhận:\n- Như trên;\n- Lưu: VT, KGVX."),
        symbol="UBND-KGVK",
        number="25/UBND-KGVK",
    )
    assert (out.values["symbol"], out.values["number"]) == ("UBND-KGVX", "25/UBND-KGVX")


def test_zones_with_a_signer_part_in_the_left_column() -> None:
    left = ["Nơi nhận:", "- Như trên;", "- Sở Tài chính; KT. GIÁM ĐỐC", "- Lưu: VT, VP."]
    right = ["PHÓ GIÁM ĐỐC", "Lê Văn Bình"]  # the zone split left `KT. GIÁM ĐỐC` on row 2
    out = footer.extract(zones(left, right, right_row=3))
    assert out.values["distribution"] == ["Như trên", "Sở Tài chính", "Lưu: VT, VP"]
    assert out.values["signer"] == Signer(
        authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", name="Lê Văn Bình"
    )


def test_low_confidence_values_are_returned_and_flagged() -> None:
    out = footer.extract(
        zones(["Nơi nhận:", "- Như trên;", "- Lưu: VT, VP."], ["GIÁM ĐỐC", "Lê Văn Bình"], 41.0)
    )
    assert out.values["signer"].name == "Lê Văn Bình"
    region = out.evidence["/signer/name"][0]
    assert region.low_confidence and region.confidence == 41.0
    assert region.bbox[0] >= 1200.0  # read in the right column
    assert out.evidence["/distribution/1"][0].low_confidence


@pytest.mark.parametrize("path", sorted(LETTERS.glob("*.txt")), ids=lambda p: p.stem)
def test_shared_letters(path: Path) -> None:
    label = json.loads(path.with_suffix(".json").read_text())
    dist, signer = run(path.read_text(), label["symbol"])
    assert dist == label["distribution"]
    empty = {"authority": None, "position": None, "name": None}
    assert (signer.model_dump() if signer else empty) == (label["signer"] or empty)


def test_seal_bent_signer_lines() -> None:
    # Real scans: OCR lost the dot of `KT.` and bent the deputy's post under the seal.
    right = ["TM. ỦY BAN NHÂN DÂN", "KT CHỦ TICH", "PHO CHỦ TỊCH", ":A", "Trương Việt Dũng"]
    out = footer.extract(zones(["Nơi nhận:", "- Như trên;", "- Lưu: VT."], right, 55.0))
    assert out.values["signer"] == Signer(
        authority="TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", name="Trương Việt Dũng"
    )
    right = ["KT. BỘ TRƯỞNG, CHỦ NHIỆM", "⁄2 ĐXHỦ NHIỆM", "Í-//È`# 02", "Pham Mạnh Cường"]
    out = footer.extract(zones(["Nơi nhận:", "- Như trên;", "- Lưu: VT, CN."], right, 55.0))
    assert out.values["signer"] == Signer(
        authority="KT. BỘ TRƯỞNG, CHỦ NHIỆM", position="PHÓ CHỦ NHIỆM", name="Phạm Mạnh Cường"
    )


def test_authority_prefix_read_with_a_comma() -> None:
    right = ["TM. ỦY BAN NHÂN DÂN", "KT, CHỦ TỊCH", "HO CHỦ TỊCH", "Nguyễn Thị Thanh Lịch"]
    out = footer.extract(zones(["Nơi nhận:", "- Như trên;", "- Lưu: VT."], right, 70.0))
    assert out.values["signer"] == Signer(
        authority="TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", name="Nguyễn Thị Thanh Lịch"
    )


@pytest.mark.parametrize(
    ("read", "name"),
    [("rần Quốc Huy", "Trần Quốc Huy"), ("ỗ Minh Tuấn", "Đỗ Minh Tuấn"), ("âm Hải Giang", "Lâm Hải Giang")],
)
def test_name_whose_first_letters_the_seal_hid(read: str, name: str) -> None:
    right = ["GIÁM ĐỐC", read]
    out = footer.extract(zones(["Nơi nhận:", "- Như trên;", "- Lưu: VT, KDGP."], right, 80.0))
    assert out.values["signer"] == Signer(authority=None, position="GIÁM ĐỐC", name=name)


def test_lower_case_line_that_no_surname_ends_with_is_no_name() -> None:
    out = footer.extract(zones(["Nơi nhận:", "- Lưu: VT."], ["GIÁM ĐỐC", "xq Minh Tuấn"], 80.0))
    assert out.values["signer"].name is None


@pytest.mark.parametrize(
    "right",
    [
        ["TL. CHỦ TỊCH", "HÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Lê Thị Mai"],  # `KT. C` under the seal
        ["TL. CHỦ TỊCH", "XXT, CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Lê Thị Mai"],  # `KT.` bent
    ],
)
def test_deputy_post_under_a_step_whose_kt_was_lost(right: list[str]) -> None:
    # A deputy (PHÓ X) signs only `KT. X`: the line above the post that holds X is that step.
    out = footer.extract(zones(["Nơi nhận:", "- Như trên;", "- Lưu: VT, VX1."], right, 70.0))
    assert out.values["signer"] == Signer(
        authority="TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG", position="PHÓ CHÁNH VĂN PHÒNG", name="Lê Thị Mai"
    )


def test_a_head_signing_has_no_kt_step_added() -> None:
    right = ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Lê Thị Mai"]
    out = footer.extract(zones(["Nơi nhận:", "- Như trên;", "- Lưu: VT."], right, 70.0))
    assert out.values["signer"] == Signer(
        authority="TL. CHỦ TỊCH", position="CHÁNH VĂN PHÒNG", name="Lê Thị Mai"
    )


def test_authority_prefix_behind_specks_and_quotes() -> None:
    right = ["._TM.ỦY BAN NHÂN DÂN", "XXT, CHỦ ĐỊCH", "HO CHỦ TỊCH -", "Nguyễn Thị Thanh Lịch"]
    out = footer.extract(zones(["Nơi nhận:", "- Như trên;", "- Lưu: VT."], right, 70.0))
    assert out.values["signer"] == Signer(
        authority="TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", name="Nguyễn Thị Thanh Lịch"
    )
    right = ["“TL. BỘ TRƯỞNG", "KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "Hoàng Minh Cường"]
    out = footer.extract(zones(["Nơi nhận:", "- Lưu: VT."], right, 70.0))
    assert out.values["signer"].authority == "TL. BỘ TRƯỞNG KT. CỤC TRƯỞNG"
    for bent in ("TIM.", "IM."):  # OCR's `TIM.` and `IM.` for `TM.`
        right = [f"{bent} ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Siu Hơ Lan"]
        out = footer.extract(zones(["Nơi nhận:", "- Lưu: VT."], right, 70.0))
        assert out.values["signer"] == Signer(
            authority="TM. ỦY BAN NHÂN DÂN", position="CHỦ TỊCH", name="Siu Hơ Lan"
        )


@pytest.mark.parametrize(
    ("printed", "kept"),
    [
        ("- Văn phòng Chính phủ (đế b/€);", "Văn phòng Chính phủ (để b/c)"),
        ("- Các đơn vị duy trì thoát nước và XLNT;:", "Các đơn vị duy trì thoát nước và XLNT"),
        (".~ Ban TGĐÐĐ VNPT (để b/c);", "Ban TGĐ VNPT (để b/c)"),
        ("- - Sở Y tế;", "Sở Y tế"),
        ("- Đíc Bí thư Thành ủy;", "Đ/c Bí thư Thành ủy"),
        ("- Lưu: VT; KGVX.", "Lưu: VT, KGVX"),
    ],
)
def test_list_item_specks_and_misreads(printed: str, kept: str) -> None:
    assert run(f"Nơi nhận:\n{printed}\n- Lưu: VT, HC.")[0][0] == kept


def test_two_list_lines_read_as_one() -> None:
    left = [
        "Nơi nhận:",
        "3",
        "- Như trên; -",
        "VTS (để b/c);",
        "- Như Điều 3; :",
        "~ Viettel Gia Lai;",
        "- Lưu: VT.",
    ]
    out = footer.extract(zones(left, ["GIÁM ĐỐC", "Lê Văn Bình"], 80.0))
    assert out.values["distribution"] == [
        "Như trên",
        "VTS (để b/c)",
        "Như Điều 3",
        "Viettel Gia Lai",
        "Lưu: VT",
    ]
    dist, _ = run("Nơi nhận:\n- Như trên; - Sở Tài chính;\n- Lưu: VT.")
    assert dist == ["Như trên", "Sở Tài chính", "Lưu: VT"]


def test_the_deputy_rule_fills_a_step_or_post_the_seal_took() -> None:
    # `KT. X` is printed above `PHÓ X` (Decree 30/2020): either line alone implies the other.
    left = ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    out = footer.extract(zones(left, ["TL. CHỦ TỊCH", "PHÓ CHÁNH VĂN PHÒNG", "Lê Thị Mai"], 70.0))
    assert out.values["signer"] == Signer(
        authority="TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG", position="PHÓ CHÁNH VĂN PHÒNG", name="Lê Thị Mai"
    )
    out = footer.extract(zones(left, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Trương Việt Dũng"], 70.0))
    assert out.values["signer"] == Signer(
        authority="TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", name="Trương Việt Dũng"
    )
    out = footer.extract(zones(left, ["TM. ỦY BAN NHÂN DÂN", "Nguyễn Đức Thanh"], 70.0))
    assert out.values["signer"].position is None  # TM. says nothing of the post


def test_luu_initials_glued_and_unmatched_parentheses() -> None:
    assert clean_luu("Lưu: VT, KGVX.HN") == "Lưu: VT, KGVX"
    dist, _ = run(
        "Nơi nhận:\n- Công an tỉnh);\n- Văn phòng UBND) tỉnh;\n- CT, PCT UBND tỉnh (đ/c Hiếu);\n- Lưu: VT."
    )
    assert dist == ["Công an tỉnh", "Văn phòng UBND tỉnh", "CT, PCT UBND tỉnh (đ/c Hiếu)", "Lưu: VT"]


@pytest.mark.parametrize(
    ("right", "authority", "position"),
    [
        (["KT. GLÁM ĐỐC", "PHÓ GLÁM ĐỐC", "Đỗ Minh Tuấn"], "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        (["Q. GLUAM ĐOC", "Nguyễn Đình Tuấn"], None, "Q. GIÁM ĐỐC"),
        (["KT. CHỦ T1CH", "PHÓ CHỦ TỊCH", "Lê Văn Thành"], "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    ],
)
def test_post_whose_i_ocr_read_as_another_stroke(
    right: list[str], authority: str | None, position: str
) -> None:
    """Tesseract reads the serif capital I of a post as `L`, `1` or `|` (measured on the clean
    sample scans: `GLÁM ĐỐC`); the post is still the one the decree's list knows."""
    out = footer.extract(zones(["Nơi nhận:", "- Như trên;", "- Lưu: VT."], right, 80.0))
    signer = out.values["signer"]
    assert signer is not None
    assert (signer.authority, signer.position) == (authority, position)
