"""Scale-out: jobs on Celery workers through Redis, the store on PostgreSQL.

The tests marked `needs_celery` need Redis on 127.0.0.1:6379 and PostgreSQL on
127.0.0.1:5432; scripts/test.sh runs them in its scale-out pass
(CONGVAN_EXECUTOR=celery, two `congvan worker` processes per server) and says so
plainly when those servers are not there. Outside that pass they are deselected and the
run's summary says "N scale-out tests NOT RUN" and why; in it a missing server fails
every test at once, by name (conftest's `_scaleout_servers_answer`).
The deployment files are checked in every pass.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from conftest import ROOT, Server, wait_job

# Deselected (not skipped) outside the scale-out pass: see tests/conftest.py.
needs_celery = pytest.mark.needs_celery


def _post(server: Server, name: str, data: bytes) -> dict:
    with server.client("clerk") as c:
        r = c.post("/api/letters", files=[("files", (name, data, "application/octet-stream"))])
    assert r.status_code == 202, r.text
    return r.json()[0]  # type: ignore[no-any-return]


def _rows(server: Server, sql: str) -> list[sa.Row]:
    engine = sa.create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql)).all())
    finally:
        engine.dispose()


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


@needs_celery
def test_web_process_reads_nothing_and_a_worker_killed_mid_job_finishes_once(server_factory: Server,
                                                                              long_scan: bytes) -> None:
    # One pass per job here (no page split), so one worker holds the whole six-page job.
    server = server_factory.start(CONGVAN_SPLIT_PAGES="100")
    server.create_keys()
    assert server.database_url.startswith("postgresql"), "the scale-out pass stores on PostgreSQL"
    assert len(server.workers) == 2
    reader = server.client("reader")
    entry = _post(server, "six-pages.pdf", long_scan)
    deadline = time.monotonic() + 180
    job = wait_job(reader, entry["job"], states=("running",), timeout=120)
    while job["pages_done"] < 1 and time.monotonic() < deadline:
        time.sleep(0.2)
        job = reader.get(f"/api/jobs/{entry['job']}").json()
    assert job["state"] == "running" and 1 <= job["pages_done"] < 6, job
    # The web process has no OCR pool of its own: the reading happens in the workers.
    assert not [p for p in server.worker_pids() if _parent(p) == server.proc.pid]  # type: ignore[union-attr]

    # The worker holding the job (its pool process is the claimer) is lost outright: SIGKILL to
    # the worker and its pool, as when a machine goes away.
    (owner,) = _rows(server, f"SELECT claimed_by FROM jobs WHERE id = {entry['job']}")[0]
    child = int(owner.split(":")[1])
    victim = next(w for w in server.workers if w.pid == _parent(child))
    survivor = next(w for w in server.workers if w is not victim)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)

    done = wait_job(reader, entry["job"], timeout=400)
    assert done["state"] == "done" and done["attempts"] == 2 and done["pages_done"] == 6, done
    (owner,) = _rows(server, f"SELECT claimed_by FROM jobs WHERE id = {entry['job']}")[0]
    assert _parent(int(owner.split(":")[1])) == survivor.pid, "the other worker ran it again"
    # Exactly once: one letter, extracted once, each directive once.
    assert _rows(server, "SELECT count(*) FROM letters")[0][0] == 1
    assert _rows(server, "SELECT count(*) FROM audit_log WHERE action = 'extract'")[0][0] == 1
    assert _rows(server, "SELECT letter_id, position FROM directives GROUP BY letter_id, position "
                         "HAVING count(*) > 1") == []


@needs_celery
def test_pages_of_one_pdf_spread_over_both_workers(server_factory: Server, long_scan: bytes) -> None:
    server = server_factory.start(CONGVAN_SPLIT_PAGES="2")
    server.create_keys()
    reader = server.client("reader")
    entry = _post(server, "six-pages.pdf", long_scan)
    done = wait_job(reader, entry["job"], timeout=400)
    assert done["state"] == "done" and done["attempts"] == 1 and done["pages_total"] == 6, done
    readers: dict[int, str] = {}
    for number, owner in re.findall(rf"job {entry['job']} page (\d+)/6 read by (\S+)", server.worker_logs()):
        readers[int(number)] = owner
    assert sorted(readers) == [1, 2, 3, 4, 5, 6], server.worker_logs()[-3000:]
    assert len(set(readers.values())) == 2, f"all pages read by one worker: {readers}"
    letter = reader.get(f"/api/letters/{done['letter']}").raise_for_status().json()
    assert letter["source"]["sha256"] == entry["sha256"]
    assert _rows(server, f"SELECT count(*) FROM pages WHERE letter_id = {done['letter']}")[0][0] == 6


def test_a_pdf_read_page_by_page_through_json_equals_one_pass() -> None:
    """What the page tasks send back (JSON, as Celery carries it) and the assemble task zones
    gives the very document a single pass reads: only the executor differs."""
    import json
    from dataclasses import asdict

    from ingest import read_document
    from ingest.limits import Limits
    from ingest.model import Document
    from ingest.reader import pdf_pages, read_pdf_page, zone_pages
    from service.celery_app import _page_words

    data = (ROOT / "samples" / "scans" / "stttt-gia-lai-2023-bao-cao-thu-nghiem.pdf").read_bytes()
    whole = read_document(data, "a.pdf", Limits())
    total = pdf_pages(data, Limits())
    assert total == len(whole.pages) == 2
    carried = [json.loads(json.dumps(asdict(read_pdf_page(data, n, total, Limits())))) for n in (2, 1)]
    pages = zone_pages(sorted((_page_words(d) for d in carried), key=lambda p: p.number))
    assert Document(whole.sha256, pages, "a.pdf", whole.media_type) == whole


# -- deployment files: checked in every pass ------------------------------------------------

DEPLOY = ROOT / "deploy"


def _settings_read() -> set[str]:
    """Every CONGVAN_* variable the code reads."""
    names: set[str] = set()
    for path in [*(ROOT / "service").rglob("*.py"), *(ROOT / "ingest").rglob("*.py")]:
        names |= set(re.findall(r"CONGVAN_[A-Z_]+", path.read_text(encoding="utf-8")))
    return names


def _commands() -> set[str]:
    import argparse

    from service import commands

    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers())
    return {a for action in parser._subparsers._group_actions  # type: ignore[union-attr]
            for a in action.choices}


def test_compose_file_runs_postgres_redis_web_and_workers_on_real_settings() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker"} <= set(services)
    known, commands = _settings_read(), _commands()
    for name in ("web", "worker"):
        service = services[name]
        env = service["environment"]
        assert set(env) <= known, f"{name}: settings the code does not read: {set(env) - known}"
        assert env["CONGVAN_EXECUTOR"] == "celery"
        assert env["CONGVAN_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert env["CONGVAN_BROKER_URL"].startswith("redis://redis:6379/")
        assert set(service["depends_on"]) == {"postgres", "redis"}
        # Web and workers share the originals: page tasks read them from the same files dir.
        assert any(v.endswith(":" + env["CONGVAN_DATA_DIR"]) for v in service["volumes"])
        assert service["command"][0] in commands
    assert services["worker"]["command"][0] == "worker" and "serve" in services["web"]["command"]
    assert "replicas" in services["worker"]["deploy"]
    assert set(compose["volumes"]) >= {"pgdata", "congvan-data"}


def test_systemd_units_start_real_commands_with_real_settings() -> None:
    known, commands = _settings_read(), _commands()
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {u.name for u in units} == {"congvan-web.service", "congvan-worker@.service"}
    env_file = (DEPLOY / "systemd" / "congvan.env").read_text(encoding="utf-8")
    env_names = set(re.findall(r"^(CONGVAN_[A-Z_]+)=", env_file, re.M))
    assert {"CONGVAN_EXECUTOR", "CONGVAN_BROKER_URL", "CONGVAN_DATABASE_URL", "CONGVAN_DATA_DIR"} <= env_names
    assert env_names <= known
    for unit in units:
        text = unit.read_text(encoding="utf-8")
        (exec_start,) = re.findall(r"^ExecStart=(.+)$", text, re.M)
        argv = exec_start.split()
        assert argv[0].endswith("/congvan") and argv[1] in commands, exec_start
        assert "EnvironmentFile=/etc/congvan/congvan.env" in text and "Restart=" in text
