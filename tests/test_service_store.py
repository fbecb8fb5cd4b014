"""Storage, search and corrections on a real database (SQLite, or PostgreSQL when
CONGVAN_DATABASE_URL is set), with letters built by hand: no OCR involved here."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from extract.model import Directive, Letter, Signer, Source
from service.db import Database
from service.errors import InvalidCorrection
from service.folding import expand, fold
from service.queries import Page, list_directives, list_letters
from service.store import correct_letter, date_bounds, save_extraction


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


def _letter(sha: str, issuer: str = "Ủy ban nhân dân tỉnh Gia Lai", subject: str = "chuyển đổi số",
            assignee: str = "Sở Thông tin và Truyền thông", date: str | None = "2023-08") -> Letter:
    return Letter(
        number=f"{sha[:3]}/UBND-KGVX", symbol="UBND-KGVX", doc_type="công văn", issuer=issuer, date=date,
        subject=subject, place="Gia Lai",
        tasks=[Directive(ordinal="1", assignees=[assignee], text=f"{assignee} chủ trì {subject}",
                         deadline="2023-09-30"),
               Directive(ordinal="2", assignees=["Sở Tài chính"], text="bố trí kinh phí",
                         cooperating=["Sở Kế hoạch và Đầu tư"])],
        signer=Signer(position="PHÓ CHỦ TỊCH", name="Nguyễn Thị Thanh Lịch"),
        source=Source(sha256=sha * 64 if len(sha) == 1 else sha.ljust(64, "0"), pages=1),
    )


def test_folding_and_abbreviations() -> None:
    assert fold("Chuyển Đổi SỐ") == "chuyen doi so"
    assert expand("Sở TT&TT") == expand("Sở Thông tin và Truyền thông") == "so thong tin va truyen thong"
    assert expand("UBND tỉnh Gia Lai") == "uy ban nhan dan tinh gia lai"
    assert expand("Sở LĐ-TB&XH") == "so lao dong thuong binh va xa hoi"
    assert expand("Sở GD&ĐT") == expand("Sở Giáo dục và Đào tạo")
    assert date_bounds("2023-08") == ("2023-08-01", "2023-08-31")
    assert date_bounds("2024") == ("2024-01-01", "2024-12-31")
    assert date_bounds("2024-02-29") == ("2024-02-29", "2024-02-29")
    assert date_bounds(None) == (None, None)


def test_search_filters_and_fuzzy_assignees(db: Database) -> None:
    with db.write() as s:
        save_extraction(s, _letter("a"), "Văn bản về chuyển đổi số", "1")
        save_extraction(s, _letter("b", issuer="Sở Y tế tỉnh Gia Lai", subject="phòng chống dịch",
                                   assignee="Trung tâm Kiểm soát bệnh tật", date="2024-01-05"), "", "1")
    with db.read() as s:
        page = Page()
        assert list_letters(s, issuer="UBND Gia Lai", doc_type=None, date_from=None, date_to=None, q=None,
                            page=page)["total"] == 1
        assert list_letters(s, issuer=None, doc_type="Cong Van", date_from="2023-08-15", date_to="2023-12-31",
                            q="chuyen doi so", page=page)["total"] == 1
        assert list_letters(s, issuer=None, doc_type=None, date_from="2024-01-01", date_to=None, q=None,
                            page=page)["total"] == 1
        assert list_letters(s, issuer=None, doc_type=None, date_from=None, date_to=None, q="PHONG CHONG",
                            page=page)["total"] == 1

        def directives(**kw: object) -> dict:
            args = {"assignee": None, "due_before": None, "due_after": None, "letter": None, "q": None} | kw
            return list_directives(s, page=page, **args)  # type: ignore[arg-type]

        found = directives(assignee="Sở TT&TT")
        assert found["total"] == 1 and found["items"][0]["assignees"] == ["Sở Thông tin và Truyền thông"]
        assert found["items"][0]["letter"]["signer"]["name"] == "Nguyễn Thị Thanh Lịch"
        assert directives(assignee="So Thong tin va Truyen thong")["total"] == 1
        assert directives(assignee="Sở Thông tln và Truyền thỏng")["total"] == 1  # OCR slips
        assert directives(assignee="Sở KH&ĐT")["total"] == 2  # cooperating on task 2 of both letters
        assert directives(assignee="Sở Y tế")["total"] == 0
        assert directives(q="kinh phi")["total"] == 2
        assert directives(due_before="2023-09-30", due_after="2023-09-01")["total"] == 2
        assert directives(due_before="2023-09-29")["total"] == 0
        assert directives()["total"] == 4
        paged = list_directives(s, assignee=None, due_before=None, due_after=None, letter=None, q=None,
                                page=Page(limit=3, offset=3))
        assert paged["total"] == 4 and len(paged["items"]) == 1


def test_corrections_survive_reextraction_and_history_is_append_only(db: Database) -> None:
    with db.write() as s:
        letter_id = save_extraction(s, _letter("c"), "", "1").id
    with db.write() as s:
        row = correct_letter(s, letter_id, {"subject": "đã sửa", "date": "2023-08-21"}, "clerk-an")
        assert row.revision == 2 and row.date_min == "2023-08-21"
    with db.write() as s, pytest.raises(InvalidCorrection):
        correct_letter(s, letter_id, {"date": "21/8/2023"}, "clerk-an")
    with db.write() as s, pytest.raises(InvalidCorrection):
        correct_letter(s, letter_id, {"evidence": {}}, "clerk-an")
    with db.write() as s:  # a newer pipeline reads it again, with another subject
        row = save_extraction(s, _letter("c", subject="máy đọc khác"), "", "2")
        assert row.data["subject"] == "đã sửa" and row.data["date"] == "2023-08-21"
        assert row.extracted["subject"] == "máy đọc khác"
        assert row.pipeline_version == "2" and row.revision == 3
    with db.read() as s:
        log = s.execute(sa.text("SELECT action, field, actor FROM audit_log ORDER BY id")).all()
    assert [tuple(r) for r in log] == [("extract", None, "pipeline"), ("correct", "subject", "clerk-an"),
                                       ("correct", "date", "clerk-an"), ("re-extract", None, "pipeline")]
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), db.write() as s:
            s.execute(sa.text(statement))


def test_assignee_query_stays_fast_with_many_letters(db: Database) -> None:
    bodies = ["Sở Thông tin và Truyền thông", "Sở Tài chính", "Sở Y tế", "Công an tỉnh", "Sở Nội vụ"]
    with db.write() as s:
        for i in range(200):
            save_extraction(s, _letter(f"{i:04x}", assignee=f"{bodies[i % 5]} huyện {i % 60}"), "", "1")
    timings = []
    with db.read() as s:
        for _ in range(20):
            t = time.perf_counter()
            out = list_directives(s, assignee="Sở TT&TT huyện 7", due_before=None, due_after=None,
                                  letter=None, q=None, page=Page())
            timings.append(time.perf_counter() - t)
    assert out["total"] >= 5
    assert sorted(timings)[18] < 0.05, timings
