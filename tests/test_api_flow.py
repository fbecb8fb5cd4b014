"""The issue's main flow over HTTP against a real server: upload a scan, poll the
job, query letters and directives, correct a field, read the history, re-extract."""

from __future__ import annotations

import time

from conftest import Server, wait_job


def _upload(server: Server, data: bytes, name: str = "scan.png") -> dict:
    with server.client("clerk") as c:
        r = c.post("/api/letters", files=[("files", (name, data, "image/png"))])
    assert r.status_code == 202, r.text
    (entry,) = r.json()
    return entry


def test_upload_query_correct_history(server: Server, service_scan: bytes) -> None:
    started = time.monotonic()
    entry = _upload(server, service_scan, "công văn 1520.png")
    assert time.monotonic() - started < 5, "the upload must answer at once, before OCR"
    assert entry["state"] in ("queued", "running") and entry["duplicate"] is False

    reader = server.client("reader")
    job = wait_job(reader, entry["job"])
    assert job["state"] == "done", job
    assert job["pages_done"] == job["pages_total"] == 1
    letter_id = job["letter"]

    # The letter: the contract's fields plus status and pipeline version.
    letter = reader.get(f"/api/letters/{letter_id}").json()
    for key in ("number", "symbol", "doc_type", "issuer", "date", "subject", "tasks", "source", "evidence"):
        assert key in letter
    assert letter["status"] == "extracted" and letter["pipeline_version"]
    assert letter["source"]["sha256"] == entry["sha256"]
    assert letter["source"]["filename"] == "công văn 1520.png"
    # The original is kept by content hash, never under the client's name.
    stored = server.data_dir / "files" / entry["sha256"][:2] / entry["sha256"]
    assert stored.read_bytes() == service_scan
    assert not list(server.data_dir.rglob("công văn 1520.png"))

    page = reader.get(f"/api/letters/{letter_id}/pages/1")
    assert page.status_code == 200 and page.headers["content-type"] == "image/jpeg"
    assert page.content[:3] == b"\xff\xd8\xff"
    assert reader.get(f"/api/letters/{letter_id}/pages/2").status_code == 404

    # Letters: full text without diacritics, issuer, type and date range filters.
    assert reader.get("/api/letters", params={"q": "CHUYEN DOI SO"}).json()["total"] == 1
    assert reader.get("/api/letters", params={"q": "khong co chu nay"}).json()["total"] == 0
    listing = reader.get("/api/letters", params={"issuer": "UBND tỉnh Gia Lai", "doc_type": "cong van",
                                                 "date_from": "2024-03-01", "date_to": "2024-03-31"}).json()
    assert [item["id"] for item in listing["items"]] == [letter_id], listing
    assert reader.get("/api/letters", params={"date_from": "2024-04-01"}).json()["total"] == 0

    # Directives: an abbreviated assignee and an unaccented query both find the task.
    by_assignee = reader.get("/api/directives", params={"assignee": "Sở TT&TT"}).json()
    assert by_assignee["total"] >= 1, by_assignee
    task = by_assignee["items"][0]
    assert any("Thông tin và Truyền thông" in a for a in task["assignees"] + task["cooperating"])
    assert task["letter"]["id"] == letter_id and task["letter"]["issuer"]
    assert task["letter"]["date"] == "2024-03-12"
    # OCR-tolerant: a misread letter in the name still matches.
    misread = {"assignee": "So Thong tln va Truyen thong"}
    assert reader.get("/api/directives", params=misread).json()["total"] >= 1
    assert reader.get("/api/directives", params={"assignee": "Sở Y tế"}).json()["total"] == 0
    by_q = reader.get("/api/directives", params={"q": "chuyen doi so"}).json()
    assert task["id"] in [d["id"] for d in by_q["items"]]
    assert reader.get(f"/api/directives/{task['id']}").json()["text"] == task["text"]
    paged = reader.get("/api/directives", params={"letter": letter_id, "limit": 1, "offset": 0}).json()
    assert len(paged["items"]) == 1 and paged["total"] == len(letter["tasks"]) and paged["limit"] == 1

    # A clerk corrects the subject; it reads back, with who, when, old and new in the history.
    clerk = server.client("clerk")
    new_subject = "triển khai kế hoạch chuyển đổi số năm 2024 (đã sửa)"
    r = clerk.patch(f"/api/letters/{letter_id}", json={"subject": new_subject})
    assert r.status_code == 200, r.text
    assert r.json()["subject"] == new_subject and r.json()["status"] == "corrected"
    assert reader.get(f"/api/letters/{letter_id}").json()["subject"] == new_subject
    assert clerk.patch(f"/api/letters/{letter_id}", json={"date": "12/3/2024"}).status_code == 422
    assert clerk.patch(f"/api/letters/{letter_id}", json={"source": {}}).status_code == 422

    history = server.client("auditor").get(f"/api/letters/{letter_id}/history").json()
    correction = [e for e in history["entries"] if e["action"] == "correct"]
    assert len(correction) == 1
    assert correction[0]["actor"] == "test-clerk" and correction[0]["field"] == "subject"
    assert correction[0]["old"] == letter["subject"] and correction[0]["new"] == new_subject
    assert correction[0]["revision"] == history["revision"] == 2
    trace = server.client("auditor").get(f"/api/letters/{letter_id}/trace").json()
    assert trace["corrections"] == {"subject": new_subject}

    # A newer pipeline re-reads the letter and keeps the human correction.
    server.stop()
    server.start(CONGVAN_PIPELINE_VERSION="test-newer")
    clerk = server.client("clerk")
    r = clerk.post(f"/api/letters/{letter_id}/reextract")
    assert r.status_code == 202, r.text
    assert wait_job(clerk, r.json()["job"])["state"] == "done"
    again = clerk.get(f"/api/letters/{letter_id}").json()
    assert again["pipeline_version"] == "test-newer"
    assert again["subject"] == new_subject and again["revision"] == 3
    actions = [e["action"] for e in server.client("auditor").get(f"/api/letters/{letter_id}/history")
               .json()["entries"]]
    assert actions == ["extract", "correct", "re-extract"]
