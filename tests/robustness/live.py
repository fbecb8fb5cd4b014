"""A module-scoped live server for the robustness tests that share one (fuzzing, load).

conftest's `server` is per test; these tests make thousands of requests against one
instance and a seeded letter, so they start it once per module, on a fresh database
(SQLite under a tmp dir, or a PostgreSQL schema when CONGVAN_DATABASE_URL names one; in
the scale-out pass, with its Celery workers: see conftest's `Server.start`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT, Server, fresh_database, wait_job
from consistency import upload

# A text-layer PDF shipped with the samples: read without OCR, so seeding costs no Tesseract time.
TEXT_LAYER_PDF = ROOT / "samples" / "scans" / "stttt-gia-lai-2023-bao-cao-thu-nghiem.pdf"


@contextmanager
def running_server(tmp: Path, **env: str) -> Iterator[Server]:
    """A started server with a key per role, on a database of its own; crashed and its
    database dropped on exit."""
    data = tmp / "data"
    data.mkdir(parents=True, exist_ok=True)
    with fresh_database(data) as url:
        server = Server(data_dir=data, database_url=url)
        try:
            server.start(**env)
            server.create_keys()
            yield server
        finally:
            server.crash()


def seed_letter(server: Server) -> int:
    """One letter with directives in the store; its id."""
    with server.client("clerk") as clerk:
        r = upload(clerk, (TEXT_LAYER_PDF.name, TEXT_LAYER_PDF.read_bytes()))
        assert r.status_code == 202, r.text
        job = wait_job(clerk, r.json()[0]["job"], timeout=180)
    assert job["state"] == "done", job
    return int(job["letter"])  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("live")) as server:
        yield server
