"""The arrivals book (sổ đăng ký văn bản đến): every incoming letter gets the next
arrival number of the year in the book of the office that received it.

The number is given when the upload is accepted, in the transaction that creates
the job: that is the moment a clerk writes the paper into the book, and a number
handed out in a transaction that rolls back is handed back with it, so the book has
no gaps. The counter row of (office, year) is bumped with one UPDATE: PostgreSQL
row-locks it until commit and SQLite writes under `BEGIN IMMEDIATE`, so two
concurrent uploads never read the same value; the unique (office, year, number)
constraint is the last guard against duplicates.

The same bytes uploaded again are the same letter (one job per sha256): they keep
their first arrival number. The `ĐẾN` stamp read from the paper (see
`extract.arrival`) is kept beside the book entry: it tells when another office (or
this one, on paper) received it first.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

from sqlalchemy import DateTime, ForeignKey, Integer, String, Table, UniqueConstraint, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from ingest.model import Document

from .errors import InvalidRequest, NotFound
from .models import Base, Job, utcnow

log = logging.getLogger("congvan.arrivals")

# Vietnam keeps UTC+7 all year: the book restarts at local midnight on 1 January.
VIETNAM = timezone(timedelta(hours=7))
DEFAULT_OFFICE = "Văn thư"  # the clerical office that keeps the arrivals book of a body
MAX_OFFICE = 200


class ArrivalCounter(Base):
    """The last number given in one office's book for one year."""

    __tablename__ = "arrival_counters"

    office: Mapped[str] = mapped_column(String(200), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Arrival(Base):
    """One line of the book: an accepted upload (a job) and its number."""

    __tablename__ = "arrivals"
    __table_args__ = (UniqueConstraint("office", "year", "number", name="uq_arrivals_book_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), unique=True)
    office: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    received_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # What the ĐẾN stamp on the paper says, when the worker could read it.
    stamp_office: Mapped[str | None] = mapped_column(String(300), nullable=True)
    stamp_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stamp_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    stamp_time: Mapped[str | None] = mapped_column(String(5), nullable=True)


def default_office() -> str:
    """The receiving office from `CONGVAN_OFFICE`, else `Văn thư`."""
    return clean_office(os.environ.get("CONGVAN_OFFICE")) or DEFAULT_OFFICE


def clean_office(name: str | None) -> str | None:
    """Spaces collapsed, so `Văn  thư ` and `Văn thư` keep one book; None when blank."""
    cleaned = " ".join((name or "").split())
    if len(cleaned) > MAX_OFFICE:
        raise InvalidRequest(f"the receiving office name is over {MAX_OFFICE} characters")
    return cleaned or None


def _next_number(session: Session, office: str, year: int) -> int:
    table = cast(Table, ArrivalCounter.__table__)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(table).values(office=office, year=year, last_number=0).on_conflict_do_nothing())
    bumped = (update(table).where(table.c.office == office, table.c.year == year)
              .values(last_number=table.c.last_number + 1).returning(table.c.last_number))
    return int(session.execute(bumped).scalar_one())


def register(session: Session, job_id: int, office: str | None, actor: str | None,
             now: datetime | None = None) -> Arrival:
    """The book entry of this job, numbered now if it has none yet (call inside the job's transaction)."""
    existing = session.scalars(select(Arrival).where(Arrival.job_id == job_id)).one_or_none()
    if existing is not None:
        return existing
    at = now or datetime.now(UTC)
    book = clean_office(office) or default_office()
    year = at.astimezone(VIETNAM).year
    arrival = Arrival(job_id=job_id, office=book, year=year, number=_next_number(session, book, year),
                      received_at=at, received_by=actor)
    session.add(arrival)
    session.flush()
    return arrival


def record_stamp(session: Session, job_id: int, stamp: dict[str, Any] | None) -> None:
    """Keep what the ĐẾN stamp says (or that there was none) on the job's book entry."""
    arrival = session.scalars(select(Arrival).where(Arrival.job_id == job_id)).one_or_none()
    if arrival is None:  # a job from before the book existed
        return
    stamp = stamp or {}
    arrival.stamp_office = (stamp.get("office") or None) and str(stamp["office"])[:300]
    arrival.stamp_number = stamp.get("number")
    arrival.stamp_date = stamp.get("date")
    arrival.stamp_time = stamp.get("time")


def arrival_json(arrival: Arrival) -> dict[str, Any]:
    local = arrival.received_at.astimezone(VIETNAM)
    stamped = any(v is not None for v in (arrival.stamp_office, arrival.stamp_number, arrival.stamp_date,
                                          arrival.stamp_time))
    return {
        "office": arrival.office,
        "year": arrival.year,
        "number": arrival.number,
        "received_at": arrival.received_at.isoformat(),
        "received_date": local.date().isoformat(),  # the day in Vietnam, as the book writes it
        "received_time": local.strftime("%H:%M"),
        "received_by": arrival.received_by,
        "job": arrival.job_id,
        "stamp": {"office": arrival.stamp_office, "number": arrival.stamp_number, "date": arrival.stamp_date,
                  "time": arrival.stamp_time} if stamped else None,
    }


def for_job(session: Session, job_id: int) -> dict[str, Any] | None:
    arrival = session.scalars(select(Arrival).where(Arrival.job_id == job_id)).one_or_none()
    return arrival_json(arrival) if arrival else None


def for_letter(session: Session, letter_id: int) -> dict[str, Any]:
    """The book entry of the upload that made this letter."""
    job_id = session.scalars(select(Job.id).where(Job.letter_id == letter_id).order_by(Job.id)).first()
    arrival = None if job_id is None else for_job(session, job_id)
    if arrival is None:
        raise NotFound(f"letter {letter_id} has no entry in the arrivals book")
    return arrival


def stamp_of(doc: Document) -> dict[str, Any] | None:
    """What the ĐẾN stamp on page 1 says; a reader bug costs the stamp, never the letter."""
    from extract.arrival import read_arrival_stamp  # here: the web process does not load `extract`

    try:
        stamp = read_arrival_stamp(doc)
    except Exception:
        log.exception("reading the arrival stamp failed")
        return None
    return stamp.as_dict() if stamp else None
