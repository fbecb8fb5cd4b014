"""Measure extraction against labelled letters: per-field accuracy over a directory of scans.

    report = evaluate("samples/scans", jobs=2)      # NAME.<pdf|tif|tiff|png|jpg|jpeg> + NAME.json
    print(format_table(report))

Every file with a label beside it is read (`ingest.read_document`), extracted
(`extract.extract_letter`) and compared with its label field by field (the fields of
`letter.schema.json`):

- scalars (number, symbol, doc_type, parent_body, issuer, place, date, subject, urgency):
  equal after NFC and whitespace folding, case-sensitive;
- recipients, distribution: F1 over items, items compared as scalars;
- references: a cited document matches by number and counts when its date and issuer are equal too; F1;
- tasks: matched in order (longest in-order matching); a task counts when its assignees (as a set;
  a sentence-initial capital is ignored), deadline and ordinal are equal and its text is similar
  (`token_set_ratio` >= 90, since labels cut item texts at different points); F1;
- signer: authority, position and name each compared, mean.

A field's accuracy is the mean of its scores over the letters. `score_letter` compares one
extracted letter (a `Letter` or its dict) with a label and needs no OCR.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from extract.model import HEADER_FIELDS
from ingest.errors import CongvanError

SCALAR_FIELDS = HEADER_FIELDS
LIST_FIELDS = ("recipients", "distribution")
FIELDS = (*SCALAR_FIELDS, "recipients", "references", "tasks", "distribution", "signer")
SCAN_SUFFIXES = (".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg")
TASK_TEXT_THRESHOLD = 90.0


# ---------------------------------------------------------------- normalisation and scoring


def norm(value: object) -> str | None:
    """NFC, whitespace runs folded to one space, trimmed; None and blank stay None."""
    if value is None:
        return None
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    return text or None


def _name(value: object) -> str | None:
    """A body's name for set comparison: `Các sở` and `các sở` are the same body."""
    text = norm(value)
    return None if text is None else text[:1].lower() + text[1:]


def _ordinal(value: object) -> str | None:
    """`1.`, `1)`, `a)` and `Điều 3.` print the same ordinal as `1`, `a`, `Điều 3`."""
    text = norm(value)
    return None if text is None else (text.rstrip(".)").strip() or None)


def score_scalar(got: object, expected: object) -> float:
    return 1.0 if norm(got) == norm(expected) else 0.0


def f1(matched: int, n_got: int, n_expected: int) -> float:
    """F1 from a match count; two empty lists agree fully."""
    if n_got == 0 and n_expected == 0:
        return 1.0
    return 2.0 * matched / (n_got + n_expected)


def score_items(got: Sequence[object], expected: Sequence[object]) -> float:
    """F1 over list items (as a multiset), items normalised as scalars."""
    pool: dict[str | None, int] = {}
    for item in expected:
        pool[norm(item)] = pool.get(norm(item), 0) + 1
    matched = 0
    for item in got:
        key = norm(item)
        if pool.get(key, 0) > 0:
            pool[key] -= 1
            matched += 1
    return f1(matched, len(got), len(expected))


def score_references(got: Sequence[Mapping[str, Any]], expected: Sequence[Mapping[str, Any]]) -> float:
    """F1 over cited documents: matched by number, counted when date and issuer agree too."""
    unused = list(expected)
    matched = 0
    for ref in got:
        for i, gold in enumerate(unused):
            if norm(ref.get("number")) == norm(gold.get("number")):
                del unused[i]
                if norm(ref.get("date")) == norm(gold.get("date")) and norm(ref.get("issuer")) == norm(
                    gold.get("issuer")
                ):
                    matched += 1
                break
    return f1(matched, len(got), len(expected))


def _assignees(task: Mapping[str, Any]) -> frozenset[str | None]:
    names = task.get("assignees")
    if names is None:  # older labels hold one `assignee` string
        names = [task["assignee"]] if task.get("assignee") else []
    return frozenset(_name(n) for n in names)


def task_matches(got: Mapping[str, Any], expected: Mapping[str, Any]) -> bool:
    """Same assignees, deadline and ordinal, and a similar text."""
    if _assignees(got) != _assignees(expected):
        return False
    if norm(got.get("deadline")) != norm(expected.get("deadline")):
        return False
    if _ordinal(got.get("ordinal")) != _ordinal(expected.get("ordinal")):
        return False
    ratio = fuzz.token_set_ratio(
        norm(got.get("text")) or "", norm(expected.get("text")) or "", processor=default_process
    )
    return ratio >= TASK_TEXT_THRESHOLD


def score_tasks(got: Sequence[Mapping[str, Any]], expected: Sequence[Mapping[str, Any]]) -> float:
    """F1 over tasks, matched in order (longest common subsequence under `task_matches`)."""
    n, m = len(got), len(expected)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if task_matches(got[i], expected[j]):
                best[i][j] = best[i + 1][j + 1] + 1
            else:
                best[i][j] = max(best[i + 1][j], best[i][j + 1])
    return f1(best[0][0] if n and m else 0, n, m)


def score_signer(got: Mapping[str, Any] | None, expected: Mapping[str, Any] | None) -> float:
    """Mean agreement of authority, position and name (a missing block is all null)."""
    got, expected = got or {}, expected or {}
    return sum(score_scalar(got.get(k), expected.get(k)) for k in ("authority", "position", "name")) / 3.0


def _as_dict(letter: object) -> dict[str, Any]:
    if isinstance(letter, Mapping):
        return dict(letter)
    dump = getattr(letter, "model_dump", None)
    if dump is None:
        raise TypeError(f"cannot score a {type(letter).__name__}: expected a Letter or a dict")
    return dict(dump(mode="json"))


