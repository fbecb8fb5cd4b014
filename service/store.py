"""Letters in the database: saving an extraction, human corrections, directive rows.

A letter row keeps two JSON documents: `extracted` (what the pipeline found) and
`data` (what is served: `extracted` with the human corrections laid over it). A
re-extraction replaces `extracted` and lays the same corrections over it again,
so a newer pipeline never undoes a clerk's fix.
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from extract.model import Letter

from .errors import InvalidCorrection, NotFound
from .folding import expand, fold_words
from .links.hooks import letter_stored
from .models import AuditEntry, Correction, DirectiveParty, DirectiveRow, LetterRow, utcnow

PIPELINE_ACTOR = "pipeline"
# What a clerk may correct: every contract field but the file's own facts.
CORRECTABLE = frozenset(Letter.model_fields) - {"source", "evidence"}


def date_bounds(date: str | None) -> tuple[str | None, str | None]:
    """First and last day a (possibly partial) ISO date can mean: `2023-08` → 08-01 .. 08-31."""
    if not date:
        return None, None
    parts = date.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return f"{year:04d}-01-01", f"{year:04d}-12-31"
        month = int(parts[1])
        if len(parts) == 2:
            last = calendar.monthrange(year, month)[1]
            return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
        day = datetime.date.fromisoformat(date).isoformat()
    except (ValueError, calendar.IllegalMonthError):
        return None, None
    return day, day


def _letter_search_text(data: dict[str, Any], doc_text: str) -> str:
    parts: list[str] = [data.get(k) or "" for k in ("number", "symbol", "doc_type", "issuer", "parent_body",
                                                     "place", "subject", "urgency")]
    parts += data.get("recipients") or []
    parts += data.get("distribution") or []
    for ref in data.get("references") or []:
        parts += [ref.get("number") or "", ref.get("issuer") or "", ref.get("subject") or ""]
    for task in data.get("tasks") or []:
        parts += [task.get("text") or "", *task.get("assignees", []), *task.get("cooperating", [])]
    signer = data.get("signer") or {}
    parts += [signer.get("name") or "", signer.get("position") or ""]
    # Leading and trailing space: `q` matches word prefixes with LIKE '% word%'.
    return " " + fold_words(" ".join(parts)) + " " + doc_text + " "


def denormalise(row: LetterRow) -> None:
    """Refresh the filter columns of a letter from its served JSON."""
    data = row.data
    row.number = data.get("number")
    row.symbol = data.get("symbol")
    row.doc_type = data.get("doc_type")
    row.doc_type_key = fold_words(row.doc_type) if row.doc_type else None
    row.issuer = data.get("issuer")
    row.issuer_key = " " + expand(row.issuer) + " " if row.issuer else None
    row.date = data.get("date")
    row.date_min, row.date_max = date_bounds(row.date)
    row.signer_name = (data.get("signer") or {}).get("name")
    row.subject = data.get("subject")
    row.task_count = len(data.get("tasks") or [])
    row.signer = data.get("signer")
    row.search_text = _letter_search_text(data, row.doc_text)


def rebuild_directives(session: Session, row: LetterRow) -> None:
    session.execute(delete(DirectiveParty).where(
        DirectiveParty.directive_id.in_(select(DirectiveRow.id).where(DirectiveRow.letter_id == row.id))))
    session.execute(delete(DirectiveRow).where(DirectiveRow.letter_id == row.id))
    for position, task in enumerate(row.data.get("tasks") or []):
        assignees = list(task.get("assignees") or [])
        cooperating = list(task.get("cooperating") or [])
        directive = DirectiveRow(
            letter_id=row.id,
            position=position,
            ordinal=task.get("ordinal"),
            text=task.get("text") or "",
            deadline=task.get("deadline"),
            assignees=assignees,
            cooperating=cooperating,
            search_text=" " + fold_words(" ".join([task.get("text") or "", *assignees, *cooperating])) + " ",
        )
        session.add(directive)
        session.flush()
        for role, names in (("assignee", assignees), ("cooperating", cooperating)):
            for name in names:
                session.add(DirectiveParty(directive_id=directive.id, role=role, name=name[:500],
                                           key=expand(name)[:500]))
    letter_stored(session, row)  # citations, bodies, pilot suggestions follow every store and correction


def _overlay(extracted: dict[str, Any], corrections: dict[str, Any]) -> dict[str, Any]:
    return {**extracted, **{k: v for k, v in corrections.items() if k in CORRECTABLE}}


def save_extraction(session: Session, letter: Letter, doc_text: str, pipeline_version: str) -> LetterRow:
    """Insert the letter for its sha256, or replace its extraction (keeping corrections)."""
    extracted = letter.model_dump(mode="json")
    sha = letter.source.sha256
    row = session.scalars(select(LetterRow).where(LetterRow.sha256 == sha)).one_or_none()
    if row is None:
        row = LetterRow(sha256=sha, pipeline_version=pipeline_version, revision=1, data=extracted,
                        extracted=extracted, doc_text=fold_words(doc_text), page_count=letter.source.pages)
        denormalise(row)
        session.add(row)
        session.flush()
        action = "extract"
    else:
        corrections = {c.field: c.value for c in
                       session.scalars(select(Correction).where(Correction.letter_id == row.id))}
        row.extracted = extracted
        row.data = _overlay(extracted, corrections)
        row.doc_text = fold_words(doc_text)
        row.page_count = letter.source.pages
        row.pipeline_version = pipeline_version
        row.revision += 1
        row.updated_at = utcnow()
        denormalise(row)
        action = "re-extract"
    session.add(AuditEntry(letter_id=row.id, revision=row.revision, actor=PIPELINE_ACTOR, action=action,
                           field=None, old=None, new={"pipeline_version": pipeline_version}))
    rebuild_directives(session, row)
    return row


_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _check_dates(data: dict[str, Any]) -> None:
    """The contract's date pattern, which the pydantic model leaves to the extractor."""
    dates = [("date", data.get("date"))]
    dates += [(f"tasks/{i}/deadline", t.get("deadline")) for i, t in enumerate(data.get("tasks") or [])]
    dates += [(f"references/{i}/date", r.get("date")) for i, r in enumerate(data.get("references") or [])]
    for where, value in dates:
        if value is not None and not (_ISO.match(value) and date_bounds(value)[0] is not None):
            raise InvalidCorrection(f"{where}: {value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")


