"""Scale-out figure for `make bench`: scanned pages per second through the service in
Celery mode (Redis broker, PostgreSQL store) with one `congvan worker` process, then
with two, on the same scans. Needs Redis and PostgreSQL on 127.0.0.1; without them
the line says so instead of a figure.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.pages import Corpus
from bench.service_bench import ROOT, _free_port, _pages, _wait_all

PG_URL = os.environ.get("CONGVAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('CONGVAN_TEST_REDIS_DB', '11')}"
CONGVAN = str(Path(sys.executable).parent / "congvan")


def _reachable() -> bool:
    try:
        import psycopg
        import redis

        plain = PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)
        psycopg.connect(plain, connect_timeout=3).close()
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception:
        return False
    return True


@contextmanager
def _schema() -> Iterator[str]:
    import sqlalchemy as sa
    from sqlalchemy.engine.url import make_url

    name = f"cvbench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        yield make_url(PG_URL).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.dispose()


def _start(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = open(log, "wb")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def pages_per_second(scans: list[Path], workers: int) -> float:
    """Upload every scan at once to a fresh store; pages over the time until all are done."""
    with tempfile.TemporaryDirectory() as tmp, _schema() as db_url:
        data_dir = Path(tmp)
        env = {**os.environ, "CONGVAN_EXECUTOR": "celery", "CONGVAN_BROKER_URL": REDIS_URL,
               "CONGVAN_QUEUE": f"cvbench-{uuid.uuid4().hex[:10]}", "CONGVAN_DATABASE_URL": db_url,
               "CONGVAN_DATA_DIR": str(data_dir), "CONGVAN_MAX_FILES": "100", "OMP_THREAD_LIMIT": "1"}
        from service.auth import create_key
        from service.db import Database

        db = Database(db_url)
        db.migrate()
        key = create_key(db, "clerk", "bench")
        db.dispose()
        port = _free_port()
        procs = [_start([sys.executable, "-m", "uvicorn", "service.api:create_app", "--factory",
                         "--port", str(port), "--log-level", "warning"], env, data_dir / "web.log")]
        logs = [data_dir / f"worker-{i}.log" for i in range(workers)]
        procs += [_start([CONGVAN, "worker", "--concurrency", "1"], env, log) for log in logs]
        try:
            deadline = time.monotonic() + 300  # until every worker has loaded its models
            while not all(" ready." in log.read_text(errors="replace") for log in logs):
                assert time.monotonic() < deadline, "the workers did not start"
                time.sleep(0.5)
            time.sleep(3)
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60,
                              headers={"Authorization": f"Bearer {key}"}) as client:
                start = time.perf_counter()
                r = client.post("/api/letters", files=[("files", (p.name, p.read_bytes(), "application/pdf"))
                                                       for p in scans])
                r.raise_for_status()
                _wait_all(client, [j["job"] for j in r.json()])
                elapsed = time.perf_counter() - start
        finally:
            for proc in procs:
                _stop(proc)
    return sum(_pages(p) for p in scans) / elapsed


def run(corpus: Corpus, args: argparse.Namespace) -> list[tuple[str, str, str]]:
    label = "Scale-out pages/s, 1 → 2 Celery worker processes"
    if not _reachable():
        return [(label, "not measured", "Redis or PostgreSQL not reachable on 127.0.0.1")]
    scans, pages = [], 0
    for pdf in corpus.scan_pdfs:  # about ten pages: enough for both workers to stay busy
        scans.append(pdf)
        pages += _pages(pdf)
        if pages >= 10:
            break
    one = pages_per_second(scans, 1)
    two = pages_per_second(scans, 2)
    return [(label, f"{one:.3f} → {two:.3f} ({two / one:.2f}×)",
             f"{pages} scanned pages, {len(scans)} PDFs, Redis + PostgreSQL, {os.cpu_count()} cores shared")]