def score_field(name: str, got: Mapping[str, Any], expected: Mapping[str, Any]) -> float:
    if name in SCALAR_FIELDS:
        return score_scalar(got.get(name), expected.get(name))
    if name in LIST_FIELDS:
        return score_items(got.get(name) or [], expected.get(name) or [])
    if name == "references":
        return score_references(got.get(name) or [], expected.get(name) or [])
    if name == "tasks":
        return score_tasks(got.get(name) or [], expected.get(name) or [])
    if name == "signer":
        return score_signer(got.get(name), expected.get(name))
    raise ValueError(f"unknown field {name!r}")


@dataclass
class LetterScore:
    """One letter compared with its label: a score per field, and what differed."""

    name: str
    scores: dict[str, float]
    diffs: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> {"expected", "got"}
    error: str | None = None
    seconds: float = 0.0
    pages: int | None = None

    @property
    def mean(self) -> float:
        return sum(self.scores.values()) / len(self.scores) if self.scores else 0.0


def score_letter(letter: object, label: Mapping[str, Any], name: str = "letter") -> LetterScore:
    """Compare one extracted letter (a `Letter` or its dict) with its label, field by field."""
    got = _as_dict(letter)
    scores: dict[str, float] = {}
    diffs: dict[str, dict[str, Any]] = {}
    for f in FIELDS:
        scores[f] = score_field(f, got, label)
        if scores[f] < 1.0:
            diffs[f] = {"expected": label.get(f), "got": got.get(f)}
    pages = (got.get("source") or {}).get("pages") if isinstance(got.get("source"), Mapping) else None
    return LetterScore(name=name, scores=scores, diffs=diffs, pages=pages)


def failed_letter(name: str, error: str, seconds: float = 0.0) -> LetterScore:
    """A letter that could not be read or extracted scores 0 on every field."""
    return LetterScore(name=name, scores=dict.fromkeys(FIELDS, 0.0), error=error, seconds=seconds)


# ---------------------------------------------------------------- the report


@dataclass
class EvalReport:
    letters: list[LetterScore]
    fields: tuple[str, ...] = FIELDS
    seconds: float = 0.0

    def accuracy(self, name: str) -> float:
        """Mean score of one field over the letters (0 when there are none)."""
        if not self.letters:
            return 0.0
        return sum(s.scores.get(name, 0.0) for s in self.letters) / len(self.letters)

    def perfect(self, name: str) -> int:
        return sum(1 for s in self.letters if s.scores.get(name, 0.0) >= 1.0)

    @property
    def overall(self) -> float:
        return sum(self.accuracy(f) for f in self.fields) / len(self.fields) if self.fields else 0.0

    @property
    def errors(self) -> list[LetterScore]:
        return [s for s in self.letters if s.error]

    def to_dict(self) -> dict[str, Any]:
        return {
            "letters": len(self.letters),
            "seconds": round(self.seconds, 2),
            "overall": round(self.overall, 4),
            "fields": {f: round(self.accuracy(f), 4) for f in self.fields},
            "details": [
                {
                    "name": s.name,
                    "error": s.error,
                    "seconds": round(s.seconds, 2),
                    "scores": {f: round(v, 4) for f, v in s.scores.items()},
                    "diffs": s.diffs,
                }
                for s in self.letters
            ],
        }


def format_table(report: EvalReport) -> str:
    """Markdown table: field | accuracy | letters fully right, then the mean over fields."""
    n = len(report.letters)
    rows = ["| field | accuracy | letters |", "|---|---:|---:|"]
    for f in report.fields:
        rows.append(f"| {f} | {report.accuracy(f) * 100:.1f}% | {report.perfect(f)}/{n} |")
    rows.append(f"| **mean** | **{report.overall * 100:.1f}%** | {n} |")
    if report.errors:
        rows.append("")
        rows += [f"- {s.name}: {s.error}" for s in report.errors]
    return "\n".join(rows)


# ---------------------------------------------------------------- running over a directory


def labelled_files(directory: str | Path) -> list[Path]:
    """Scans with a `NAME.json` label beside them, sorted by name."""
    d = Path(directory)
    if not d.is_dir():
        raise CongvanError(f"not a directory: {d}")
    return sorted(
        p for p in d.iterdir() if p.suffix.lower() in SCAN_SUFFIXES and p.with_suffix(".json").is_file()
    )


def evaluate_file(path: str | Path) -> LetterScore:
    """Read, extract and score one labelled file; any failure becomes a scored error, not an exception."""
    p = Path(path)
    start = time.perf_counter()
    try:
        label = json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return failed_letter(p.name, f"bad label: {exc}")
    try:
        from extract import extract_letter
        from ingest import read_document

        letter = extract_letter(read_document(p.read_bytes(), filename=p.name))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a whole evaluation
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        return failed_letter(p.name, f"{type(exc).__name__}: {message}", time.perf_counter() - start)
    result = score_letter(letter, label, name=p.name)
    result.seconds = time.perf_counter() - start
    return result


def evaluate(
    directory: str | Path,
    on_letter: Callable[[LetterScore], None] | None = None,
    jobs: int = 1,
    files: Iterable[str | Path] | None = None,
) -> EvalReport:
    """Evaluate every labelled scan of `directory` (or the given `files`); `jobs` > 1 uses processes."""
    start = time.perf_counter()
    paths = [Path(f) for f in files] if files is not None else labelled_files(directory)
    results: dict[Path, LetterScore] = {}
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            results[p] = evaluate_file(p)
            if on_letter:
                on_letter(results[p])
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(evaluate_file, p): p for p in paths}
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                if on_letter:
                    on_letter(results[futures[fut]])
    return EvalReport(letters=[results[p] for p in paths], seconds=time.perf_counter() - start)
