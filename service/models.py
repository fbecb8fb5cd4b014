"""Tables of the service (SQLAlchemy 2 typed ORM). The schema itself is built by
the Alembic migrations in `service/migrations/`; this module must agree with them.

Letters are keyed by the SHA-256 of their original: the same bytes are one letter,
whatever their file name. Directives are rebuilt from the letter's JSON whenever
it changes, so they never disagree with it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import annotated_types
from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Row ids (and page numbers) are INTEGER columns: 32 bits on PostgreSQL, where a larger
# number fails the query instead of finding nothing. The API and the web pages take ids as
# RowId, so such a number is refused as an invalid request (422) on every store.
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, annotated_types.Le(MAX_ROW_ID)]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    # Only the SHA-256 of the key is kept: a stolen database yields no usable key.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Job(Base):
    """One ingest of one original. Unique by sha256: the same bytes never run twice."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str | None] = mapped_column(String(500), nullable=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(10), index=True)  # queued, running, done, failed
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    pages_done: Mapped[int] = mapped_column(Integer, default=0)
    pages_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Bumped at each claim; a worker may only finish the attempt it was given,
    # so a job re-run after a crash can never be stored twice.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    crashes: Mapped[int] = mapped_column(Integer, default=0)  # worker deaths while on this job
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"), nullable=True)
    submitted_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LetterRow(Base):
    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    pipeline_version: Mapped[str] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the Letter as served: extraction + corrections
    extracted: Mapped[dict[str, Any]] = mapped_column(JSON)  # what the pipeline found, untouched
    # Denormalised for filters; all rebuilt from `data` by `store.denormalise`.
    number: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    symbol: Mapped[str | None] = mapped_column(String(200), nullable=True)
    doc_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    doc_type_key: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    issuer: Mapped[str | None] = mapped_column(String(500), nullable=True)
    issuer_key: Mapped[str | None] = mapped_column(String(500), nullable=True, index=True)
    date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    date_min: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    date_max: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    signer_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Summary columns (migration 0004): lists never decode the whole JSON.
    subject: Mapped[str | None] = mapped_column(Text, nullable=True)
    task_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    signer: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    doc_text: Mapped[str] = mapped_column(Text, default="")  # folded text of every page, for `q`
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded fields + doc_text
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DirectiveRow(Base):
    __tablename__ = "directives"
    __table_args__ = (UniqueConstraint("letter_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # index in the letter's `tasks`
    ordinal: Mapped[str | None] = mapped_column(String(40), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    deadline: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    assignees: Mapped[list[str]] = mapped_column(JSON)
    cooperating: Mapped[list[str]] = mapped_column(JSON)
    search_text: Mapped[str] = mapped_column(Text, default="")


class DirectiveParty(Base):
    """A body named by a directive, with its folded full name (`key`) for the assignee filter."""

    __tablename__ = "directive_parties"
    # (key, directive_id): the assignee filter is answered from the index alone (migration 0005).
    __table_args__ = (Index("ix_directive_parties_key_directive", "key", "directive_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # assignee, cooperating
    name: Mapped[str] = mapped_column(String(500))
    key: Mapped[str] = mapped_column(String(500))


class Correction(Base):
    """The current human value of one field: re-applied over every re-extraction."""

    __tablename__ = "corrections"

    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)


class AuditEntry(Base):
    """Append-only: rows are inserted, never updated or deleted (triggers enforce it)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(20))  # extract, correct, re-extract
    field: Mapped[str | None] = mapped_column(String(40), nullable=True)
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)


class PageImage(Base):
    __tablename__ = "pages"

    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1-based
    path: Mapped[str] = mapped_column(String(300))  # relative to the data directory
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
