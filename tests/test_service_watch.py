"""`congvan watch DIR`: files a scanner drops are ingested and moved aside."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import sqlalchemy as sa
from conftest import CELERY, CELERY_WORKERS, PYTHON, ROOT, Server


def _wait_for(path: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.3)


def test_watch_folder_ingests_and_moves_files(server_factory: Server, tmp_path: Path,
                                              service_scan: bytes) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    if CELERY:  # the watcher only queues; in Celery mode workers read what it queued
        server_factory.start_workers(CELERY_WORKERS)
    log = open(tmp_path / "watch.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen([PYTHON, "-m", "service.cli", "watch", str(inbox), "--poll", "0.5"],
                            cwd=ROOT, env=server_factory.env(), stdout=log, stderr=subprocess.STDOUT)
    try:
        # A scanner writing slowly: half the file, a pause, then the rest.
        partial = inbox / "scan-0001.png"
        partial.write_bytes(service_scan[: len(service_scan) // 2])
        time.sleep(0.3)
        with partial.open("ab") as out:
            out.write(service_scan[len(service_scan) // 2:])
        (inbox / "garbage.pdf").write_bytes(b"%PDF-1.4 truncated")
        (inbox / "empty.png").write_bytes(b"")

        _wait_for(inbox / "done" / "scan-0001.png")
        _wait_for(inbox / "failed" / "garbage.pdf.reason.txt")
        _wait_for(inbox / "failed" / "empty.png.reason.txt")
        assert (inbox / "done" / "scan-0001.png").read_bytes() == service_scan
        reason = (inbox / "failed" / "garbage.pdf.reason.txt").read_text()
        assert reason.split(":")[0] in ("damaged-file", "unsupported-type"), reason
        assert (inbox / "failed" / "empty.png.reason.txt").read_text().startswith("empty-file:")
        assert sorted(p.name for p in inbox.iterdir()) == ["done", "failed"]

        # The same scan dropped again: known already, moved to done without a new letter.
        (inbox / "scan-0001-again.png").write_bytes(service_scan)
        _wait_for(inbox / "done" / "scan-0001-again.png")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, (tmp_path / "watch.log").read_text()
    engine = sa.create_engine(server_factory.database_url)
    with engine.connect() as conn:
        letters = conn.execute(sa.text("SELECT count(*) FROM letters")).scalar_one()
        states = sorted(r[0] for r in conn.execute(sa.text("SELECT state FROM jobs")))
    engine.dispose()
    assert letters == 1 and states == ["done", "failed"]