def correct_letter(session: Session, letter_id: int, patch: dict[str, Any], actor: str) -> LetterRow:
    """Apply a clerk's field changes as one new revision, one audit entry per changed field."""
    unknown = sorted(set(patch) - CORRECTABLE)
    if unknown:
        raise InvalidCorrection(f"these fields cannot be corrected: {', '.join(unknown)}; "
                                f"correctable fields are {', '.join(sorted(CORRECTABLE))}")
    row = session.get(LetterRow, letter_id, with_for_update=True)
    if row is None:
        raise NotFound(f"no letter {letter_id}")
    try:
        validated = Letter.model_validate({**row.data, **patch}).model_dump(mode="json")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"])
        raise InvalidCorrection(f"{where}: {first['msg']}") from exc
    _check_dates(validated)
    changed = {k: validated[k] for k in patch if validated[k] != row.data.get(k)}
    if not changed:
        return row
    row.revision += 1
    at = utcnow()
    for field, new in changed.items():
        session.add(AuditEntry(letter_id=row.id, revision=row.revision, actor=actor, at=at, action="correct",
                               field=field, old=row.data.get(field), new=new))
        existing = session.get(Correction, (row.id, field))
        if existing is None:
            session.add(Correction(letter_id=row.id, field=field, value=new))
        else:
            existing.value = new
    row.data = {**row.data, **changed}
    row.updated_at = at
    denormalise(row)
    rebuild_directives(session, row)
    return row


