"""Faults under a real server: a worker killed mid-job, the service killed mid-batch, the
database locked by another writer, the disk full while an original is stored.

After each, every upload the service accepted (202) ends `done` or `failed` with a
reason, each original is stored once and whole, nothing is half-stored, and the service
still answers.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import Server, wait_job
from consistency import rows, store_problems, upload, wait_all
from live import TEXT_LAYER_PDF

from service.jobs import MAX_CRASHES


def text_layer_variants(count: int, tag: str) -> list[tuple[str, bytes]]:
    """Distinct originals read without OCR: the sample text-layer PDF with a comment after %%EOF."""
    base = TEXT_LAYER_PDF.read_bytes()
    return [(f"{tag}-{i}.pdf", base + f"\n% {tag} {i}\n".encode()) for i in range(count)]


def junk(size: int, seed: int) -> bytes:
    """Bytes of no known type (the worker refuses them at once, no decoding)."""
    return b"\x00\x01" + random.Random(seed).randbytes(size - 2)


# -- the worker killed, the service killed ----------------------------------------------------


def test_worker_killed_mid_job_then_service_killed_mid_batch(server: Server, service_scan: bytes) -> None:
    reader = server.client("reader")
    scan = upload(server.client("clerk"), ("scan.png", service_scan), ("junk-1.png", junk(5000, 1)),
                  ("junk-2.pdf", junk(5000, 2)))
    assert scan.status_code == 202, scan.text
    accepted = [entry["job"] for entry in scan.json()]
    wait_job(reader, accepted[0], states=("running",), timeout=120)
    # The job is marked running just before its pool process is started (and, under load,
    # before that process shows as one): look for it for a while, not once.
    deadline = time.monotonic() + 30
    while not (pids := server.worker_pids()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pids, "no worker process found"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    assert reader.get("/healthz").status_code == 200

    # The service killed (SIGKILL, whole process group) while a client is sending a batch.
    batch = text_layer_variants(8, "batch")
    sent: dict[str, int] = {}  # file name -> job, for every 202
    lost_in_flight: list[str] = []

    def client() -> None:
        for name, data in batch:
            try:
                with httpx.Client(base_url=server.url, headers=_auth(server), timeout=30) as c:
                    r = upload(c, (name, data))
            except httpx.TransportError:
                lost_in_flight.append(name)
                return
            if r.status_code == 202:
                sent[name] = r.json()[0]["job"]

    sender = threading.Thread(target=client)
    sender.start()
    deadline = time.monotonic() + 60
    while len(sent) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.crash()
    at_crash = len(sent)
    sender.join(timeout=60)
    assert 3 <= at_crash < len(batch), at_crash  # killed mid-batch
    server.start()
    # The client sends again what got no answer (the service answers a duplicate with its job).
    clerk = server.client("clerk")
    for name, data in batch:
        if name not in sent:
            r = upload(clerk, (name, data))
            assert r.status_code == 202, r.text
            sent[name] = r.json()[0]["job"]

    reader = server.client("reader")
    final = wait_all(reader, accepted + list(sent.values()), timeout=300)
    assert final[accepted[0]]["state"] == "done" and final[accepted[0]]["attempts"] >= 2, final[accepted[0]]
    assert all(final[j]["state"] == "failed" and final[j]["reason"] for j in accepted[1:])
    assert all(final[j]["state"] == "done" for j in sent.values()), [final[j] for j in sent.values()]
    assert len(set(sent.values())) == len(batch)  # one job per original
    # Stored once: one letter per done job, one 'extract' audit entry per letter.
    assert len(rows(server, "SELECT id FROM letters")) == 1 + len(batch)
    extracts = rows(server, "SELECT letter_id, count(*) FROM audit_log WHERE action = 'extract' "
                            "GROUP BY letter_id")
    assert all(n == 1 for _, n in extracts) and len(extracts) == 1 + len(batch)
    assert store_problems(server) == []
    assert reader.get("/healthz").status_code == 200


def test_a_file_that_kills_its_worker_fails_alone(server: Server, service_scan: bytes) -> None:
    """A decoder that crashes its process (segfault, out of memory) on one file, simulated by
    SIGKILLing the worker whenever that file is being read: the job fails by name after
    MAX_CRASHES, the files queued behind it are read as usual, the web process never falls."""
    r = upload(server.client("clerk"), ("crasher.png", service_scan), ("after.png", junk(4000, 7)))
    assert r.status_code == 202, r.text
    crasher, after = (entry["job"] for entry in r.json())
    reader = server.client("reader")
    for attempt in range(1, MAX_CRASHES + 1):
        deadline = time.monotonic() + 120
        while True:
            job = reader.get(f"/api/jobs/{crasher}").json()
            if job["state"] == "running" and job["attempts"] == attempt and server.worker_pids():
                break
            assert time.monotonic() < deadline, job
            time.sleep(0.1)
        for pid in server.worker_pids():
            os.kill(pid, signal.SIGKILL)
        assert reader.get("/healthz").status_code == 200
    final = wait_all(reader, [crasher, after], timeout=180)
    assert final[crasher]["state"] == "failed" and final[crasher]["reason"].startswith("worker-crashed: ")
    assert final[after]["state"] == "failed" and final[after]["reason"].startswith("unsupported-type: ")
    assert server.proc is not None and server.proc.poll() is None
    assert store_problems(server) == []


def _auth(server: Server) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.keys['clerk']}"}


# -- the database locked ------------------------------------------------------------------------

LOCK_SECONDS = 5.0
HOLD_LOCK = """
import sys, time
url, seconds = sys.argv[1], float(sys.argv[2])
if url.startswith("sqlite"):
    import sqlite3
    conn = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")  # in WAL mode: the write lock, at once
