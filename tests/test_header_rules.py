"""Unit tests of the header building blocks: number and symbol, types, casing, motto, dates."""

from __future__ import annotations

import pytest

from extract.casing import normal_case
from extract.consensus import respell, spellings, unglue
from extract.header import clean_subject, header_date, reads_as_name
from extract.headlines import Span, capital_text, strip_motto
from extract.places import place_named_in, repair_place
from extract.subjects import fill_gaps, reacronym, undash, unglue_words, unwrap_dashes
from extract.symbols import (
    abbreviations_of,
    parse_number,
    repair_groups,
    repair_symbol,
    repair_type_group,
    symbol_only,
    type_of_symbol,
    type_of_title,
)
from extract.tonemarks import rehook
from extract.units import split_units
from extract.years import settle


@pytest.mark.parametrize(
    ("after_so", "number", "symbol"),
    [
        ("33/QĐ-UBND", "33/QĐ-UBND", "QĐ-UBND"),
        ("30/2020/NĐ-CP", "30/2020/NĐ-CP", "NĐ-CP"),
        ("57-NQ/TW", "57-NQ/TW", "NQ/TW"),
        ("            /UBND-KGVX", None, "UBND-KGVX"),
        ("/QĐ-UBND Hà Nội, ngày tháng năm 2026", None, "QĐ-UBND"),
        ("45/TTr-UBND", "45/TTr-UBND", "TTr-UBND"),
        ("7/QyĐ-UBND", "7/QyĐ-UBND", "QyĐ-UBND"),
        ("12/SGD&ĐT-VP", "12/SGD&ĐT-VP", "SGD&ĐT-VP"),
        ("5/UBND-VX1", "5/UBND-VX1", "UBND-VX1"),
        ("01/1999/QĐ.UB", "01/1999/QĐ.UB", "QĐ.UB"),
        ("25/UBND-KGVX Hậu Giang, ngày 5 tháng 1 năm 2018", "25/UBND-KGVX", "UBND-KGVX"),
        ("3722 / VPCP - CN", "3722/VPCP-CN", "VPCP-CN"),
        ("2956/VTS-ĐTTM.", "2956/VTS-ĐTTM", "VTS-ĐTTM"),
        # Handwritten numbers come out of OCR as junk: no number, the symbol stays.
        ("lIŠ/TB-UBND", None, "TB-UBND"),
        (".2Š/VPCP-CN", None, "VPCP-CN"),
    ],
)
def test_number_shapes(after_so: str, number: str | None, symbol: str) -> None:
    parsed = parse_number(after_so)
    assert parsed is not None
    assert (parsed.number, parsed.symbol) == (number, symbol)


@pytest.mark.parametrize("after_so", ["", "ngày 5 tháng 1", "12/8", "Hà Nội", "1/2/3"])
def test_no_symbol_no_number(after_so: str) -> None:
    assert parse_number(after_so) is None


@pytest.mark.parametrize(
    ("ocr", "repaired"),
    [("QÐ-UBND", "QĐ-UBND"), ("UBND-K0VX", "UBND-KOVX"), ("U8ND-KGVX", "UBND-KGVX"), ("QD-UBND", "QĐ-UBND"),
     ("VPCP-Cl", "VPCP-CI"), ("UBND-VX1", "UBND-VX1"), ("TTr-UBND", "TTr-UBND"), ("VlETTEL", "VIETTEL")],
)  # fmt: skip
def test_symbol_repairs(ocr: str, repaired: str) -> None:
    assert repair_symbol(ocr) == repaired


@pytest.mark.parametrize(
    ("symbol", "doc_type"),
    [("QĐ-UBND", "quyết định"), ("UBND-KGVX", "công văn"), ("TTr-UBND", "tờ trình"), ("TTR-UBND", "tờ trình"),
     ("NQ/TW", "nghị quyết"), ("CV/TU", "công văn"), ("QyĐ-UBND", "quy định"), ("CTr-UBND", "chương trình"),
     ("GM-UBND", "giấy mời"), ("KH-SGDĐT", "kế hoạch"), ("VPCP-CN", "công văn"), (None, None)],
)  # fmt: skip
def test_type_of_symbol(symbol: str | None, doc_type: str | None) -> None:
    assert type_of_symbol(symbol) == doc_type


