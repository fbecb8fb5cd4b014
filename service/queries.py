"""Read side of the API: letters, directives, jobs, history, as JSON-ready dicts.

Every filter is applied in SQL; only the assignee filter needs fuzzy matching,
and that runs over the distinct names of bodies (a few thousand at most), never
over the directive rows themselves.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import date as Date
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, Select, func, literal_column, select, text
from sqlalchemy.orm import Session, load_only

from .errors import InvalidRequest, NotFound
from .folding import expand, fold_words
from .models import AuditEntry, Correction, DirectiveParty, DirectiveRow, Job, LetterRow, PageImage

ASSIGNEE_CUTOFF = 85  # token-set similarity (0-100) of folded, expanded names
MAX_LIMIT = 500
MAX_OFFSET = 2**63 - 1  # a 64-bit integer in both stores


@dataclass(frozen=True)
class Page:
    limit: int = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}")
        if not 0 <= self.offset <= MAX_OFFSET:
            raise InvalidRequest(f"offset must be between 0 and {MAX_OFFSET}")


def iso_day(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return Date.fromisoformat(value).isoformat()
    except ValueError:
        raise InvalidRequest(f"{name} must be a date YYYY-MM-DD, not {value!r}") from None


def iso(moment: datetime | None) -> str | None:
    """Timestamps are stored in UTC; SQLite hands them back without their zone."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _like_words(column: Any, q: str) -> list[ColumnElement[bool]]:
    """Each folded word of `q` must start a word of the folded column (diacritics and case ignored)."""
    words = fold_words(q).split()
    if not words:
        return []
    out = []
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        out.append(column.like(f"% {escaped}%", escape="\\"))
    return out


def _full_text(session: Session, model: type[LetterRow] | type[DirectiveRow], q: str
               ) -> list[ColumnElement[bool]]:
    """Every folded word of `q` must start a word of the row's folded text, through the
    full-text index of the database (FTS5 on SQLite, a GIN tsvector index on PostgreSQL)."""
    words = [w for w in fold_words(q).replace("_", " ").split() if w]
    if not words:
        return []
    if session.get_bind().dialect.name == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        vector = func.to_tsvector(literal_column("'simple'"), model.search_text)
        return [vector.op("@@")(func.to_tsquery(literal_column("'simple'"), query))]
    fts = f"{model.__tablename__}_fts"
    match = " ".join(f'"{w}"*' for w in words)
    return [model.id.in_(select(literal_column("rowid")).select_from(text(fts))
                         .where(literal_column(fts).op("MATCH")(match)))]


def _paged(session: Session, stmt: Select[Any], page: Page) -> tuple[int, list[Any]]:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.scalars(stmt.limit(page.limit).offset(page.offset)))
    return total, rows


# -- letters -----------------------------------------------------------------

def letter_json(session: Session, row: LetterRow) -> dict[str, Any]:
    corrected = session.scalars(select(Correction.field).where(Correction.letter_id == row.id)).all()
    job = session.scalars(select(Job.id).where(Job.letter_id == row.id)).first()
    return {
        **row.data,
        "id": row.id,
        "status": "corrected" if corrected else "extracted",
        "corrected_fields": sorted(corrected),
        "pipeline_version": row.pipeline_version,
        "revision": row.revision,
        "job": job,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }


SUMMARY_COLUMNS = (LetterRow.id, LetterRow.number, LetterRow.symbol, LetterRow.doc_type, LetterRow.issuer,
                   LetterRow.date, LetterRow.subject, LetterRow.signer, LetterRow.task_count,
                   LetterRow.page_count, LetterRow.pipeline_version, LetterRow.revision)


def letter_summary(row: LetterRow) -> dict[str, Any]:
    return {"id": row.id, "number": row.number, "symbol": row.symbol, "doc_type": row.doc_type,
            "issuer": row.issuer, "date": row.date, "subject": row.subject,
            "signer": row.signer, "tasks": row.task_count,
            "pages": row.page_count, "pipeline_version": row.pipeline_version, "revision": row.revision}


