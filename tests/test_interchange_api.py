"""Interchange over HTTP against a real server: Appendix VI export of a letter and of
a filtered set (valid against the shipped schemas, importing back to the same
fields), directives as CSV/XLSX, the arrivals book with the ĐẾN stamp read from the
paper, and 401/403 for every interchange route."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import openpyxl
import pytest
import xmlschema
from conftest import Server, wait_job

from samples.generate import render_pdf
from service.interchange import from_appendix, from_xml, letter_fields

SCHEMAS = Path(__file__).resolve().parent.parent / "service" / "interchange" / "schemas"

# A công văn that arrived at the Sở TT&TT, stamped `ĐẾN Số: 125 Giờ: 14h30 Ngày: 14/3/2024`.
STAMPED_LETTER = """\
[header-left]
ỦY BAN NHÂN DÂN
TỈNH GIA LAI
Số: 1521/UBND-KGVX
V/v báo cáo tiến độ chuyển đổi số
[header-right]
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Gia Lai, ngày 12 tháng 3 năm 2024
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
ĐẾN Số: 125 Giờ: 14h30
Ngày: 14/3/2024
[body]
Kính gửi: Sở Thông tin và Truyền thông.
1. Giao Sở Thông tin và Truyền thông báo cáo tiến độ trước ngày 30/9/2024.
Yêu cầu các đơn vị nghiêm túc triển khai thực hiện./.
[footer-left]
Nơi nhận:
- Như trên;
- Lưu: VT, KGVX.
[footer-right]
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn Thử
"""


@pytest.fixture
def two_letters(server: Server, service_letter_source: Path, tmp_path: Path) -> dict[str, int]:
    stamped = tmp_path / "stamped.txt"
    stamped.write_text(STAMPED_LETTER, encoding="utf-8")
    clerk = server.client("clerk")
    ids = {}
    for name, source in (("service", service_letter_source), ("stamped", stamped)):
        pdf = render_pdf(source)
        r = clerk.post("/api/letters", files=[("files", (f"{name}.pdf", pdf, "application/pdf"))])
        assert r.status_code == 202, r.text
        job = wait_job(clerk, r.json()[0]["job"])
        assert job["state"] == "done", job
        ids[name] = int(job["letter"])  # type: ignore[call-overload]
    return ids


def test_letter_export_validates_and_round_trips(server: Server, two_letters: dict[str, int]) -> None:
    reader = server.client("reader")
    xsd = xmlschema.XMLSchema(str(SCHEMAS / "appendix-vi.xsd"))
    schema = json.loads((SCHEMAS / "appendix-vi.schema.json").read_text(encoding="utf-8"))
    for letter_id in two_letters.values():
        letter = reader.get(f"/api/letters/{letter_id}").json()
        assert letter["number"] and letter["tasks"], letter
        xml = reader.get(f"/api/letters/{letter_id}/export", params={"format": "xml"})
        assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
        xsd.validate(xml.text)
        (record,) = from_xml(xml.content)
        assert record["id"] == letter_id and record["CodeNotation"] == letter["symbol"]
        assert from_appendix(record) == letter_fields(letter)
        as_json = reader.get(f"/api/letters/{letter_id}/export", params={"format": "json"}).json()
        jsonschema.validate(as_json, schema)
        assert as_json["OrganName"] == letter["issuer"] and as_json["DueDate"] == "2024-09-30"
        # Import through the service: what a receiving system would file.
        imported = reader.post("/api/interchange/import", params={"format": "xml"}, content=xml.content)
        assert imported.status_code == 200, imported.text
        assert imported.json()["documents"] == [{"id": letter_id, "fields": letter_fields(letter)}]
        again = reader.post("/api/interchange/import", params={"format": "json"}, json=as_json).json()
        assert again["documents"][0]["fields"] == letter_fields(letter)
    bad = reader.post("/api/interchange/import", params={"format": "json"}, json={"Priority": "khẩn"})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid-interchange"
    pdf = reader.get(f"/api/letters/{two_letters['service']}/export", params={"format": "pdf"})
    assert pdf.status_code == 422
    assert reader.get("/api/letters/999/export").status_code == 404
    xsd_text = reader.get("/api/interchange/schemas/appendix-vi.xsd").text
    assert xsd_text == (SCHEMAS / "appendix-vi.xsd").read_text(encoding="utf-8")


def test_set_export_uses_the_letter_filters(server: Server, two_letters: dict[str, int]) -> None:
    reader = server.client("reader")
    schema = json.loads((SCHEMAS / "appendix-vi.schema.json").read_text(encoding="utf-8"))
    everything = reader.get("/api/letters/export", params={"format": "json"}).json()
    jsonschema.validate(everything, schema)
    assert everything["total"] == 2
    assert {d["id"] for d in everything["Documents"]} == set(two_letters.values())
    one = reader.get("/api/letters/export", params={"format": "xml", "q": "tien do"})
    (record,) = from_xml(one.content)
    assert record["id"] == two_letters["stamped"] and record["CodeNumber"] == "1521"
    none = reader.get("/api/letters/export", params={"format": "json", "date_from": "2025-01-01"}).json()
    assert none == {"total": 0, "Documents": []}
    assert reader.get("/api/letters/export", params={"date_from": "12/3/2024"}).status_code == 422


def test_directives_export_as_spreadsheets(server: Server, two_letters: dict[str, int]) -> None:
    reader = server.client("reader")
    listed = reader.get("/api/directives", params={"letter": two_letters["service"]}).json()
    r = reader.get("/api/directives/export", params={"format": "csv", "letter": two_letters["service"]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="directives.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [int(row["Mã nhiệm vụ"]) for row in rows] == [d["id"] for d in listed["items"]]
    assert rows[0]["Số, ký hiệu"] == "1520/UBND-KGVX" and rows[0]["Hạn xử lý"] == "2024-09-30"
    assert "Thông tin và Truyền thông" in rows[0]["Đơn vị chủ trì"]
    by_assignee = reader.get("/api/directives/export", params={"assignee": "Sở Tài chính"})
    found = csv.DictReader(io.StringIO(by_assignee.content.decode("utf-8-sig")))
    assert {row["Mã văn bản"] for row in found} == {str(two_letters["service"])}
    xlsx = reader.get("/api/directives/export", params={"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    total = reader.get("/api/directives").json()["total"]
    assert sheet.max_row == total + 1 and sheet.cell(1, 1).value == "Mã nhiệm vụ"


def test_arrival_entry_and_stamp_read_from_the_paper(server: Server, two_letters: dict[str, int]) -> None:
    reader = server.client("reader")
    plain = reader.get(f"/api/letters/{two_letters['service']}/arrival").json()
    stamped = reader.get(f"/api/letters/{two_letters['stamped']}/arrival").json()
    assert (plain["office"], plain["number"], plain["stamp"]) == ("Văn thư", 1, None)
    assert stamped["number"] == 2 and stamped["received_by"] == "test-clerk"
    assert stamped["stamp"] == {"office": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "number": 125, "date": "2024-03-14",
                                "time": "14:30"}
    assert reader.get("/api/letters/999/arrival").status_code == 404
    # The Letter contract is untouched: no arrival field in the letter itself.
    assert "arrival" not in reader.get(f"/api/letters/{two_letters['stamped']}").json()


ROUTES = [
    ("GET", "/api/letters/export", None),
    ("GET", "/api/letters/1/export", None),
    ("GET", "/api/directives/export", None),
    ("GET", "/api/letters/1/arrival", None),
    ("POST", "/api/interchange/import", None),
    ("GET", "/api/interchange/schemas/appendix-vi.xsd", None),
    ("POST", "/api/webhooks", {"url": "http://127.0.0.1:9/hook"}),
    ("GET", "/api/webhooks", None),
    ("DELETE", "/api/webhooks/999", None),
    ("GET", "/api/webhooks/999/deliveries", None),
    ("POST", "/api/webhooks/deliveries/999/replay", None),
]


def test_interchange_routes_refuse_without_key_and_for_admin(server: Server) -> None:
    failures = []
    for method, path, body in ROUTES:
        for role, want in ((None, 401), ("admin", 403)):
            with server.client(role) as c:
                r = c.request(method, path, json=body)
            if r.status_code != want:
                failures.append(f"{method} {path} as {role}: {r.status_code}, expected {want}")
        for role in ("clerk", "reader", "auditor"):
            with server.client(role) as c:
                r = c.request(method, path, json=body)
            if r.status_code in (401, 403):
                failures.append(f"{method} {path} as {role}: refused with {r.status_code}")
    assert not failures, "\n".join(failures)