@pytest.mark.parametrize(
    ("line", "doc_type"),
    [("QUYẾT ĐỊNH", "quyết định"), ("QUYÉT ĐỊNH", "quyết định"), ("QUY ĐỊNH", "quy định"),
     ("THÔNG BÁO", "thông báo"), ("KẾ HOẠCH", "kế hoạch"), ("TỜ TRÌNH", "tờ trình"), ("GIẤY MỜI", "giấy mời"),
     ("CÔNG ĐIỆN", "công điện"), ("  CHỈ THỊ  ", "chỉ thị"), ("QUYẾT ĐỊNH:", None), ("Quyết định này", None),
     ("ỦY BAN NHÂN DÂN", None), ("THÀNH PHỐ HÀ NỘI", None), ("", None)],
)  # fmt: skip
def test_type_of_title(line: str, doc_type: str | None) -> None:
    assert type_of_title(line) == doc_type


@pytest.mark.parametrize(
    ("printed", "normal"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH GIA LAI", "Ủy ban nhân dân tỉnh Gia Lai"),
        ("UỶ BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Ủy ban nhân dân thành phố Hà Nội"),
        ("ỦY BAN NHÂN DÂN THÀNH PHÓ HÀ NỘI", "Ủy ban nhân dân thành phố Hà Nội"),  # OCR lost a mark
        ("VĂN PHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ"),
        ("BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "Bộ Thông tin và Truyền thông"),
        ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo"),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
        ("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("ỦY BAN NHÂN DÂN HUYỆN CHƯ SÊ", "Ủy ban nhân dân huyện Chư Sê"),
        ("ỦY BAN NHÂN DÂN QUẬN BA ĐÌNH", "Ủy ban nhân dân quận Ba Đình"),
        ("VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "Văn phòng Ủy ban nhân dân tỉnh Hà Tĩnh"),
        ("VIỄN THÔNG GIA LAI", "Viễn thông Gia Lai"),
        ("TẬP ĐOÀN BƯU CHÍNH VIỄN THÔNG VIỆT NAM", "Tập đoàn Bưu chính Viễn thông Việt Nam"),
        ("TẬP ĐOÀN CÔNG NGHIỆP - VIỄN THÔNG QUÂN ĐỘI", "Tập đoàn Công nghiệp - Viễn thông Quân đội"),
        ("UBND TỈNH NGHỆ AN", "UBND tỉnh Nghệ An"),
        ("SỞ Y TẾ", "Sở Y tế"),
        ("TỈNH ỦY GIA LAI", "Tỉnh ủy Gia Lai"),
        ("ĐẢNG ỦY XÃ IA GRAI", "Đảng ủy xã Ia Grai"),
        ("SỞ THÔNG TIN. VÀ TRUYỀN THÔNG", "Sở Thông tin và Truyền thông"),  # a speck after a syllable
        ("ỦY BAN NHÂN DÂN TỈNH.HƯNG YÊN", "Ủy ban nhân dân tỉnh Hưng Yên"),  # a space read as a dot
        ("ỦY BAN NHÂN DÂN TP. HỒ CHÍ MINH", "Ủy ban nhân dân TP. Hồ Chí Minh"),
    ],
)
def test_normal_case(printed: str, normal: str) -> None:
    assert normal_case(printed) == normal


@pytest.mark.parametrize(
    ("printed", "place"),
    [("Hà Nội", "Hà Nội"), ("Hà Nôi", "Hà Nội"), ("Thanh Hoá", "Thanh Hoá"), ("Thanh Hóa", "Thanh Hóa"),
     ("Tân An", "Tân An"), ("Mỹ Tho", "Mỹ Tho")],
)  # fmt: skip
def test_repair_place(printed: str, place: str) -> None:
    assert repair_place(printed) == place


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN"),
        ("TỈNH HẬU GIANG Độc lập - Tự do - Hạnh phúc", "TỈNH HẬU GIANG"),
        ("THÀNH PHÓ HÀ NỘI Độc lập —- Tự do —- Hạnh phúc", "THÀNH PHÓ HÀ NỘI"),
        ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", None),
        ("CỘNG", None),  # the motto broken over lines
        ("TỈNH HÀ NAM", "TỈNH HÀ NAM"),
        ("TỈNH ỦY GIA LAI ĐẢNG CỘNG SẢN VIỆT NAM", "TỈNH ỦY GIA LAI"),
        ("Hà Nội, ngày 28 tháng 4 năm 2026", "Hà Nội, ngày 28 tháng 4 năm 2026"),
    ],
)
def test_strip_motto(line: str, kept: str | None) -> None:
    got = strip_motto(Span(0, len(line), line))
    assert (got.text if got else None) == kept


@pytest.mark.parametrize(
    ("day", "month", "year", "iso"),
    [("14", "8", "2023", "2023-08-14"), ("", "8", "2023", "2023-08"), ("2Š", "4", "2026", "2026-04"),
     ("31", "2", "2024", "2024-02"), ("", "", "2026", None), ("", "", None, None), ("5", "13", "2018", None),
     ("05", "01", "2018", "2018-01-05"), ("28", "Z7", "2023", "2023-07-28"),
     ("1O", "l2", "2023", "2023-12-10")],
)  # fmt: skip
def test_header_date(day: str, month: str, year: str | None, iso: str | None) -> None:
    assert header_date(day, month, year) == iso


@pytest.mark.parametrize(
    ("lines", "units"),
    [
        (["ỦY BAN NHÂN DÂN", "TỈNH GIA LAI"], [[0, 1]]),
        (["UBND TỈNH NGHỆ AN", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"], [[0], [1]]),
        (["BỘ THÔNG TIN", "VÀ TRUYỀN THÔNG"], [[0, 1]]),
        (["VĂN PHÒNG", "CHÍNH PHỦ"], [[0, 1]]),
        (["TẬP ĐOÀN BƯU CHÍNH VIỄN THÔNG VIỆT NAM", "VIỄN THÔNG GIA LAI"], [[0], [1]]),
        (["TẬP ĐOÀN BƯU CHÍNH", "VIỄN THÔNG VIỆT NAM"], [[0, 1]]),
        (["TẬP ĐOÀN BƯU CHÍNH:", "VIỄN THÔNG VIỆTNAM_", "VIỄN THÔNG GIA LAI."], [[0, 1], [2]]),
        (["TẬP ĐOÀN CÔNG NGHIỆP -", "VIỄN THÔNG QUÂN ĐỘI", "TỔNG CÔNG TY GIẢI PHÁP", "DOANH NGHIỆP VIETTEL"],
         [[0, 1], [2, 3]]),
        (["ỦY", "BAN NHÂN DÂN", "TỈNH TIỀN GIANG"], [[0, 1, 2]]),
        (["UBND HUYỆN CHƯ SÊ", "PHÒNG VĂN HÓA VÀ THÔNG TIN"], [[0], [1]]),
        (["ĐẢNG BỘ TỈNH GIA LAI", "TỈNH ỦY GIA LAI"], [[0], [1]]),
    ],
)
def test_split_units(lines: list[str], units: list[list[int]]) -> None:
    assert split_units(lines) == units


def test_number_without_its_slash() -> None:
    # OCR drops the slash of `86/GM-UBND`; digits glued to a letter group can only be n/symbol.
    parsed = parse_number("86GM-UBND")
    assert parsed is not None and (parsed.number, parsed.symbol) == ("86/GM-UBND", "GM-UBND")


@pytest.mark.parametrize(
    ("issuer", "abbreviations"),
    [("Ủy ban nhân dân tỉnh Gia Lai", ("UBND",)), ("Sở Giáo dục và Đào tạo", ("SGD&ĐT", "SGDĐT")),
     ("Văn phòng Chính phủ", ("VPCP",)), ("Bộ Thông tin và Truyền thông", ("BTT&TT", "BTTTT")), (None, ())],
)  # fmt: skip
def test_abbreviations_of_issuer(issuer: str | None, abbreviations: tuple[str, ...]) -> None:
    assert abbreviations_of(issuer) == abbreviations


@pytest.mark.parametrize(
    ("read", "issuer", "repaired"),
    [("BTTTI-CĐSQG", "Bộ Thông tin và Truyền thông", "BTTTT-CĐSQG"),
     ("SLLTT-CĐS", "Sở Thông tin và Truyền thông", "STTTT-CĐS"),
     ("TIr-UBND", "Ủy ban nhân dân thành phố Pleiku", "TTr-UBND"),
     ("C1-UBND", "Ủy ban nhân dân tỉnh Gia Lai", "CT-UBND"),
     ("UBND-VX1", "Ủy ban nhân dân tỉnh Đắk Lắk", "UBND-VX1"),  # a numbered department stays
     ("UBND-KGVX", "Ủy ban nhân dân tỉnh Gia Lai", "UBND-KGVX")],
)  # fmt: skip
def test_symbol_groups_repaired_against_types_and_issuer(read: str, issuer: str, repaired: str) -> None:
    assert repair_groups(read, abbreviations_of(issuer)) == repaired


def test_worn_place_noun_before_a_province() -> None:
    assert normal_case("ỦY BAN NHÂN DÂN TÍNH HẬU GIANG") == "Ủy ban nhân dân tỉnh Hậu Giang"
    assert normal_case("SỞ TÍNH TOÁN") != "Sở tỉnh Toán"


def test_respell_from_the_rest_of_the_letter() -> None:
    body = "Treo cờ Tổ quốc. Ngày Tổ quốc, cờ Tổ quốc. Chuyển đổi số; chuyển đổi số."
    table = spellings(body)
    assert respell("Về việc treo cờ Tô quôc", table) == "Về việc treo cờ Tổ quốc"
    assert respell("Chuyển đối số", table) == "Chuyển đổi số"


@pytest.mark.parametrize(
    ("value", "body"),
    [
        ("treo cờ Tô quôc", "cờ Tổ quốc"),  # one vote is no evidence
        ("Thoả thuận hợp tác", "Thỏa thuận; thỏa thuận; thỏa thuận"),  # old tone placement is as printed
        ("bán đấu giá", "bản đấu giá; bản đấu giá; bán đấu giá; bán đấu giá"),  # own spelling as common
    ],
)
def test_respell_needs_clear_evidence(value: str, body: str) -> None:
    assert respell(value, spellings(body)) == value


def test_respell_with_the_dictionary() -> None:
    lexicon = frozenset({"thành phố", "chuyển đổi", "đối số"})
    # The letter reads `Thành phô` more often than `Thành phố`; only the dictionary tells.
    table = spellings("Thành phô mùa mưa; Thành phô; Thành phố; Thành phô")
    for key, counts in spellings("Thành phô mùa mưa").items():
        table[key].subtract(counts)
    assert respell("nội thành Thành phô mùa mưa", table, lexicon) == "nội thành Thành phố mùa mưa"
    # `đổi số` is no dictionary word but `đổi` belongs to `chuyển đổi` as read: no change to `đối số`.
    table = spellings("chuyển đổi số; hàm đối số")
    assert respell("chuyển đổi số", table, lexicon) == "chuyển đổi số"


def test_respell_keeps_dictionary_words_as_read() -> None:
    # OCR of the body spells `Thành phó` and `phó Hà` most often; the issuer's `thành phố` is a word.
    table = spellings("Thành phó Hà Nội; thành phó Hà Nội; Thành phó")
    lexicon = frozenset({"thành phố"})
    value = "Ủy ban nhân dân thành phố Hà Nội"
    assert respell(value, table, lexicon) == value


def test_unglue_as_the_letter_spells_the_pair() -> None:
    table = spellings("Sở Thông tin và Truyền thông; Bộ Thông tin và Truyền thông")
    assert unglue("Bộ Thôngtin và Truyền thông", table) == "Bộ Thông tin và Truyền thông"
    assert unglue("BỘ THÔNGTIN", table) == "BỘ THÔNG TIN"
    assert unglue("Viettel", table) == "Viettel"


@pytest.mark.parametrize(
    ("after_so", "number", "symbol"),
    [("DO GM-UBND", None, "GM-UBND"), ("2085 UBND-KGVX", "2085/UBND-KGVX", "UBND-KGVX"),
     ("25.UBND-KGVX", "25/UBND-KGVX", "UBND-KGVX"), ("2085⁄UBND-KGVX", "2085/UBND-KGVX", "UBND-KGVX")],
)  # fmt: skip
def test_garbled_slash(after_so: str, number: str | None, symbol: str) -> None:
    parsed = parse_number(after_so) or symbol_only(after_so)
    assert parsed is not None and (parsed.number, parsed.symbol) == (number, symbol)


def test_one_d_read_as_two_glyphs_in_a_symbol() -> None:
    parsed = parse_number(" 1123/BTTTT-CĐÐSQG")
    assert parsed is not None and parsed.symbol == "BTTTT-CĐSQG"


def test_rule_after_the_symbol() -> None:
    parsed = parse_number(" 11/2015/QĐ-UBND -...")
    assert parsed is not None and (parsed.number, parsed.symbol) == ("11/2015/QĐ-UBND", "QĐ-UBND")


@pytest.mark.parametrize("after_so", ["Hà Nội - Tây", "Do Gm-ubnd", "ngày 5 tháng 1"])
def test_no_lone_symbol_in_words(after_so: str) -> None:
    assert symbol_only(after_so) is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("chuyển đổi. số giữa", "chuyển đổi số giữa"), ("hỗ trợ.", "hỗ trợ"), ("năm 2025 --:", "năm 2025"),
     ("Cảng hàng không -quốc tế", "Cảng hàng không quốc tế"),
     ("Bến Thành - Suối Tiên", "Bến Thành - Suối Tiên"),
     ("TP. Hồ Chí Minh", "TP. Hồ Chí Minh"), ("kinh tế - xã hội", "kinh tế - xã hội"),
     ("___ Về việc đề nghị", "Về việc đề nghị"), ("KHAI . THÁC", "KHAI THÁC"), ("", None),
     ("Nền tảng -_y tế", "Nền tảng y tế"), ("KHAI 'THÁC VÀ", "KHAI THÁC VÀ"),
     ("Kế hoạch Bảoø đảm", "Kế hoạch Bảo đảm"),
     ("bổ sung.các giải pháp", "bổ sung các giải pháp"), ("Cổng dichvucong.gov.vn", "Cổng dichvucong.gov.vn"),
     ("Tập đoàn Viettel,", "Tập đoàn Viettel"), ("MẠNG TIN. HỌC", "MẠNG TIN HỌC"),
     ("TP. HỒ CHÍ MINH", "TP. HỒ CHÍ MINH"), ("mạng Wifi", "mạng Wifi"),
     ('lớp "Bình dân học vụ số” cho', 'lớp "Bình dân học vụ số" cho'),
     ('dùng “Nền tảng số" và "Dịch vụ công”', 'dùng “Nền tảng số” và "Dịch vụ công"'),
     ('dùng “Nền tảng số” và "Dịch vụ công"', 'dùng “Nền tảng số” và "Dịch vụ công"')],
)  # fmt: skip
def test_clean_subject(raw: str, clean: str | None) -> None:
    assert clean_subject(raw) == clean


def test_a_dash_the_letter_never_prints_between_two_words_goes() -> None:
    table = spellings("các nền tảng do doanh nghiệp hỗ trợ; phát triển kinh tế - xã hội")
    assert undash("do doanh nghiệp - hỗ trợ", table) == "do doanh nghiệp hỗ trợ"
    assert undash("kinh tế - xã hội", table) == "kinh tế - xã hội"
    assert undash("Bến Thành - Suối Tiên", spellings("Bến Thành Suối Tiên")) == "Bến Thành - Suối Tiên"


@pytest.mark.parametrize(
    ("symbol", "doc_type", "repaired"),
    [("CĐĐ-UBND", "công điện", "CĐ-UBND"), ("QD-UBND", "quyết định", "QĐ-UBND"),
     ("TB-UBND", "quyết định", "TB-UBND"), ("UBND-KGVX", "công văn", "UBND-KGVX"),
     ("KH-UBND", None, "KH-UBND"), ("NQ/TW", "nghị quyết", "NQ/TW")],
)  # fmt: skip
def test_title_repairs_the_type_group(symbol: str, doc_type: str | None, repaired: str) -> None:
    assert repair_type_group(symbol, doc_type) == repaired


@pytest.mark.parametrize(
    ("line", "name"),
    [("ỦY BAN NHÂN DÂN", True), ("TỔNG CÔNG TY GIẢI PHÁP DOANH NGHIỆP VIETTEL", True), ("SỞ GD&ĐT", True),
     ("TẬP ĐOÀN CÔNG NGHIỆP - VIỄN THÔNG QUÂN ĐỘI", True), ("XÃ IA HRÚ", True),
     ("Mi (HDIEEDBM,", False), ("NHỦHh ÁP Ba LIỀU", False)],
)  # fmt: skip
def test_issuer_lines_read_as_names(line: str, name: bool) -> None:
    assert reads_as_name(line) is name


@pytest.mark.parametrize(
    ("line", "text"),
    [("'SỞ THÔNG TIN", "SỞ THÔNG TIN"), ("TẬP-ĐOÀN CÔNG NGHIỆP -", "TẬP ĐOÀN CÔNG NGHIỆP -"),
     ("_ĐOANH NGHIỆP VIETTEL", "ĐOANH NGHIỆP VIETTEL"), ("TT9I VĂN PHÒNG CHÍNH PHỦ", "VĂN PHÒNG CHÍNH PHỦ"),
     ("CÔNG NGHIỆP- ˆ VIỄN THÔNG", "CÔNG NGHIỆP - VIỄN THÔNG"), ("SGD&ĐT", "SGD&ĐT")],
)  # fmt: skip
def test_capital_text_without_ocr_dust(line: str, text: str) -> None:
    got = capital_text(Span(0, len(line), line))
    assert got is not None and got.text == text


def test_unglue_short_words_and_protected_lexicon_spellings() -> None:
    table = spellings("Sở Y tế; Sở Y tế. Tống công ty; Tống công ty; Tống công ty")
    assert unglue("SỞY TẾ", table) == "SỞ Y TẾ"
    # OCR spells `Tống` throughout; the lexicon's `Tổng` stays.
    assert respell("Tổng công ty", table, protected=frozenset({"tổng"})) == "Tổng công ty"


def test_acute_read_for_a_hook_is_rehooked() -> None:
    lexicon = frozenset({"thúc đẩy", "chuyển đổi", "đối số", "đấu giá", "bán đấu"})
    # The dictionary knows `thúc đẩy`, not `thúc đấy`, even when the letter repeats the misread.
    table = spellings("họp về thúc đấy hợp tác; thúc đấy")
    assert rehook("về thúc đấy hợp tác", table, lexicon) == "về thúc đẩy hợp tác"
    # `chuyển đổi` and `đối số` are both words: the letter decides, a tie going to the hook.
    table = spellings("Chuyển đổi số; chuyển đối số")
    assert rehook("Chuyển đối số", table, lexicon) == "Chuyển đổi số"
    assert rehook("Chuyển đối số", spellings("đối số; đối số"), lexicon) == "Chuyển đối số"
    assert rehook("bán đấu giá", spellings(""), lexicon) == "bán đấu giá"


def test_respell_never_turns_a_hook_acute() -> None:
    table = spellings("chuyển đối số; chuyển đối số; chuyển đối số")
    assert respell("Chuyển đổi số", table) == "Chuyển đổi số"


@pytest.mark.parametrize(
    ("date", "conf", "number", "body", "cited", "settled"),
    [
        # A doubted year the body never names takes the variant it does name, no older than a citation.
        ("2033-08-21", 83.0, None, "Văn bản ngày 14/4/2023; trước ngày 25/8/2023; đến năm 2025", [2023],
         ("2023-08-21", None)),
        ("2025-10-25", 86.0, None, "Kế hoạch ngày 04 tháng 9 năm 2023; đến hết ngày 31/3/2024", [2023],
         ("2023-10-25", None)),
        # A legal document's number carries the year of issue.
        ("2009-12-24", 96.0, "33/2003/QĐ-UBND", "ngày 26/11/2003; ngày 10/4/2007", [2003, 2007],
         ("2009-12-24", "33/2009/QĐ-UBND")),
        # A year OCR is sure of, a year the body names, a text layer: as printed.
        ("2009-12-24", 96.0, None, "ngày 10/4/2007; ngày 10/4/2008", [2007], ("2009-12-24", None)),
        ("2024-06-17", 80.0, None, "trước ngày 31/7/2024", [2024], ("2024-06-17", None)),
        ("2033-08-21", None, None, "ngày 14/4/2023", [2023], ("2033-08-21", None)),
        ("2023-08-21", 96.0, None, "Văn bản ngày 14/4/2033", [2033], ("2023-08-21", None)),
        # A doubted date year nothing supports does not move the number's year.
        ("2003-12-24", 80.0, "33/2005/QĐ-UBND", "ngày 10/4/2012", [2012], ("2003-12-24", "33/2005/QĐ-UBND")),
    ],
)  # fmt: skip
def test_year_settled_against_the_body(
    date: str, conf: float | None, number: str | None, body: str, cited: list[int], settled: tuple
) -> None:
    assert settle(date, conf, number, body, cited) == settled


@pytest.mark.parametrize(
    ("printed", "names", "place"),
    [
        ("Gia Ea", ["Ủy ban nhân dân tỉnh Gia Lai"], "Gia Lai"),
        ("Pleiku", ["Ủy ban nhân dân thành phố Pleiku"], "Pleiku"),
        ("Hà Nội", ["Sở Y tế tỉnh Hà Nam"], "Hà Nội"),  # a province as read stays
        ("Mỹ Tho", ["Ủy ban nhân dân tỉnh Tiền Giang"], "Mỹ Tho"),  # the seat, not the province
    ],
)
def test_place_repaired_from_the_issuer_name(printed: str, names: list[str], place: str) -> None:
    assert place_named_in(printed, names) == place


def test_unread_subject_words_filled_from_the_body() -> None:
    value = "QUẢN LÝ HỆ THỐNG MỘT CỬA ĐIỆN TỬ Ti nn ĐỊA BÀN TỈNH LONG AN"
    body = f"{value} ... Điều 1. Ban hành Quy chế quản lý hệ thống một cửa điện tử trên địa bàn tỉnh Long An."
    filled = "QUẢN LÝ HỆ THỐNG MỘT CỬA ĐIỆN TỬ TRÊN ĐỊA BÀN TỈNH LONG AN"
    assert fill_gaps(value, {"Ti", "nn"}, body) == filled
    # Two readings in the body, or none: the gap stays as read.
    twice = body + " Hệ thống một cửa điện tử của địa bàn."
    assert fill_gaps(value, {"Ti", "nn"}, twice) == value
    assert fill_gaps(value, {"Ti", "nn"}, "Điều 1. Ban hành.") == value


def test_subject_words_run_together_split_as_the_letter_prints_them() -> None:
    table = spellings("cải thiện chỉ số DTI tỉnh Gia Lai; mạng MobiFone")
    assert unglue_words("chỉ số DTI tỉnhGiaLai", table) == "chỉ số DTI tỉnh Gia Lai"
    assert unglue_words("mạng MobiFone", table) == "mạng MobiFone"  # a brand's capital stays


def test_an_acronym_misread_once_is_the_one_the_letter_prints_elsewhere() -> None:
    whole = "hợp tác với Tập đoàn VNET ... Tập đoàn VNPT đề xuất ... VNPT Gia Lai"
    assert reacronym("hợp tác với Tập đoàn VNET", whole) == "hợp tác với Tập đoàn VNPT"


@pytest.mark.parametrize(
    ("value", "whole"),
    [("Chỉ số (DTI) năm 2024", "Chỉ số (DTI) năm 2024 ... Chỉ số (DTT) năm 2024"),  # one against one
     ("Tập đoàn VNET", "Tập đoàn VNET ... VNPT ... VNET"),  # printed as read elsewhere too
     ("Tập đoàn VNET", "Tập đoàn VNET ... VNPT ... VNPTT ... VNPTT"),  # printed once: no evidence
     ("QUY ĐỊNH VỀ THUÊ BAO DI ĐỘNG", "ỦY BAN ... TM. ỦY BAN ... THUÊ BAO")],  # capitals: syllables
)  # fmt: skip
def test_an_acronym_stays_as_read_without_a_clear_majority(value: str, whole: str) -> None:
    assert reacronym(value, whole) == value


def test_dash_at_a_subject_line_edge() -> None:
    lines = ["cơ chế đặc thù xây dựng công trình -", "khẩn cấp đối với Dự án"]
    value = " ".join(lines)
    assert unwrap_dashes(value, lines, value) == "cơ chế đặc thù xây dựng công trình khẩn cấp đối với Dự án"
    lines = ["nâng cao chỉ số DTI", "- của tỉnh Gia Lai"]
    assert unwrap_dashes(" ".join(lines), lines, "") == "nâng cao chỉ số DTI của tỉnh Gia Lai"
    lines = ["phát triển kinh tế -", "xã hội"]  # printed so in the body too: a real dash
    whole = "phát triển kinh tế - xã hội; ổn định kinh tế - xã hội"
    assert unwrap_dashes(" ".join(lines), lines, whole) == "phát triển kinh tế - xã hội"


@pytest.mark.parametrize(
    ("printed", "place"),
    [("Gia LaI", "Gia Lai"), ("Hà Nôi", "Hà Nội"), ("Thanh Hoá", "Thanh Hoá"), ("HÀ NỘI", "HÀ NỘI"),
     ("Pleiku", "Pleiku")],
)
def test_province_as_printed_or_repaired(printed: str, place: str) -> None:
    assert repair_place(printed) == place