else:
    import psycopg
    from sqlalchemy.engine.url import make_url
    u = make_url(url)
    conn = psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=u.database,
                           options=(u.query or {}).get("options", ""))
    conn.execute("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE")
print("locked", flush=True)
time.sleep(seconds)
conn.rollback() if not url.startswith("sqlite") else conn.execute("ROLLBACK")
print("released", flush=True)
"""


def test_database_locked_by_another_writer(server: Server) -> None:
    files = text_layer_variants(5, "locked")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, server.database_url, str(LOCK_SECONDS)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        locked_at = time.monotonic()
        answers: dict[str, httpx.Response] = {}

        def send(name: str, data: bytes) -> None:
            with httpx.Client(base_url=server.url, headers=_auth(server), timeout=60) as c:
                answers[name] = upload(c, (name, data))

        senders = [threading.Thread(target=send, args=f) for f in files]
        for t in senders:
            t.start()
        # The web process answers while the writers wait for the lock.
        with server.client(None) as anyone:
            start = time.perf_counter()
            assert anyone.get("/healthz").status_code == 200
            assert time.perf_counter() - start < 2
        for t in senders:
            t.join(timeout=90)
        assert holder.wait(timeout=30) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
    waited = time.monotonic() - locked_at
    assert waited >= LOCK_SECONDS * 0.8  # the uploads really met the lock
    assert {name: r.status_code for name, r in answers.items()} == {name: 202 for name, _ in files}
    jobs = [r.json()[0]["job"] for r in answers.values()]
    final = wait_all(server.client("reader"), jobs, timeout=300)
    assert all(job["state"] == "done" for job in final.values()), final
    assert len(rows(server, "SELECT id FROM jobs")) == len(files)
    assert store_problems(server) == []


def test_database_locked_past_the_busy_timeout(server_factory: Server) -> None:
    # SQLite whatever the run's database: the busy timeout is SQLite's (PostgreSQL waits on locks).
    server_factory.database_url = f"sqlite:///{server_factory.data_dir / 'congvan.db'}"
    server = server_factory.start(CONGVAN_DB_BUSY_SECONDS="1")
    server.create_keys()
    (name, data), = text_layer_variants(1, "busy")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, server.database_url, "4"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        refused = upload(server.client("clerk"), (name, data))
        # Reported failed, with a JSON body that says why, while the service keeps answering.
        assert refused.status_code == 503 and refused.json()["error"] == "database-unavailable", refused.text
        assert server.client(None).get("/healthz").status_code == 200
        assert server.client("reader").get("/api/letters").status_code == 200  # WAL: reads go on
        assert holder.wait(timeout=30) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
    # The client sends it again once the lock is gone: one job, done, its original kept once.
    again = upload(server.client("clerk"), (name, data))
    assert again.status_code == 202, again.text
    final = wait_all(server.client("reader"), [again.json()[0]["job"]], timeout=180)
    assert [job["state"] for job in final.values()] == ["done"]
    assert store_problems(server) == []


# -- the disk full ------------------------------------------------------------------------------

FILES_DISK = 2 * 1024 * 1024


@pytest.fixture
def small_disk(server_factory: Server) -> Iterator[Path]:
    """A 2 MB tmpfs mounted as the data directory's `files/` (a real ENOSPC)."""
    files = server_factory.data_dir / "files"
    files.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={FILES_DISK}", "tmpfs", str(files)],
                          capture_output=True, text=True)
    assert done.returncode == 0, f"mounting a tmpfs needs root: {done.stderr}"
    try:
        yield files
    finally:
        server_factory.crash()
        subprocess.run(["umount", "-l", str(files)], check=False)


def test_disk_full_while_storing_an_original(server_factory: Server, small_disk: Path) -> None:
    server = server_factory.start()
    server.create_keys()
    clerk, reader = server.client("clerk"), server.client("reader")
    first = upload(clerk, ("first.png", junk(700_000, 10)))
    assert first.status_code == 202, first.text

    full = upload(clerk, ("too-big-for-the-disk.png", junk(1_600_000, 11)))
    assert full.status_code == 507 and full.json()["error"] == "storage-full", full.text
    # Several files in one request, the middle one does not fit: each either kept with its
    # job or not kept at all (checked below), the request reported failed.
    mixed = upload(clerk, ("small-a.png", junk(100_000, 12)), ("big.png", junk(1_500_000, 13)),
                   ("small-b.png", junk(100_000, 14)))
    assert mixed.status_code == 507 and mixed.json()["error"] == "storage-full", mixed.text
    assert reader.get("/healthz").status_code == 200
    assert reader.get("/api/letters").status_code == 200
    after = upload(clerk, ("after.png", junk(50_000, 15)))
    assert after.status_code == 202, after.text

    jobs = [row[0] for row in rows(server, "SELECT id FROM jobs")]
    final = wait_all(reader, jobs, timeout=120)
    assert all(j["state"] == "failed" and j["reason"].startswith("unsupported-type") for j in final.values())
    assert store_problems(server) == []
    assert not [p for p in small_disk.rglob(".tmp-*")]  # no half-written original
    assert server.proc is not None and server.proc.poll() is None
