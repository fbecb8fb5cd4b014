"""`make bench`: throughput and latency figures, written to bench/RESULTS.md.

Every figure is the median of repeated runs, measured side by side with what it is
compared to (raw Tesseract runs interleaved with pipeline runs on the same pages and
the same number of processes), so that a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench.pages import Corpus, build

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
CONGVAN = [sys.executable, "-m", "service.cli"]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def wall_and_cpu(fn: Callable[[], object]) -> tuple[float, float]:
    """Seconds `fn` took, and CPU seconds (user + system) of the processes it ran and waited
    for: on a shared virtual machine the first also counts what neighbours took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(fn)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# The second Tesseract looks at a band the page pass lost (ingest.header_look, ingest.signer,
# ingest.list_look), off: what the pipeline costs around one Tesseract pass a page.
NO_SECOND_LOOKS = {
    "CONGVAN_HEADER_SECOND_LOOK": "0",
    "CONGVAN_SIGNER_SECOND_LOOK": "0",
    "CONGVAN_LIST_SECOND_LOOK": "0",
}


def run_pipeline(files: list[Path], jobs: int, settings: dict[str, str] | None = None) -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", **(settings or {})}
    result = subprocess.run(
        [*CONGVAN, "extract", "--json", "--jobs", str(jobs), *map(str, files)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"congvan extract failed: {result.stderr[-2000:]}")


def run_raw_tesseract(images: list[Path], jobs: int) -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(image: Path) -> None:
        subprocess.run(
            ["tesseract", str(image), "-", "-l", "vie"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, images))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def scanned_throughput(corpus: Corpus, jobs: int, repeats: int) -> dict[str, float]:
    """`congvan extract` on the scanned letters (image-only PDFs, as clerks upload them) against
    `tesseract` on the very images those PDFs hold, one process per page."""
    pages = len(corpus.page_images)
    pipe, raw, lean = [], [], []
    for _ in range(repeats):
        raw.append(wall_and_cpu(lambda: run_raw_tesseract(corpus.page_images, jobs)))
        pipe.append(wall_and_cpu(lambda: run_pipeline(corpus.scan_pdfs, jobs)))
        lean.append(timed(lambda: run_pipeline(corpus.scan_pdfs, jobs, NO_SECOND_LOOKS)))
    p, r = pages / statistics.median(w for w, _ in pipe), pages / statistics.median(w for w, _ in raw)
    one_pass = pages / statistics.median(lean)
    pipe_cpu, raw_cpu = statistics.median(c for _, c in pipe), statistics.median(c for _, c in raw)
    return {"pages": pages, "pipeline_pps": p, "tesseract_pps": r, "ratio": p / r,
            "one_pass_pps": one_pass, "one_pass_ratio": one_pass / r,
            "cpu_ratio": raw_cpu / pipe_cpu, "pipe_cpu": pipe_cpu, "raw_cpu": raw_cpu}


TEXT_LAYER_PAGES = 400


def text_layer_throughput(corpus: Corpus, jobs: int, repeats: int) -> dict[str, float]:
    """Pages per second over a batch large enough (the letters read several times over) that the
    workers' start, a few seconds of loading spaCy and underthesea, weighs on it no more than
    it does on the scanned batch."""
    rounds = max(1, -(-TEXT_LAYER_PAGES // max(1, corpus.text_pages)))
    batch = corpus.text_pdfs * rounds
    runs = [timed(lambda: run_pipeline(batch, jobs)) for _ in range(repeats)]
    pages = corpus.text_pages * rounds
    return {"pages": pages, "pps": pages / statistics.median(runs)}


def extraction_times(corpus: Corpus, repeats: int) -> dict[str, float]:
    from extract import extract_letter
    from ingest import read_document

    docs = [read_document(p.read_bytes(), filename=p.name) for p in corpus.text_pdfs]
    for doc in docs[:3]:
        extract_letter(doc)  # load models before timing
    times = []
    for _ in range(repeats):
        for doc in docs:
            times.append(timed(lambda d=doc: extract_letter(d)) * 1000)  # type: ignore[misc]
    return {"letters": len(docs), "median_ms": statistics.median(times), "p95_ms": percentile(times, 0.95)}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    tess = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {python}, {tess}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    print(f"rendering at least {args.pages} sample pages into {OUT} ...", file=sys.stderr)
    corpus = build(OUT, args.pages)
    sections: list[str] = []
    from bench import service_bench

    print("1. scanned pages: congvan extract against tesseract ...", file=sys.stderr)
    scan = scanned_throughput(corpus, args.jobs, args.repeats)
    print("2. text-layer pages ...", file=sys.stderr)
    text = text_layer_throughput(corpus, args.jobs, args.repeats)
    print("3. extraction per letter ...", file=sys.stderr)
    ext = extraction_times(corpus, max(5, args.repeats))
    rows = [
        (
            "Scanned pages/s, `congvan extract`",
            f"{scan['pipeline_pps']:.3f}",
            f"{scan['pages']} pages in {len(corpus.scan_pdfs)} scanned PDFs, {args.jobs} processes",
        ),
        (
            "Scanned pages/s, `tesseract -l vie`",
            f"{scan['tesseract_pps']:.3f}",
            "the images those PDFs hold, same parallelism",
        ),
        ("Pipeline / raw Tesseract", f"{scan['ratio']:.3f}", "target ≥ 0.95"),
        (
            "Same, in CPU seconds (raw / pipeline)",
            f"{scan['cpu_ratio']:.3f}",
            f"{scan['raw_cpu']:.1f} s / {scan['pipe_cpu']:.1f} s of CPU for the batch: "
            "what neighbours on a shared machine take does not count",
        ),
        (
            "Pipeline without second looks / raw Tesseract",
            f"{scan['one_pass_ratio']:.3f}",
            f"{scan['one_pass_pps']:.3f} pages/s; " + ", ".join(f"{k}=0" for k in NO_SECOND_LOOKS),
        ),
        ("Text-layer pages/s", f"{text['pps']:.2f}", f"{text['pages']} pages"),
        ("Text-layer / scanned pages", f"{text['pps'] / scan['pipeline_pps']:.1f}×", "target ≥ 20×"),
        (
            "Extraction per letter, median",
            f"{ext['median_ms']:.1f} ms",
            f"{ext['letters']} letters, target ≤ 30 ms",
        ),
        ("Extraction per letter, p95", f"{ext['p95_ms']:.1f} ms", ""),
    ]
    rows += service_bench.run(corpus, args)
    from bench import scaleout_bench

    print("7. scale-out: one Celery worker against two ...", file=sys.stderr)
    rows += scaleout_bench.run(corpus, args)
    table = ["| figure | value | notes |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    sections.append("\n".join(table))
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text_out = (
        "# Benchmark results\n\n"
        f"Machine: {machine()}\n\nDate: {when}. Each figure is the median of {args.repeats} runs "
        "(latencies: median and 95th percentile over all requests). Reproduce with `make bench`.\n\n"
        + "\n\n".join(sections)
        + "\n"
    )
    RESULTS.write_text(text_out)
    print(text_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
