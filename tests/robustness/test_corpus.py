"""The hostile corpus through `read_document`, the `congvan extract` command and the API.

Each file is refused by name (the code its `Hostile` expects) or, when odd but readable,
read without an internal error; the CLI answers one line per refused file and goes on
with the batch; the service answers at once or fails the job with a reason, keeps
answering `/healthz`, and its store stays consistent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import corpus
import pytest
from conftest import ROOT, Server
from consistency import log_text, store_problems, upload, wait_all

from ingest import read_document
from ingest.errors import CongvanError
from service.cli import EXIT_INTERNAL

CONGVAN = [sys.executable, "-m", "service.cli"]


@pytest.fixture(scope="module")
def hostile() -> list[corpus.Hostile]:
    return corpus.build()


def test_corpus_covers_the_issue(hostile: list[corpus.Hostile]) -> None:
    names = {h.name for h in hostile}
    assert len(hostile) >= 30 and len(names) == len(hostile)
    assert len({h.data for h in hostile}) == len(hostile)  # distinct bytes: one job each
    for required in (
        "empty.pdf",
        "truncated.pdf",
        "truncated.tif",
        "huge.png",
        "bomb.png",
        "one-pixel.png",
        "gif-named.pdf",
        "page.png",
        "drawing.png",
        "thousand-blank-pages.pdf",
        "cid-text-layer.pdf",
        "../../../etc/cron.d/evil.png",
    ):
        assert required in names
    assert any(any(ord(c) < 32 for c in n) for n in names)  # control characters in a name


def test_read_document_refuses_each_by_name(hostile: list[corpus.Hostile]) -> None:
    for item in hostile:
        if item.expect is None:
            continue
        start = time.perf_counter()
        with pytest.raises(CongvanError) as caught:
            read_document(item.data, item.name)
        assert caught.value.code == item.expect, (item.name, caught.value.code, caught.value.message)
        # Refusals come before any costly step: no OCR, no full decode of a bomb.
        assert time.perf_counter() - start < 5, item.name


def test_odd_but_readable_files_are_read(hostile: list[corpus.Hostile]) -> None:
    readable = {h.name: h for h in hostile if h.expect is None}
    for item in readable.values():
        doc = read_document(item.data, item.name)
        assert len(doc.pages) == 1, item.name
    # The G4 regression: a bilevel Group 4 TIFF is OCR'd, not 'encoder error -2'.
    g4 = read_document(readable["g4-bilevel.tif"].data)
    assert g4.pages[0].text_source == "ocr" and any(line.text for line in g4.pages[0].lines)
    # A (cid:NN) text layer is not trusted: the page is OCR'd and no glyph id reaches the text.
    cid = read_document(readable["cid-text-layer.pdf"].data)
    assert cid.pages[0].text_source == "ocr"
    assert "(cid:" not in "\n".join(line.text for line in cid.pages[0].lines)


def test_cli_batch_one_line_per_refused_file_and_goes_on(
    tmp_path: Path, hostile: list[corpus.Hostile]
) -> None:
    written = corpus.write(tmp_path / "corpus")
    paths = [str(p) for _, p in written]
    proc = subprocess.run(
        [*CONGVAN, "extract", "--json", "--jobs", "1", *paths],
        cwd=ROOT,
        capture_output=True,
        timeout=600,
        env={**os.environ, "CONGVAN_DEBUG": ""},
    )
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "Traceback" not in err and "internal error" not in err, err[-3000:]
    # tqdm redraws its progress bar with carriage returns: keep what follows the last one.
    lines = [line.rsplit("\r", 1)[-1] for line in err.split("\n")]
    lines = [line for line in lines if line.startswith("congvan: ")]
    refused = [(h, p) for h, p in written if h.expect is not None]
    assert len(lines) == len(refused), "\n".join(lines)
    for item, path in refused:
        # Control characters in a name are printed escaped: one line, no terminal codes.
        shown = str(path).replace("\x1b", "\\x1b").replace("\r", "\\r").replace("\n", "\\n")
        shown = shown.replace("\x07", "\\x07").replace("\t", "\\t")
        assert sum(line.startswith(f"congvan: {shown}: ") for line in lines) == 1, (item.name, lines)
    # Every readable file still printed its letter after the refusals before it.
    letters = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert len(letters) == sum(h.expect is None for h in hostile)
    assert proc.returncode == 4  # the worst of the batch: a limit (exit 4), never 70 (a bug)


@pytest.mark.parametrize(("name", "code"), [("gif-named.pdf", 3), ("huge.png", 4), ("encrypted.pdf", 3)])
def test_cli_single_file_exit_code(
    tmp_path: Path, hostile: list[corpus.Hostile], name: str, code: int
) -> None:
    item = next(h for h in hostile if h.name == name)
    path = tmp_path / name
    path.write_bytes(item.data)
    proc = subprocess.run([*CONGVAN, "extract", str(path)], cwd=ROOT, capture_output=True, timeout=300)
    err = proc.stderr.decode().strip()
    assert proc.returncode == code and proc.returncode != EXIT_INTERNAL, err
    assert len(err.splitlines()) == 1 and err.startswith(f"congvan: {path}: "), err


def test_api_refuses_or_fails_each_file_and_stays_consistent(
    server: Server, hostile: list[corpus.Hostile]
) -> None:
    clerk, reader = server.client("clerk"), server.client("reader")
    jobs: dict[int, corpus.Hostile] = {}
    at_intake = 0
    for item in hostile:
        r = upload(clerk, (item.name, item.data))
        if r.status_code == 202:
            (entry,) = r.json()
            jobs[entry["job"]] = item
            assert "/" not in (entry["filename"] or "") and entry["filename"].isprintable(), entry
        else:  # refused at once: a JSON body naming the reason, and nothing stored
            assert 400 <= r.status_code < 500 and r.json()["error"] == item.expect, (item.name, r.text)
            at_intake += 1
        assert reader.get("/healthz").status_code == 200
    assert at_intake >= 1  # the empty file

    final = wait_all(reader, list(jobs), timeout=300)
    for job_id, job in final.items():
        item = jobs[job_id]
        if item.expect is not None:
            assert job["state"] == "failed" and job["reason"].startswith(f"{item.expect}: "), (item.name, job)
        else:
            assert job["state"] == "done" or not job["reason"].startswith("internal-error"), (item.name, job)
    assert reader.get("/healthz").status_code == 200
    assert store_problems(server) == []
    # The hostile names are labels only: nothing was written outside the data directory.
    assert not any(server.data_dir.parent.parent.rglob("cron.d"))
    assert "Traceback" not in log_text(server)
    names = {j["filename"] for j in final.values()}
    assert "evil.png" in names and "x.tif" in names
