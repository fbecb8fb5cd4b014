"""Tables of the links feature (schema in migration `0002_links`).

Rows that come from a letter (`letter_bodies`, `letter_numbers`, `citations`)
are rebuilt whenever that letter is stored; `bodies`, `pilots` and the clerk's
decisions on pilot links (`pilot_links`) are kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..models import Base, utcnow


class Body(Base):
    """A canonical organisation (or a named group of them, kind `group`)."""

    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    key: Mapped[str] = mapped_column(String(500), unique=True)  # folded, expanded canonical name
    kind: Mapped[str] = mapped_column(String(20))
    province: Mapped[str | None] = mapped_column(String(100), nullable=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), nullable=True)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), nullable=True)
    valid_from: Mapped[str | None] = mapped_column(String(10), nullable=True)
    valid_to: Mapped[str | None] = mapped_column(String(10), nullable=True)
    origin: Mapped[str] = mapped_column(String(10))  # seed, learned
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BodyAlias(Base):
    __tablename__ = "body_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(500))
    key: Mapped[str] = mapped_column(String(500), unique=True)


class BodySymbol(Base):
    """The issuer part of a body's symbols (`UBND`, `VNPT-GL`), with how many letters showed it."""

    __tablename__ = "body_symbols"

    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(100), primary_key=True)
    letters: Mapped[int] = mapped_column(Integer, default=0)


class LetterBody(Base):
    """A body a letter names: its issuer, a recipient, or a task's assignee / cooperating party."""

    __tablename__ = "letter_bodies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # issuer, recipient, assignee, cooperating
    position: Mapped[int | None] = mapped_column(Integer, nullable=True)  # task index for assignees
    name: Mapped[str] = mapped_column(String(500))  # as the letter writes it


class LetterNumber(Base):
    """A stored letter's identity for citation matching: number, symbol, year, issuer."""

    __tablename__ = "letter_numbers"

    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), primary_key=True)
    num: Mapped[str] = mapped_column(String(20), index=True)
    symbol_key: Mapped[str] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    issuer_body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="SET NULL"),
                                                       nullable=True)


class CitationRow(Base):
    """One reference of a letter; `target_id` null means a placeholder for a letter not stored yet."""

    __tablename__ = "citations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(200))
    num: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    symbol_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    doc_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    issuer: Mapped[str | None] = mapped_column(String(500), nullable=True)
    issuer_body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="SET NULL"),
                                                       nullable=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"),
                                                  nullable=True, index=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)


class Pilot(Base):
    __tablename__ = "pilots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    solution: Mapped[str] = mapped_column(String(500))
    provider: Mapped[str | None] = mapped_column(String(500), nullable=True)
    host_body: Mapped[str | None] = mapped_column(String(500), nullable=True)
    provider_body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="SET NULL"),
                                                         nullable=True)
    host_body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="SET NULL"),
                                                     nullable=True)
    start: Mapped[str | None] = mapped_column(String(10), nullable=True)
    end: Mapped[str | None] = mapped_column(String(10), nullable=True)
    status: Mapped[str] = mapped_column(String(12))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PilotLink(Base):
    """A suggested, confirmed or rejected link of a directive to a pilot.

    Keyed by (letter, task position), not by directive id: directive rows are rebuilt
    at every correction, and a clerk's decision must outlive that."""

    __tablename__ = "pilot_links"
    __table_args__ = (UniqueConstraint("pilot_id", "letter_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10))  # suggested, confirmed, rejected
    score: Mapped[float] = mapped_column(Float, default=0.0)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
