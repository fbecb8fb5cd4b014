"""Field accuracy of the whole pipeline over every sample letter, clean and degraded.

Each letter is rendered into a scanned PDF (image only, so every page is OCR'd),
read and extracted for real, and scored against its label with `service.evaluate`.
The bars are those of issues 2 (header fields) and 3 (every field). The tables are
written to tests/artifacts/ so a run shows where the figures in the README come from.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from samples.generate import corpus, write_sample
from service.evaluate import SCALAR_FIELDS, EvalReport, evaluate, format_table

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
HEADER_FIELDS = SCALAR_FIELDS
ALL_FIELDS = (*SCALAR_FIELDS, "recipients", "references", "tasks", "distribution", "signer")
BARS = {
    # variant: (header fields, every field)
    "clean": (0.97, 0.95),
    "degraded": (0.93, 0.90),
}


def _render(outdir: Path, degraded: bool) -> None:
    for i, source in enumerate(corpus()):
        write_sample(source, outdir, fmt="pdf", degraded=degraded, seed=100 + i)


@pytest.fixture(scope="module", params=sorted(BARS))
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, EvalReport]:
    variant = request.param
    outdir = tmp_path_factory.mktemp(variant)
    _render(outdir, degraded=variant == "degraded")
    result = evaluate(outdir, jobs=os.cpu_count() or 1)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"accuracy-{variant}.md").write_text(format_table(result) + "\n")
    print(f"\n{variant} scans, {len(result.letters)} letters:\n{format_table(result)}")
    return variant, result


def test_corpus_is_large_and_varied(report: tuple[str, EvalReport]) -> None:
    _, result = report
    assert len(result.letters) >= 20
    assert not result.errors, [(s.name, s.error) for s in result.errors]


def test_header_fields_meet_the_bar(report: tuple[str, EvalReport]) -> None:
    variant, result = report
    bar = BARS[variant][0]
    below = {f: round(result.accuracy(f), 3) for f in HEADER_FIELDS if result.accuracy(f) < bar}
    assert not below, f"{variant}: header fields under {bar}: {below}"


def test_every_field_meets_the_bar(report: tuple[str, EvalReport]) -> None:
    variant, result = report
    bar = BARS[variant][1]
    below = {f: round(result.accuracy(f), 3) for f in ALL_FIELDS if result.accuracy(f) < bar}
    details = {
        s.name: {f: d for f, d in s.diffs.items() if f in below} for s in result.letters if s.diffs
    }
    assert not below, f"{variant}: fields under {bar}: {below}; differences: {details}"
