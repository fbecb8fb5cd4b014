"""`tasks`: directives, hard cases one by one, and the shared letters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from extract import tasks
from extract.bodies import parse_list
from extract.model import Directive
from extract.views import ZoneViews

LETTERS = Path(__file__).resolve().parent / "data" / "shared-letters"


def run(text: str, date: str | None = "2023-08") -> list[Directive]:
    return tasks.extract(ZoneViews.of_text(text), letter_date=date).values["tasks"]


def summary(text: str, date: str | None = "2023-08") -> list[tuple[str | None, list[str], str | None]]:
    return [(t.ordinal, t.assignees, t.deadline) for t in run(text, date)]


def bodies(text: str) -> list[str]:
    return parse_list(text, 0).texts(text)


# --- bodies ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Tập đoàn VNPT và Tập đoàn Viettel chỉ đạo", ["Tập đoàn VNPT", "Tập đoàn Viettel"]),
        ("Sở Thông tin và Truyền thông chủ trì", ["Sở Thông tin và Truyền thông"]),
        ("Các sở, ban, ngành của tỉnh; các cơ quan, đơn vị liên quan nghiên cứu",
         ["Các sở, ban, ngành của tỉnh", "các cơ quan, đơn vị liên quan"]),
        ("Ủy ban nhân dân các huyện, thị xã, thành phố có trách nhiệm",
         ["Ủy ban nhân dân các huyện, thị xã, thành phố"]),
        ("các Bộ: Công an, Tài chính, Nông nghiệp và Môi trường có ý kiến",
         ["các Bộ: Công an, Tài chính, Nông nghiệp và Môi trường"]),
        ("Giám đốc, Thủ trưởng các Sở, ban, ngành Thành phố chịu trách nhiệm",
         ["Giám đốc, Thủ trưởng các Sở, ban, ngành Thành phố"]),
        ("Giám đốc các sở, Trưởng các ban, ngành cấp tỉnh chịu trách nhiệm",
         ["Giám đốc các sở", "Trưởng các ban, ngành cấp tỉnh"]),
        ("Chủ tịch UBND các xã, phường và các tổ chức, cá nhân liên quan có trách nhiệm",
         ["Chủ tịch UBND các xã, phường", "các tổ chức, cá nhân liên quan"]),
        ("Văn phòng HĐND và UBND huyện chuẩn bị hội trường", ["Văn phòng HĐND và UBND huyện"]),
        ("Cục Chuyển đổi số quốc gia tổ chức thẩm định", ["Cục Chuyển đổi số quốc gia"]),
        ("Sở Kế hoạch và Đầu tư chủ trì", ["Sở Kế hoạch và Đầu tư"]),
        ("Trưởng các thôn, làng, tổ dân phố có trách nhiệm", ["Trưởng các thôn, làng, tổ dân phố"]),
    ],
)  # fmt: skip
def test_body_lists(text: str, names: list[str]) -> None:
    assert bodies(text) == names


def test_common_nouns_open_no_body() -> None:
    assert bodies("Trung tâm giám sát an toàn thông tin mạng cho các cơ quan") == []
    assert bodies("sở tài chính") == []


# --- numbered items ------------------------------------------------------------------------------


def test_numbered_items_to_different_bodies() -> None:
    text = (
        "Kính gửi: Ủy ban nhân dân các huyện.\n"
        "Ủy ban nhân dân tỉnh có ý kiến như sau:\n"
        "1. Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát kinh phí, "
        "báo cáo trước ngày 20/9/2023.\n"
        "2. Đề nghị Tập đoàn VNPT và Tập đoàn Viettel hỗ trợ các địa phương.\n"
        "3. Ủy ban nhân dân các huyện, thị xã, thành phố có trách nhiệm tổ chức thực hiện; báo cáo kết quả\n"
        "trong tháng 10/2023./."
    )
    got = run(text)
    assert [(t.ordinal, t.assignees, t.deadline) for t in got] == [
        ("1", ["Sở Tài chính"], "2023-09-20"),
        ("2", ["Tập đoàn VNPT", "Tập đoàn Viettel"], None),
        ("3", ["Ủy ban nhân dân các huyện, thị xã, thành phố"], "2023-10-31"),
    ]
    assert got[0].cooperating == ["Sở Nội vụ"]
    assert got[2].text.endswith("trong tháng 10/2023")


def test_d_stroke_items_follow_d() -> None:
    text = (
        "Sở Thông tin và Truyền thông:\n"
        "a) Hướng dẫn các cơ quan cập nhật số liệu;\nb) Tổ chức tập huấn;\nc) Rà soát hạ tầng;\n"
        "d) Kiểm tra an toàn thông tin;\nđ) Tổng hợp, báo cáo trước ngày 30/11/2023./."
    )
    got = summary(text)
    assert [o for o, _, _ in got] == ["a", "b", "c", "d", "đ"]
    assert all(a == ["Sở Thông tin và Truyền thông"] for _, a, _ in got)
    assert got[-1][2] == "2023-11-30"


def test_dashes_under_a_numbered_item_inherit_its_bodies() -> None:
    text = (
        "1. Phòng Giáo dục và Đào tạo các huyện:\n- Chỉ đạo các trường rà soát dữ liệu;\n"
        "- Tổng hợp danh sách, gửi về Sở trước ngày 20/9.\n"
        "2. Đề nghị VNPT Nghệ An hỗ trợ kỹ thuật./."
    )
    assert summary(text, "2024-08") == [
        ("1", ["Phòng Giáo dục và Đào tạo các huyện"], None),
        ("1", ["Phòng Giáo dục và Đào tạo các huyện"], "2024-09-20"),
        ("2", ["VNPT Nghệ An"], None),
    ]


def test_items_inherit_the_bodies_of_a_lead_in() -> None:
    text = "Sở Y tế đề nghị các đơn vị:\n1. Cử cán bộ tham gia tập huấn.\n2. Bảo đảm bí mật thông tin./."
    assert summary(text) == [("1", ["các đơn vị"], None), ("2", ["các đơn vị"], None)]


def test_a_label_and_value_item_is_no_task_and_the_paragraph_after_it_is() -> None:
    text = (
        "1. Thời gian: 08 giờ 00, ngày 08/9/2023.\n2. Địa điểm: Hội trường Ủy ban nhân dân huyện.\n"
        "Giao Phòng Văn hóa và Thông tin chuẩn bị tài liệu trước ngày 07/9/2023; Văn phòng HĐND và UBND "
        "huyện chuẩn bị hội trường.\nRất mong các đại biểu tham dự đầy đủ./."
    )
    assert summary(text) == [
        (None, ["Phòng Văn hóa và Thông tin"], "2023-09-07"),
        (None, ["Văn phòng HĐND và UBND huyện"], None),
    ]


# --- quyết định articles ---------------------------------------------------------------------------

DECISION = """QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý hệ thống một cửa điện tử.
Điều 2. Giao Sở Thông tin và Truyền thông triển khai, hướng dẫn thực hiện Điều 1 của Quyết định này.
Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Thông tin và Truyền thông, Chủ tịch UBND các huyện, thành phố \
và các cơ quan, tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều 3;"""


def test_articles_that_assign_bodies() -> None:
    assert summary(DECISION) == [
        ("Điều 2", ["Sở Thông tin và Truyền thông"], None),
        (
            "Điều 3",
            [
                "Chánh Văn phòng UBND tỉnh",
                "Giám đốc Sở Thông tin và Truyền thông",
                "Chủ tịch UBND các huyện, thành phố",
                "các cơ quan, tổ chức, cá nhân có liên quan",
            ],
            None,
        ),
    ]


def test_implementation_paragraph_after_the_entry_into_force_article() -> None:
    text = (
        "QUYẾT ĐỊNH:\nĐiều 1. Ban hành Kế hoạch chuyển đổi số.\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
        "Chánh Văn phòng UBND tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./."
    )
    assert summary(text) == [(None, ["Chánh Văn phòng UBND tỉnh", "Giám đốc các sở"], None)]
    same_paragraph = text.replace("ngày ký.\n\nChánh", "ngày ký. Chánh")
    assert summary(same_paragraph) == [("Điều 2", ["Chánh Văn phòng UBND tỉnh", "Giám đốc các sở"], None)]


# --- sentences ---------------------------------------------------------------------------------------


def test_sentences_that_ask_bodies_to_act() -> None:
    text = (
        "Nhân dịp Đại hội, Ủy ban nhân dân thành phố đề nghị các cơ quan, đơn vị của Trung ương; "
        "các sở, ban, "
        "ngành và các hộ gia đình treo cờ Tổ quốc từ ngày 10/5/2026 đến hết ngày 14/5/2026.\n"
        "Ủy ban nhân dân các phường, xã có trách nhiệm kiểm tra việc treo cờ; Thủ trưởng các cơ quan, đơn vị "
        "chỉ đạo việc treo cờ ở đơn vị./."
    )
    assert summary(text, None) == [
        (None, ["các cơ quan, đơn vị của Trung ương", "các sở, ban, ngành", "các hộ gia đình"], None),
        (None, ["Ủy ban nhân dân các phường, xã"], None),
        (None, ["Thủ trưởng các cơ quan, đơn vị"], None),
    ]


def test_opinion_then_directive() -> None:
    text = "Chủ tịch UBND tỉnh có ý kiến: Giao Sở Xây dựng kiểm tra, báo cáo trước ngày 5/9/2023./."
    assert summary(text) == [(None, ["Sở Xây dựng"], "2023-09-05")]


def test_plain_sentences_order_nothing() -> None:
    text = (
        "Ủy ban nhân dân tỉnh nhận được Văn bản số 131/GLI-KDGP của Viettel Gia Lai.\n"
        "Chủ tịch UBND tỉnh có ý kiến như sau:\n"
        "Việc triển khai cần bảo đảm tính khả thi.\n"
        "Văn phòng Chính phủ thông báo để các Bộ, cơ quan biết, thực hiện./."
    )
    assert run(text) == []


def test_closing_formula_is_no_task() -> None:
    text = (
        "1. Giao Sở Tài chính thẩm định kinh phí.\n"
        "Ủy ban nhân dân tỉnh đề nghị Tập đoàn VNPT phối hợp thực hiện; yêu cầu các sở, ban, ngành "
        "nghiêm túc triển khai./."
    )
    assert summary(text) == [("1", ["Sở Tài chính"], None)]


def test_the_author_asks_after_the_last_item() -> None:
    text = (
        "Viễn thông Gia Lai đề xuất các nội dung sau:\n1. Nền tảng y tế thông minh.\n"
        "2. Trung tâm giám sát an toàn thông tin mạng.\nĐể có cơ sở triển khai, Viễn thông Gia Lai "
        "kính đề nghị Ủy ban nhân dân tỉnh giao Sở "
        "Thông tin và Truyền thông chủ trì.\nTrân trọng./."
    )
    assert summary(text) == [(None, ["Ủy ban nhân dân tỉnh"], None)]


@pytest.mark.parametrize(
    ("phrase", "deadline"),
    [
        ("trước ngày 20/8/2023", "2023-08-20"),
        ("trước ngày 20/8", "2023-08-20"),
        ("trước ngày 10 tháng 5 năm 2024", "2024-05-10"),
        ("trước 16h00 ngày 20/8/2023", "2023-08-20"),
        ("chậm nhất ngày 15.9.2023", "2023-09-15"),
        ("trong tháng 9/2023", "2023-09-30"),
        ("trong tháng 02/2024", "2024-02-29"),
        ("trước ngày 20/0/2023", None),  # OCR misread: rejected, not guessed
        ("từ ngày 10/5/2023 đến hết ngày 14/5/2023", None),  # a period, not a deadline
    ],
)
def test_deadlines(phrase: str, deadline: str | None) -> None:
    assert summary(f"Giao Sở Tài chính tổng hợp, báo cáo {phrase}./.") == [(None, ["Sở Tài chính"], deadline)]


def test_deadline_without_a_year_and_no_letter_date() -> None:
    assert summary("Giao Sở Tài chính báo cáo trước ngày 20/8./.", None) == [(None, ["Sở Tài chính"], None)]


def test_evidence_for_text_assignees_and_deadline() -> None:
    out = tasks.extract(
        ZoneViews.of_text("1. Giao Sở Tài chính báo cáo trước ngày 20/8/2023./."), letter_date="2023-08"
    )
    assert {"/tasks/0/text", "/tasks/0/ordinal", "/tasks/0/assignees/0", "/tasks/0/deadline"} <= set(
        out.evidence
    )
    assert out.evidence["/tasks/0/assignees/0"][0].text == "Sở Tài chính"


@pytest.mark.parametrize("path", sorted(LETTERS.glob("*.txt")), ids=lambda p: p.stem)
def test_shared_letters(path: Path) -> None:
    label = json.loads(path.with_suffix(".json").read_text())
    got = run(path.read_text(), label["date"])
    assert len(got) == len(label["tasks"])
    for task, want in zip(got, label["tasks"], strict=True):
        assert task.ordinal == want["ordinal"]
        assert {a[:1].lower() + a[1:] for a in task.assignees} == {
            a[:1].lower() + a[1:] for a in want["assignees"]
        }
        assert task.deadline == want.get("deadline")
        assert fuzz.token_set_ratio(task.text, want["text"]) >= 90


def test_a_section_heading_gives_no_ordinal() -> None:
    text = (
        "II. NHIỆM VỤ CỤ THỂ\n1. Sở Y tế chỉ đạo các bệnh viện triển khai thử nghiệm.\n"
        "III. TỔ CHỨC THỰC HIỆN\nGiao Sở Thông tin và Truyền thông theo dõi, báo cáo trước ngày 15/12/2023./."
    )
    assert summary(text) == [("1", ["Sở Y tế"], None), (None, ["Sở Thông tin và Truyền thông"], "2023-12-15")]


def test_ocr_names_take_the_letters_spelling_plain_text_keeps_its_own() -> None:
    from extract.model import Region
    from extract.respelling import respelled

    whole = "các hộ gia đình trên địa bàn Thành phố; UBND Thành phố; Thường trực HĐND Thành phố"
    ocr = [Region(page=1, bbox=(0, 0, 1, 1), text="x", confidence=80.0)]
    text_layer = [Region(page=1, bbox=(0, 0, 1, 1), text="x", confidence=None)]
    assert respelled("UBND Thành phô", ocr, whole) == "UBND Thành phố"
    assert respelled("UBND Thành phô", text_layer, whole) == "UBND Thành phô"


def test_item_numbers_as_ocr_bends_them() -> None:
    text = (
        "Sở Y tế đề nghị các đơn vị: ._\n"
        "._1, Phối hợp với Viễn thông Gia Lai khảo sát hạ tầng;\n"
        "__2. Cử cán bộ tham gia tập huấn.\n"
        "3: Bảo đảm bí mật thông tin./."
    )
    assert summary(text) == [
        ("1", ["các đơn vị"], None),
        ("2", ["các đơn vị"], None),
        ("3", ["các đơn vị"], None),
    ]


def test_specks_after_the_lead_in_colon() -> None:
    # OCR read a speck after the colon (`thị xã: .`) and `ˆ` for the dot of `1.`.
    text = (
        "1ˆ Phòng Giáo dục và Đào tạo các huyện: .\n- Chỉ đạo các trường rà soát dữ liệu;\n"
        "2. Đề nghị VNPT Nghệ An hỗ trợ kỹ thuật./."
    )
    assert summary(text, "2024-08") == [
        ("1", ["Phòng Giáo dục và Đào tạo các huyện"], None),
        ("2", ["VNPT Nghệ An"], None),
    ]


def test_a_first_item_whose_dot_ocr_lost() -> None:
    text = (
        "Sở đề nghị các đơn vị thực hiện các nội dung sau:\n1 Phòng Giáo dục và Đào tạo các huyện:\n"
        "- Chỉ đạo các trường rà soát dữ liệu;\n2. Đề nghị VNPT Nghệ An hỗ trợ kỹ thuật trong vòng\n"
        "15 Ngày làm việc./."
    )
    assert summary(text, "2024-08") == [
        ("1", ["Phòng Giáo dục và Đào tạo các huyện"], None),
        ("2", ["VNPT Nghệ An"], None),
    ]
