"""Webhook tables and the outbox: an event is written in the same transaction as
its cause (a job finishing, a correction, a deadline check), with one pending
delivery per subscription that wants it. If the cause rolls back, so does the
event; if it commits, the delivery loop (`service.webhooks`) sends it, however
long the receiver is down.

Event types:
    letter.done          a letter was read (first extraction or re-extraction)
    letter.corrected     a clerk changed fields of a letter
    directive.deadline   a directive's deadline is within the configured window
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from .models import AuditEntry, Base, LetterRow, utcnow

LETTER_DONE = "letter.done"
LETTER_CORRECTED = "letter.corrected"
DIRECTIVE_DEADLINE = "directive.deadline"
EVENT_TYPES = (LETTER_DONE, LETTER_CORRECTED, DIRECTIVE_DEADLINE)


class Webhook(Base):
    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)  # the API key's name
    url: Mapped[str] = mapped_column(String(2000))
    # Kept as is: signing needs the secret itself, so it cannot be hashed like an API key.
    secret: Mapped[str] = mapped_column(String(100))
    events: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WebhookEvent(Base):
    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)  # receivers dedupe on it
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the body sent, as a JSON value
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebhookDelivery(Base):
    """One event for one subscription: pending until a 2xx answer, failed after the last attempt."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("webhook_id", "event_id", name="uq_webhook_deliveries_event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id"))
    state: Mapped[str] = mapped_column(String(10), index=True)  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed tries since the last (re)play
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebhookAttempt(Base):
    """One HTTP request of a delivery, kept for the record."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


def body_of(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): the same for every attempt and every replay."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def emit(session: Session, event_type: str, data: dict[str, Any]) -> str:
    """Record an event and a delivery per live subscription to its type; the event id.

    Core statements only, no ORM flush: this also runs inside a flush (see below)."""
    now = utcnow()
    event_id = str(uuid.uuid4())
    payload = {"id": event_id, "type": event_type, "created_at": now.isoformat(), "data": data}
    events, deliveries, hooks = (cast(Table, t.__table__) for t in (WebhookEvent, WebhookDelivery, Webhook))
    pk = session.execute(insert(events).values(event_id=event_id, type=event_type, payload=payload,
                                               created_at=now).returning(events.c.id)).scalar_one()
    live = session.execute(select(hooks.c.id, hooks.c.events).where(hooks.c.deleted_at.is_(None))).all()
    rows = [{"webhook_id": hook_id, "event_id": pk, "state": "pending", "attempts": 0, "next_attempt_at": now,
             "created_at": now} for hook_id, wanted in live if event_type in (wanted or [])]
    if rows:
        session.execute(insert(deliveries), rows)
    return event_id


# Every correction, whichever route or page made it, is `letter.corrected`: a correction
# is exactly what writes `correct` audit entries (store.correct_letter), so those entries
# say which letters were corrected. They are noted at each flush and the event is written
# just before commit, in the same transaction, once the letter holds its new values.
# A patch that changes nothing writes no entry and emits nothing.
_CORRECTED = "congvan.outbox.corrected"


def _note(session: Session) -> None:
    for obj in session.new:
        if isinstance(obj, AuditEntry) and obj.action == "correct":
            session.info.setdefault(_CORRECTED, {}).setdefault(obj.letter_id, set()).add(obj.field)


@event.listens_for(Session, "before_flush")
def _note_corrections(session: Session, _context: Any, _instances: Any) -> None:
    _note(session)


@event.listens_for(Session, "before_commit")
def _emit_corrections(session: Session) -> None:
    _note(session)
    corrected: dict[int, set[str]] = session.info.pop(_CORRECTED, {})
    for letter_id, fields in corrected.items():
        with session.no_autoflush:  # the commit flushes next; nothing left to note meanwhile
            row = session.get(LetterRow, letter_id)
        if row is not None:
            emit(session, LETTER_CORRECTED, letter_data(row, fields=sorted(f for f in fields if f)))


@event.listens_for(Session, "after_soft_rollback")
def _forget_corrections(session: Session, _previous: Any) -> None:
    session.info.pop(_CORRECTED, None)


def letter_data(row: LetterRow, **extra: Any) -> dict[str, Any]:
    """What an event says about a letter: enough to file it, and where to fetch the rest."""
    data = row.data
    return {"letter": {"id": row.id, "revision": row.revision, "number": data.get("number"),
                       "symbol": data.get("symbol"), "doc_type": data.get("doc_type"),
                       "issuer": data.get("issuer"), "date": data.get("date"), "subject": data.get("subject"),
                       "tasks": len(data.get("tasks") or []), "url": f"/api/letters/{row.id}"}, **extra}