def list_letters(session: Session, *, issuer: str | None, doc_type: str | None, date_from: str | None,
                 date_to: str | None, q: str | None, page: Page) -> dict[str, Any]:
    stmt = select(LetterRow).options(load_only(*SUMMARY_COLUMNS))
    if issuer:
        # Folded and expanded on both sides: `ubnd gia lai` finds `Ủy ban nhân dân tỉnh Gia Lai`.
        stmt = stmt.where(*_like_words(LetterRow.issuer_key, expand(issuer)))
    if doc_type:
        stmt = stmt.where(LetterRow.doc_type_key == fold_words(doc_type))
    start, end = iso_day(date_from, "date_from"), iso_day(date_to, "date_to")
    if start:
        stmt = stmt.where(LetterRow.date_max >= start)
    if end:
        stmt = stmt.where(LetterRow.date_min <= end)
    if q:
        stmt = stmt.where(*_full_text(session, LetterRow, q))
    total, rows = _paged(session, stmt.order_by(LetterRow.id.desc()), page)
    return {"total": total, "limit": page.limit, "offset": page.offset,
            "items": [letter_summary(r) for r in rows]}


def get_letter(session: Session, letter_id: int) -> LetterRow:
    row = session.get(LetterRow, letter_id)
    if row is None:
        raise NotFound(f"no letter {letter_id}")
    return row


def page_image(session: Session, letter_id: int, number: int) -> str:
    get_letter(session, letter_id)
    image = session.get(PageImage, (letter_id, number))
    if image is None:
        raise NotFound(f"letter {letter_id} has no page {number}")
    return image.path


def history(session: Session, letter_id: int) -> dict[str, Any]:
    row = get_letter(session, letter_id)
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.letter_id == letter_id).order_by(AuditEntry.id))
    return {"letter": letter_id, "revision": row.revision, "entries": [
        {"revision": e.revision, "at": iso(e.at), "actor": e.actor, "action": e.action,
         "field": e.field, "old": e.old, "new": e.new} for e in entries]}


def trace(session: Session, letter_id: int) -> dict[str, Any]:
    """For auditors: where each value was read, what the machine found, what humans changed."""
    row = get_letter(session, letter_id)
    corrections = session.scalars(select(Correction).where(Correction.letter_id == row.id))
    corrected = {c.field: c.value for c in corrections}
    job = session.scalars(select(Job).where(Job.letter_id == row.id)).first()
    return {"letter": row.id, "sha256": row.sha256, "pipeline_version": row.pipeline_version,
            "source": row.data.get("source"), "evidence": row.extracted.get("evidence", {}),
            "extracted": {k: v for k, v in row.extracted.items() if k != "evidence"},
            "corrections": corrected, "job": job_json(job) if job else None}


# -- directives ----------------------------------------------------------------

class _PartyKeys:
    """Distinct folded names of bodies, cached per process.

    Refreshed when a new party row appears (max id), when this process changed
    names (`invalidate`, after a correction), and at least every `MAX_AGE` seconds
    (a re-extraction in a worker can reuse row ids on SQLite).
    """

    MAX_AGE = 10.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: tuple[Any, ...] | None = None
        self._loaded_at = 0.0
        self._keys: list[str] = []
        self.generation = 0

    def invalidate(self) -> None:
        with self._lock:
            self.generation += 1

    def get(self, session: Session) -> list[str]:
        stamp = (session.scalar(select(func.max(DirectiveParty.id))), self.generation)
        with self._lock:
            if stamp != self._stamp or time.monotonic() - self._loaded_at > self.MAX_AGE:
                self._keys = list(session.scalars(select(DirectiveParty.key).distinct()))
                self._stamp, self._loaded_at = stamp, time.monotonic()
            return self._keys


