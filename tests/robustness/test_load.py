"""Load from a loopback client: 200 concurrent queries and 20 concurrent uploads while a
scan is being OCR'd. Bounded in count (220 requests) and time (each request 60 s, the
burst 120 s). No error; the queries are answered while OCR runs; nothing is lost.
"""

from __future__ import annotations

import io
import json
import random
import statistics
import threading
import time
from pathlib import Path

import httpx
from conftest import CELERY, ROOT, Server
from consistency import store_problems, upload, wait_all
from live import live, seed_letter  # noqa: F401 (a fixture)
from PIL import Image

QUERIES = 200
UPLOADS = 20


def _two_page_pdf(scan: bytes) -> bytes:
    page = Image.open(io.BytesIO(scan)).convert("L")
    buf = io.BytesIO()
    page.save(buf, "PDF", save_all=True, append_images=[page.copy()], resolution=300)
    return buf.getvalue()


def _damaged_png(seed: int) -> bytes:
    """A PNG signature over junk: refused by the worker at once, so the burst stays cheap."""
    return b"\x89PNG\r\n\x1a\n" + random.Random(seed).randbytes(3000)


def _ppid(pid: int) -> int:
    try:
        return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def _watch_tesseract(seen: set[tuple[int, int]], stop: threading.Event) -> None:
    """Note (parent, grandparent) of every `tesseract` process until `stop` (a sample every 50 ms);
    other tests on the machine run Tesseract too, the grandparent tells ours."""
    while not stop.is_set():
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if stat.split(" (", 1)[1].startswith("tesseract)"):
                parent = int(stat.rsplit(")", 1)[1].split()[1])
                seen.add((parent, _ppid(parent)))
        time.sleep(0.05)


def test_queries_answered_while_ocr_runs_and_uploads_arrive(live: Server,  # noqa: F811
                                                             service_scan: bytes) -> None:
    letter_id = seed_letter(live)
    reader = live.client("reader")
    ocr = upload(live.client("clerk"), ("two-pages.pdf", _two_page_pdf(service_scan)))
    assert ocr.status_code == 202, ocr.text
    ocr_job = ocr.json()[0]["job"]
    deadline = time.monotonic() + 120
    while reader.get(f"/api/jobs/{ocr_job}").json()["state"] != "running":
        assert time.monotonic() < deadline, "the OCR job never started"
        time.sleep(0.2)

    paths = [f"/api/letters/{letter_id}", "/api/letters", "/api/letters?q=chuyen+doi+so", "/api/directives",
             f"/api/directives?letter={letter_id}", f"/api/jobs/{ocr_job}", "/api/letters?issuer=UBND"]
    limits = httpx.Limits(max_connections=QUERIES + UPLOADS, max_keepalive_connections=0)
    results: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    start_line = threading.Barrier(QUERIES + UPLOADS)

    with httpx.Client(base_url=live.url, timeout=60, limits=limits) as client:
        query_headers = {"Authorization": f"Bearer {live.keys['reader']}"}
        upload_headers = {"Authorization": f"Bearer {live.keys['clerk']}"}

        def query(i: int) -> None:
            start_line.wait(timeout=60)
            t = time.perf_counter()
            r = client.get(paths[i % len(paths)], headers=query_headers)
            with lock:
                results.append(("query", r.status_code, time.perf_counter() - t))

        def send(i: int) -> None:
            start_line.wait(timeout=60)
            t = time.perf_counter()
            files = [("files", (f"load-{i}.png", _damaged_png(i), "image/png"))]
            r = client.post("/api/letters", files=files, headers=upload_headers)
            with lock:
                results.append(("upload", r.status_code, time.perf_counter() - t))
                if r.status_code == 202:
                    uploaded.append(r.json()[0]["job"])

        uploaded: list[int] = []
        ocr_parents: set[tuple[int, int]] = set()
        sampler_stop = threading.Event()
        sampler = threading.Thread(target=_watch_tesseract, args=(ocr_parents, sampler_stop))
        sampler.start()
        threads = [threading.Thread(target=query, args=(i,)) for i in range(QUERIES)]
        threads += [threading.Thread(target=send, args=(i,)) for i in range(UPLOADS)]
        burst = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        burst = time.perf_counter() - burst
    state_after = reader.get(f"/api/jobs/{ocr_job}").json()
    assert live.proc is not None
    server_pid = live.proc.pid
    # Whose Tesseract is ours: the web process's pool (a child of the server) or, in the
    # scale-out pass, the pool of one of this server's `congvan worker` processes.
    owners = {server_pid, *(w.pid for w in live.workers)}
    deadline = time.monotonic() + 60
    while not owners & {p for pair in ocr_parents for p in pair} and time.monotonic() < deadline:
        time.sleep(0.1)
    sampler_stop.set()
    sampler.join(timeout=10)
    # OCR runs in the worker processes: our Tesseract is a worker's child, never the web process's.
    ours = {(parent, grand) for parent, grand in ocr_parents if owners & {parent, grand}}
    assert ours and all(parent != server_pid for parent, _ in ours), ours
    if CELERY:  # and never in a pool of the web process: the web process only queues
        assert all(grand in owners - {server_pid} for _, grand in ours), (ours, owners)

    assert len(results) == QUERIES + UPLOADS
    errors = [(kind, status) for kind, status, _ in results if status not in (200, 202)]
    assert errors == []
    latencies = sorted(seconds for kind, _, seconds in results if kind == "query")
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    final = wait_all(reader, [ocr_job, *uploaded], timeout=300)
    assert final[ocr_job]["state"] == "done", final[ocr_job]
    assert all(final[j]["state"] == "failed" and final[j]["reason"] for j in uploaded)
    assert len(set(uploaded)) == UPLOADS
    assert store_problems(live) == []

    figures = {"queries": QUERIES, "uploads": UPLOADS, "errors": len(errors),
               "burst_seconds": round(burst, 2), "query_p50_seconds": round(statistics.median(latencies), 3),
               "query_p95_seconds": round(p95, 3), "query_max_seconds": round(latencies[-1], 3),
               "ocr_job_state_after_burst": state_after["state"]}
    out = ROOT / "tests" / "artifacts" / "robustness-load.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=1))
    print(f"load: {figures}")
    # Answered while OCR ran: the OCR job was running when the burst began, and the queries
    # did not wait for it (a web process blocked by OCR would take the length of a page).
    assert p95 < 10, figures
