"""Pilot suggestions measured over the labelled samples.

The labelled letters (`samples/letters/*.json`, their text from the `.txt` beside
them) are stored in a throw-away in-memory database through the same store and
link code as the service, the pilot list is imported, and each directive's first
suggestion is compared with `samples/pilot-links.json` (which directives concern
which pilots, by solution name and the first words of the task; a directive not
listed concerns none):

- hit rate: of the directives that concern a pilot, how many have one of their
  pilots as first suggestion at or above the threshold;
- clean rate: of the directives that concern none, how many get no suggestion at
  or above the threshold.

With `read=True` the letters are first read by the real pipeline (text-layer PDFs
rendered by the sample generator, then ingest and extract): the directives are the
extracted ones, each given the labels of the labelled task its text matches best
(extracted tasks that match none are counted apart, as `unaligned`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from ..folding import fold_words
from ..models import Base, LetterRow
from ..store import denormalise, rebuild_directives
from . import pilots as pilot_records
from .scoring import THRESHOLD, rank
from .suggest import directive_facts, pilot_facts
from .tables import Pilot

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@dataclass
class Outcome:
    letter: str
    task: int
    expected: list[str]
    first: str | None
    score: float


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    unaligned: int = 0  # extracted tasks no labelled task matches (read=True)

    @property
    def concerned(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.expected]

    @property
    def unconcerned(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.expected]

    @property
    def hit_rate(self) -> float:
        hits = sum(o.first in o.expected for o in self.concerned)
        return hits / len(self.concerned) if self.concerned else 0.0

    @property
    def clean_rate(self) -> float:
        clean = sum(o.first is None for o in self.unconcerned)
        return clean / len(self.unconcerned) if self.unconcerned else 1.0

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes
                if (o.expected and o.first not in o.expected) or (not o.expected and o.first)]


def _body_text(source: str) -> str:
    """The words of a letter source, without comments and section marks."""
    lines = [ln for ln in source.splitlines() if not ln.startswith("#") and not re.match(r"^\[[\w-]+\]$", ln)]
    return "\n".join(ln.removeprefix("parent:").lstrip("= ") for ln in lines)


ALIGN_MIN = 70.0  # token-set similarity of an extracted task's text to a labelled one


def _read(source: Path) -> tuple[dict[str, Any], str]:
    """The letter as the pipeline reads a born-digital PDF of it, and the document's text."""
    import extract
    from ingest.reader import read_document
    from samples.generate import render_pdf

    doc = read_document(render_pdf(source), filename=source.with_suffix(".pdf").name)
    letter = extract.extract_letter(doc).model_dump(mode="json")
    return letter, "\n".join(line.text for page in doc.pages for line in page.lines)


def _labelled(stem: str, tasks: list[dict[str, Any]], entries: list[dict[str, Any]]) -> list[list[str]]:
    """The pilots each labelled task concerns: an entry names its task by the text's first words."""
    out: list[list[str]] = [[] for _ in tasks]
    for entry in (e for e in entries if e["letter"] == stem):
        start = fold_words(entry["task"])
        found = [i for i, t in enumerate(tasks) if fold_words(t.get("text") or "").startswith(start)]
        if len(found) != 1:
            raise ValueError(f"pilot-links: {stem}: {len(found)} tasks start with {entry['task']!r}")
        out[found[0]] = list(entry["pilots"])
    return out


def _aligned(extracted: list[dict[str, Any]], labelled: list[dict[str, Any]],
             labels: list[list[str]]) -> list[list[str] | None]:
    """Per extracted task, the labels of the labelled task with the most similar text (None: no match)."""
    out: list[list[str] | None] = []
    for task in extracted:
        text = fold_words(task.get("text") or "")
        scores = [fuzz.token_set_ratio(text, fold_words(t.get("text") or "")) for t in labelled]
        best = max(range(len(scores)), key=scores.__getitem__) if scores else None
        out.append(None if best is None or scores[best] < ALIGN_MIN else labels[best])
    return out


def evaluate(letters_dir: Path = SAMPLES / "letters", pilots_file: Path = SAMPLES / "pilots.csv",
             links_file: Path = SAMPLES / "pilot-links.json", read: bool = False) -> Report:
    labels = json.loads(links_file.read_text("utf-8"))["directives"]
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    report = Report()
    with Session(engine) as session, session.begin():
        rows: dict[str, LetterRow] = {}
        expected: dict[str, list[list[str] | None]] = {}
        for path in sorted(letters_dir.glob("*.json")):
            label = json.loads(path.read_text("utf-8"))
            source = path.with_suffix(".txt")
            if read and source.exists():
                data, text = _read(source)
                wanted = _labelled(path.stem, label["tasks"], labels)
                expected[path.stem] = _aligned(data["tasks"], label["tasks"], wanted)
            else:
                data = label
                text = _body_text(source.read_text("utf-8")) if source.exists() else ""
                expected[path.stem] = list(_labelled(path.stem, label["tasks"], labels))
            data["source"] = {**data.get("source", {}), "sha256": path.stem}
            row = LetterRow(sha256=path.stem, pipeline_version="labels", revision=1, data=data,
                            extracted=data, doc_text=fold_words(text), page_count=1)
            denormalise(row)
            session.add(row)
            session.flush()
            rows[path.stem] = row
        for row in rows.values():  # a second pass: every letter's citations can now resolve
            rebuild_directives(session, row)
        pilot_records.import_records(session, pilot_records.parse_records(pilots_file.read_bytes(),
                                                                          pilots_file.name))
        names = {p.id: p.solution for p in session.query(Pilot)}
        facts = pilot_facts(session)
        for stem, row in sorted(rows.items()):
            for position, directive in enumerate(directive_facts(session, row)):
                expect = expected[stem][position]
                if expect is None:
                    report.unaligned += 1
                    continue
                ranking = rank(facts, directive)
                top = ranking[0] if ranking and ranking[0].score >= THRESHOLD else None
                report.outcomes.append(Outcome(
                    letter=stem, task=position, expected=expect,
                    first=names[top.pilot_id] if top else None, score=ranking[0].score if ranking else 0.0))
    engine.dispose()
    return report


def summary(report: Report) -> str:
    concerned, unconcerned = report.concerned, report.unconcerned
    hits = sum(o.first in o.expected for o in concerned)
    clean = sum(o.first is None for o in unconcerned)
    lines = [
        f"directives that concern a pilot: {len(concerned)}; right pilot first: {hits} "
        f"({100 * report.hit_rate:.1f}%)",
        f"directives that concern none: {len(unconcerned)}; "
        f"no suggestion at or above {THRESHOLD:.0f}: {clean} "
        f"({100 * report.clean_rate:.1f}%)",
    ]
    if report.unaligned:
        lines.append(f"extracted directives matching no labelled task (not counted): {report.unaligned}")
    for o in report.misses():
        lines.append(f"  miss: {o.letter} task {o.task}: expected {o.expected or 'none'}, "
                     f"first {o.first or 'none'} ({o.score})")
    return "\n".join(lines)
