"""Service figures: directive queries over 10,000 stored letters, upload-to-done, memory.

The store is filled through the real storage code (`service.store.save_extraction`)
with letters extracted from the samples, each copy given its own hash, number and
date; queries, uploads and memory are measured over HTTP against a real server.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

from bench.pages import Corpus

ROOT = Path(__file__).resolve().parent.parent
STORED_LETTERS = 10_000
QUERIES = (
    ("assignee=Sở TT&TT", {"assignee": "Sở TT&TT"}),
    ("q=chuyen doi so", {"q": "chuyen doi so"}),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(data_dir: Path, workers: int) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {
        **os.environ,
        "CONGVAN_DATA_DIR": str(data_dir),
        "CONGVAN_WORKERS": str(workers),
        "CONGVAN_MAX_FILES": "100",
    }
    env.pop("CONGVAN_DATABASE_URL", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "service.api:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _key(data_dir: Path, role: str) -> str:
    from service.auth import create_key
    from service.db import Database

    db = Database(f"sqlite:///{data_dir / 'congvan.db'}")
    try:
        db.migrate()
        return create_key(db, role, f"bench-{role}-{time.time_ns()}")
    finally:
        db.dispose()


def fill_store(data_dir: Path, corpus: Corpus, count: int) -> None:
    """`count` letters through save_extraction: copies of the sample letters, each distinct."""
    from extract import extract_letter
    from ingest import read_document
    from service.db import Database
    from service.pipeline import pipeline_version
    from service.store import save_extraction

    docs = [read_document(p.read_bytes(), filename=p.name) for p in corpus.text_pdfs]
    letters = [extract_letter(d) for d in docs]
    texts = ["\n".join(line.text for page in d.pages for line in page.lines) for d in docs]
    db = Database(f"sqlite:///{data_dir / 'congvan.db'}")
    db.migrate()
    version = pipeline_version()
    try:
        for start in range(0, count, 500):
            with db.write() as session:
                for i in range(start, min(count, start + 500)):
                    base = letters[i % len(letters)]
                    year = 2015 + i % 11
                    copy = base.model_copy(deep=True)
                    copy.source.sha256 = hashlib.sha256(f"bench-{i}".encode()).hexdigest()
                    copy.number = f"{i + 1}/{copy.symbol or 'UBND-VP'}"
                    copy.date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
                    save_extraction(session, copy, texts[i % len(texts)], version)
    finally:
        db.dispose()


def query_latency(data_dir: Path, repeats: int) -> list[tuple[str, str, str]]:
    key = _key(data_dir, "reader")
    rows = []
    with (
        serving(data_dir, workers=1) as (url, _),
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as client,
    ):
        for label, params in QUERIES:
            client.get("/api/directives", params=params).raise_for_status()  # warm caches
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                r = client.get("/api/directives", params=params)
                times.append((time.perf_counter() - start) * 1000)
                r.raise_for_status()
            total = r.json().get("total")
            p95 = sorted(times)[max(0, round(0.95 * (len(times) - 1)))]
            rows.append(
                (
                    f"`/api/directives?{label}`, {STORED_LETTERS:,} letters",
                    f"{statistics.median(times):.1f} ms / {p95:.1f} ms",
                    f"median / p95 of {repeats} requests, {total} directives match; target p95 ≤ 50 ms",
                )
            )
    return rows


def _wait_all(client: httpx.Client, job_ids: list[int], timeout: float = 3600) -> None:
    deadline = time.monotonic() + timeout
    pending = set(job_ids)
    while pending and time.monotonic() < deadline:
        for job_id in list(pending):
            if client.get(f"/api/jobs/{job_id}").json()["state"] in ("done", "failed"):
                pending.discard(job_id)
        time.sleep(0.05)


def upload_to_done(corpus: Corpus, repeats: int) -> tuple[str, str, str]:
    two_page = [p for p in corpus.scan_pdfs if _pages(p) == 2][:repeats] or corpus.scan_pdfs[:repeats]
    times = []
    for pdf in two_page:
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp)
            key = _key(data_dir, "clerk")
            with (
                serving(data_dir, workers=os.cpu_count() or 1) as (url, _),
                httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client,
            ):
                time.sleep(2)  # let the worker pool finish loading its models: the service is idle
                start = time.perf_counter()
                r = client.post(
                    "/api/letters", files={"files": (pdf.name, pdf.read_bytes(), "application/pdf")}
                )
                r.raise_for_status()
                _wait_all(client, [j["job"] for j in r.json()])
                times.append(time.perf_counter() - start)
    return (
        "Upload to done, 2-page scan, idle service",
        f"{statistics.median(times):.2f} s",
        f"median of {len(times)} uploads",
    )


def _pages(pdf: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(pdf)))


def memory_under_batch(corpus: Corpus) -> list[tuple[str, str, str]]:
    pages = sum(_pages(p) for p in corpus.scan_pdfs)
    peak_worker = peak_total = 0
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        key = _key(data_dir, "clerk")
        with (
            serving(data_dir, workers=os.cpu_count() or 1) as (url, proc),
            httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=120) as client,
        ):
            stop = threading.Event()

            def sample() -> None:
                nonlocal peak_worker, peak_total
                root = psutil.Process(proc.pid)
                while not stop.is_set():
                    try:
                        procs = [root, *root.children(recursive=True)]
                        rss = {p.pid: p.memory_info().rss for p in procs}
                    except psutil.Error:
                        continue
                    peak_total = max(peak_total, sum(rss.values()))
                    workers = [v for pid, v in rss.items() if pid != root.pid]
                    peak_worker = max([peak_worker, *workers])
                    time.sleep(0.1)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            job_ids = []
            for pdf in corpus.scan_pdfs:
                r = client.post(
                    "/api/letters", files={"files": (pdf.name, pdf.read_bytes(), "application/pdf")}
                )
                r.raise_for_status()
                job_ids += [j["job"] for j in r.json()]
            _wait_all(client, job_ids)
            stop.set()
            sampler.join()
    mb = 2**20
    return [
        (
            "Peak RSS, one worker process",
            f"{peak_worker / mb:.0f} MB",
            f"{pages}-page batch; target ≤ 400 MB",
        ),
        ("Peak RSS, whole service", f"{peak_total / mb:.0f} MB", "web process + worker pool"),
    ]


def run(corpus: Corpus, args: argparse.Namespace) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        print(f"4. filling a store with {STORED_LETTERS:,} letters ...", file=sys.stderr)
        fill_store(Path(tmp), corpus, STORED_LETTERS)
        print("4. directive queries ...", file=sys.stderr)
        rows += query_latency(Path(tmp), repeats=200)
    print("5. upload to done ...", file=sys.stderr)
    rows.append(upload_to_done(corpus, args.repeats))
    print("6. memory under a batch ...", file=sys.stderr)
    rows += memory_under_batch(corpus)
    return rows
