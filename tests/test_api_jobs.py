"""Ingest jobs against a real server: duplicates, crashes, restarts, bad files, limits."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import sqlalchemy as sa
from conftest import Server, wait_job


def _post(server: Server, *files: tuple[str, bytes]) -> list[dict]:
    with server.client("clerk") as c:
        r = c.post("/api/letters", files=[("files", (n, d, "application/octet-stream")) for n, d in files])
    assert r.status_code == 202, r.text
    return r.json()  # type: ignore[no-any-return]


def _count(server: Server, table: str) -> int:
    engine = sa.create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def test_same_bytes_twice_and_concurrently_store_one_letter(server: Server, service_scan: bytes) -> None:
    # Concurrently: eight uploads of the same bytes at the same instant.
    barrier = threading.Barrier(8)
    results: list[dict] = []

    def upload(i: int) -> None:
        barrier.wait()
        results.extend(_post(server, (f"copy-{i}.png", service_scan)))

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({r["job"] for r in results}) == 1, results
    assert sum(not r["duplicate"] for r in results) == 1
    job = wait_job(server.client("reader"), results[0]["job"])
    assert job["state"] == "done" and job["attempts"] == 1

    # Again later, under another name: the existing letter at once, no new OCR run.
    (again,) = _post(server, ("renamed.png", service_scan))
    assert again["duplicate"] is True and again["state"] == "done" and again["letter"] == job["letter"]
    assert server.client("reader").get(f"/api/jobs/{again['job']}").json()["attempts"] == 1
    assert _count(server, "letters") == 1 and _count(server, "jobs") == 1
    assert len(list((server.data_dir / "files").rglob("*"))) == 2  # one folder, one original


def test_killed_worker_and_crashed_service_finish_the_job_exactly_once(server: Server, long_scan: bytes,
                                                                        service_scan: bytes) -> None:
    reader = server.client("reader")
    (entry,) = _post(server, ("six-pages.pdf", long_scan))
    job = wait_job(reader, entry["job"], states=("running",), timeout=60)
    deadline = time.monotonic() + 60
    while job["pages_done"] < 1 and job["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
        job = reader.get(f"/api/jobs/{entry['job']}").json()
    assert job["state"] == "running" and job["pages_total"] == 6 and 1 <= job["pages_done"] < 6, job

    # SIGKILL the OCR worker mid-job: the service stays up and runs the job again.
    pids = server.worker_pids()
    assert pids, "no worker process found"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    assert reader.get("/healthz").status_code == 200
    done = wait_job(reader, entry["job"], timeout=300)
    assert done["state"] == "done" and done["attempts"] == 2, done
    assert server.proc is not None and server.proc.poll() is None

    # Now the whole service dies (power cut) in the middle of the next job, and is started again.
    (second,) = _post(server, ("one-page.png", service_scan))
    wait_job(reader, second["job"], states=("running",), timeout=60)
    server.crash()
    # A long lease: the job must be re-run because its owner process is gone, not because time passed.
    server.start(CONGVAN_JOB_LEASE_SECONDS="3600")
    reader = server.client("reader")
    finished = wait_job(reader, second["job"], timeout=300)
    assert finished["state"] == "done" and finished["attempts"] >= 2, finished

    # Exactly once: one letter per original, its directives stored once, nothing lost.
    assert _count(server, "letters") == 2 and _count(server, "jobs") == 2
    engine = sa.create_engine(server.database_url)
    with engine.connect() as conn:
        extracts = conn.execute(sa.text("SELECT letter_id, count(*) FROM audit_log WHERE action = 'extract' "
                                        "GROUP BY letter_id")).all()
        positions = conn.execute(sa.text("SELECT letter_id, position, count(*) FROM directives "
                                         "GROUP BY letter_id, position HAVING count(*) > 1")).all()
    engine.dispose()
    assert sorted(n for _, n in extracts) == [1, 1] and positions == []


def test_bad_file_fails_with_reason_and_limits_answer_413(server: Server, service_scan: bytes) -> None:
    reader = server.client("reader")
    (bad,) = _post(server, ("notes.txt", b"plain text, not a scan"))
    failed = wait_job(reader, bad["job"])
    assert failed["state"] == "failed" and failed["reason"].startswith("unsupported-type"), failed
    (truncated,) = _post(server, ("broken.png", service_scan[:2000]))
    failed = wait_job(reader, truncated["job"])
    assert failed["state"] == "failed" and failed["reason"], failed

    with server.client("clerk") as c:
        r = c.post("/api/letters", files=[("files", (f"{i}.png", b"x" * 10, "image/png")) for i in range(4)])
        assert r.status_code == 413 and r.json()["error"] == "too-many-files"
        r = c.post("/api/letters", files=[("files", ("empty.png", b"", "image/png"))])
        assert r.status_code == 422 and r.json()["error"] == "empty-file"
        r = c.post("/api/letters")
        assert r.status_code == 422
    assert _count(server, "jobs") == 2  # refused requests leave nothing behind


def test_upload_over_size_limit_is_refused(server_factory: Server, service_scan: bytes) -> None:
    server = server_factory.start(CONGVAN_MAX_BYTES="100000")
    server.create_keys()
    with server.client("clerk") as c:
        r = c.post("/api/letters", files=[("files", ("big.png", service_scan, "image/png"))])
    assert r.status_code == 413 and r.json()["error"] in ("file-too-large", "request-too-large"), r.text
    assert "100000" in r.json()["message"]
    with server.client("clerk") as c:  # all or nothing: a good file beside a too large one is not kept
        r = c.post("/api/letters", files=[("files", ("ok.png", b"x" * 1000, "image/png")),
                                          ("files", ("big.png", service_scan, "image/png"))])
    assert r.status_code == 413 and "big.png" in r.json()["message"], r.text
    assert _count(server, "jobs") == 0
    with server.client("clerk") as c:
        r = c.post("/api/letters", files=[("files", ("a.png", b"x" * 60000, "image/png")),
                                          ("files", ("b.png", b"y" * 60000, "image/png"))])
    assert r.status_code == 202, r.text  # each file within the limit
    assert _count(server, "jobs") == 2


def test_streamed_body_over_limit_is_refused_without_content_length(server_factory: Server) -> None:
    server = server_factory.start(CONGVAN_MAX_BYTES="1000", CONGVAN_MAX_FILES="1")
    server.create_keys()
    body = (b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\n'
            + b"x" * 2_000_000 + b"\r\n--b--\r\n")

    def chunks() -> Iterator[bytes]:  # a generator body goes out chunked, with no Content-Length
        for i in range(0, len(body), 65536):
            yield body[i:i + 65536]

    with server.client("clerk") as c:
        multipart = {"Content-Type": "multipart/form-data; boundary=b"}
        r = c.post("/api/letters", content=chunks(), headers=multipart)
        assert r.status_code == 413 and r.json()["error"] == "request-too-large", r.text
        assert c.get("/healthz").status_code == 200
    assert _count(server, "jobs") == 0
