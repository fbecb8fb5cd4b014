"""A module-scoped live server for the robustness tests that share one (fuzzing, load).

conftest's `server` is per test; these tests make thousands of requests against one
instance and a seeded letter, so they start it once per module (SQLite under a tmp dir).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, Server, wait_job
from consistency import upload

# A text-layer PDF shipped with the samples: read without OCR, so seeding costs no Tesseract time.
TEXT_LAYER_PDF = ROOT / "samples" / "scans" / "stttt-gia-lai-2023-bao-cao-thu-nghiem.pdf"


def start_server(tmp: Path, **env: str) -> Server:
    data = tmp / "data"
    data.mkdir(parents=True, exist_ok=True)
    server = Server(data_dir=data, database_url=f"sqlite:///{data / 'congvan.db'}")
    server.start(**env)
    server.create_keys()
    return server


def seed_letter(server: Server) -> int:
    """One letter with directives in the store; its id."""
    with server.client("clerk") as clerk:
        r = upload(clerk, (TEXT_LAYER_PDF.name, TEXT_LAYER_PDF.read_bytes()))
        assert r.status_code == 202, r.text
        job = wait_job(clerk, r.json()[0]["job"], timeout=180)
    assert job["state"] == "done", job
    return int(job["letter"])  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Server:
    server = start_server(tmp_path_factory.mktemp("live"))
    try:
        yield server  # type: ignore[misc]
    finally:
        server.crash()