PARTY_KEYS = _PartyKeys()


def matching_party_keys(session: Session, assignee: str) -> list[str]:
    """Names within OCR distance of `assignee`, after both are folded and short forms expanded."""
    wanted = expand(assignee)
    if not wanted:
        return []
    found = process.extract(wanted, PARTY_KEYS.get(session), scorer=fuzz.token_set_ratio,
                            score_cutoff=ASSIGNEE_CUTOFF, limit=None)
    return [key for key, _score, _i in found]


def directive_json(d: DirectiveRow, letter: LetterRow) -> dict[str, Any]:
    return {"id": d.id, "letter_id": d.letter_id, "ordinal": d.ordinal, "assignees": d.assignees,
            "text": d.text, "deadline": d.deadline, "cooperating": d.cooperating,
            "letter": {"id": letter.id, "number": letter.number, "symbol": letter.symbol, "date": letter.date,
                       "issuer": letter.issuer, "doc_type": letter.doc_type,
                       "subject": letter.subject, "signer": letter.signer}}


def list_directives(session: Session, *, assignee: str | None, due_before: str | None, due_after: str | None,
                    letter: int | None, q: str | None, page: Page) -> dict[str, Any]:
    stmt = select(DirectiveRow)
    if letter is not None:
        stmt = stmt.where(DirectiveRow.letter_id == letter)
    before, after = iso_day(due_before, "due_before"), iso_day(due_after, "due_after")
    if before:
        stmt = stmt.where(DirectiveRow.deadline <= before)
    if after:
        stmt = stmt.where(DirectiveRow.deadline >= after)
    if q:
        stmt = stmt.where(*_full_text(session, DirectiveRow, q))
    counted = stmt
    if assignee:
        keys = matching_party_keys(session, assignee)
        # Counted through an IN list (the matches read off the (key, directive_id) index);
        # listed through EXISTS, so that the list order (letter, position) is walked on its
        # index and stops at the page's end, each directive probed on that index. Either
        # form alone is slow one way: IN sorts every match (thousands for a common body)
        # before the page, EXISTS probes every directive to count.
        counted = stmt.where(DirectiveRow.id.in_(
            select(DirectiveParty.directive_id).where(DirectiveParty.key.in_(keys))))
        stmt = stmt.where(select(DirectiveParty.id).where(
            DirectiveParty.directive_id == DirectiveRow.id, DirectiveParty.key.in_(keys)).exists())
    total = session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    ordered = stmt.order_by(DirectiveRow.letter_id.desc(), DirectiveRow.position)
    rows = list(session.scalars(ordered.limit(page.limit).offset(page.offset)))
    wanted = select(LetterRow).options(load_only(*SUMMARY_COLUMNS)).where(
        LetterRow.id.in_({d.letter_id for d in rows}))
    letters = {r.id: r for r in session.scalars(wanted)} if rows else {}
    return {"total": total, "limit": page.limit, "offset": page.offset,
            "items": [directive_json(d, letters[d.letter_id]) for d in rows]}


def get_directive(session: Session, directive_id: int) -> dict[str, Any]:
    d = session.get(DirectiveRow, directive_id)
    if d is None:
        raise NotFound(f"no directive {directive_id}")
    return directive_json(d, get_letter(session, d.letter_id))


# -- jobs ----------------------------------------------------------------------

def job_json(job: Job) -> dict[str, Any]:
    return {"job": job.id, "filename": job.filename, "sha256": job.sha256, "state": job.state,
            "reason": job.reason, "pages_done": job.pages_done, "pages_total": job.pages_total,
            "attempts": job.attempts, "letter": job.letter_id,
            "created_at": iso(job.created_at),
            "started_at": iso(job.started_at), "finished_at": iso(job.finished_at)}


def get_job(session: Session, job_id: int) -> dict[str, Any]:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"no job {job_id}")
    return job_json(job)
