"""The arrivals book over HTTP: numbers given at upload, per receiving office and year,
without gaps or duplicates under concurrent uploads (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime

import httpx
from conftest import Server
from PIL import Image

from service import arrivals
from service.db import Database
from service.models import Job


def tiny_png(i: int) -> bytes:
    """A distinct 16x16 image per i: accepted at once, fails OCR quickly in the worker."""
    img = Image.new("L", (16, 16), 255)
    img.putpixel((i % 16, (i // 16) % 16), 0)
    img.putpixel((15 - i % 16, 0), i % 200)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


async def _upload_all(server: Server, files: list[bytes], office: str | None = None) -> list[dict]:
    headers = {"Authorization": f"Bearer {server.keys['clerk']}"}
    data = {"office": office} if office else None
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=120) as client:
        async def one(i: int, body: bytes) -> httpx.Response:
            return await client.post("/api/letters", files=[("files", (f"scan-{i}.png", body, "image/png"))],
                                     data=data)
        responses = await asyncio.gather(*(one(i, b) for i, b in enumerate(files)))
    for r in responses:
        assert r.status_code == 202, r.text
    return [r.json()[0] for r in responses]


def test_fifty_concurrent_uploads_get_fifty_consecutive_numbers(server: Server) -> None:
    entries = asyncio.run(_upload_all(server, [tiny_png(i) for i in range(50)]))
    numbers = sorted(e["arrival"]["number"] for e in entries)
    assert numbers == list(range(1, 51)), numbers
    assert len({e["job"] for e in entries}) == 50
    year = datetime.now(arrivals.VIETNAM).year
    assert {(e["arrival"]["office"], e["arrival"]["year"]) for e in entries} == {("Văn thư", year)}

    # The same bytes again are the same paper: the number it already has, no new one.
    again = asyncio.run(_upload_all(server, [tiny_png(7)]))[0]
    first = next(e for e in entries if e["sha256"] == again["sha256"])
    assert again["duplicate"] is True and again["arrival"]["number"] == first["arrival"]["number"]

    # Another receiving office (form field) keeps a book of its own, from 1; the default book goes on.
    other = asyncio.run(_upload_all(server, [tiny_png(100), tiny_png(101)], office="Phòng Hành chính"))
    assert sorted(e["arrival"]["number"] for e in other) == [1, 2]
    assert {e["arrival"]["office"] for e in other} == {"Phòng Hành chính"}
    nxt = asyncio.run(_upload_all(server, [tiny_png(102)]))[0]
    assert nxt["arrival"]["number"] == 51


def test_office_setting_names_the_default_book(server_factory: Server) -> None:
    server_factory.start(CONGVAN_OFFICE="  Văn phòng   UBND tỉnh ")
    server_factory.create_keys()
    (entry,) = asyncio.run(_upload_all(server_factory, [tiny_png(3)]))
    assert entry["arrival"]["office"] == "Văn phòng UBND tỉnh" and entry["arrival"]["number"] == 1
    assert entry["arrival"]["received_by"] == "test-clerk"
    too_long = asyncio.run(_post_raw(server_factory, tiny_png(4), "x" * 201))
    assert too_long.status_code == 422 and too_long.json()["error"] == "invalid-request"


async def _post_raw(server: Server, body: bytes, office: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.keys['clerk']}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=60) as client:
        return await client.post("/api/letters", files=[("files", ("x.png", body, "image/png"))],
                                 data={"office": office})


def test_book_restarts_on_first_january_in_vietnam(database_url: str) -> None:
    db = Database(database_url)
    try:
        db.migrate()
        with db.write() as session:
            jobs = []
            for i in range(3):
                job = Job(sha256=f"{i:064d}", filename=None, size=1, state="queued", pages_done=0,
                          attempts=0, crashes=0)
                session.add(job)
                session.flush()
                jobs.append(job.id)
            # 31 Dec 16:59 UTC is still 2025 in Vietnam; 17:00 UTC is 1 January 2026 there.
            late = arrivals.register(session, jobs[0], "VT", "a", datetime(2025, 12, 31, 16, 59, tzinfo=UTC))
            new_year = arrivals.register(session, jobs[1], "VT", "a", datetime(2025, 12, 31, 17, tzinfo=UTC))
            same = arrivals.register(session, jobs[0], "VT", "a", datetime(2026, 5, 1, tzinfo=UTC))
            second = arrivals.register(session, jobs[2], "VT", "a", datetime(2026, 1, 2, tzinfo=UTC))
            assert (late.year, late.number) == (2025, 1)
            assert (new_year.year, new_year.number) == (2026, 1)
            assert same.id == late.id  # a job is in the book once
            assert (second.year, second.number) == (2026, 2)
            assert arrivals.arrival_json(new_year)["received_date"] == "2026-01-01"
    finally:
        db.dispose()
