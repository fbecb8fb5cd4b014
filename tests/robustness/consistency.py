"""Shared checks of the robustness tests: uploads over HTTP and the store's invariants.

The invariants hold after any fault: every job's original is on disk whole (its bytes
hash to its name), every original on disk belongs to a job, no temporary file is left
half-written, and every letter has its done job and its original.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import httpx
import sqlalchemy as sa
from conftest import Server


def upload(client: httpx.Client, *files: tuple[str, bytes]) -> httpx.Response:
    return client.post(
        "/api/letters", files=[("files", (n, d, "application/octet-stream")) for n, d in files]
    )


def rows(server: Server, sql: str) -> list[sa.Row]:
    engine = sa.create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql)).all())
    finally:
        engine.dispose()


def store_problems(server: Server) -> list[str]:
    """Every broken invariant, as a sentence (empty when the store is consistent)."""
    problems = []
    files_dir = server.data_dir / "files"
    jobs = {
        sha: (job_id, state, letter)
        for job_id, sha, state, letter in rows(server, "SELECT id, sha256, state, letter_id FROM jobs")
    }
    for sha, (job_id, _state, _letter) in jobs.items():
        path = files_dir / sha[:2] / sha
        if not path.is_file():
            problems.append(f"job {job_id}: original {sha[:12]} missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            problems.append(f"job {job_id}: original {sha[:12]} half-written or altered")
    on_disk = [p for p in files_dir.rglob("*") if p.is_file()] if files_dir.is_dir() else []
    for path in on_disk:
        if path.name.startswith(".tmp-"):
            problems.append(f"temporary file left behind: {path.name}")
        elif path.name not in jobs:
            problems.append(f"original {path.name[:12]} on disk without a job")
    for letter_id, sha in rows(server, "SELECT id, sha256 FROM letters"):
        job = jobs.get(sha)
        if job is None or job[1] != "done" or job[2] != letter_id:
            problems.append(f"letter {letter_id} without its done job ({job})")
        if not (files_dir / sha[:2] / sha).is_file():
            problems.append(f"letter {letter_id} without its original")
    if server.database_url.startswith("sqlite"):
        (check,) = rows(server, "PRAGMA integrity_check")
        if check[0] != "ok":
            problems.append(f"SQLite integrity check: {check[0]}")
    return problems


def wait_all(client: httpx.Client, job_ids: list[int], timeout: float) -> dict[int, dict]:
    """Final state of each job (done or failed), polling the API; fails after `timeout`."""
    pending = set(job_ids)
    final: dict[int, dict] = {}
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for job_id in sorted(pending):
            job = client.get(f"/api/jobs/{job_id}").raise_for_status().json()
            if job["state"] in ("done", "failed"):
                final[job_id] = job
                pending.discard(job_id)
        if pending:
            time.sleep(0.5)
    assert not pending, f"jobs not finished after {timeout}s: {sorted(pending)}"
    return final


def log_text(server: Server) -> str:
    """Every log of this server's runs, whole (conftest's `Server.log` keeps only a tail)."""
    logs = sorted(Path(server.data_dir).parent.glob("server-*.log"))
    return "\n".join(p.read_text(errors="replace") for p in logs)
