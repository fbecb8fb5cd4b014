"""Deadline-approaching events: a periodic check emits `directive.deadline` once per
directive whose (full-date) deadline falls within the next N days in Vietnam.

Directive rows are rebuilt whenever their letter changes, so "once per directive"
is kept by (letter, position in the letter's tasks, deadline) in `deadline_notices`,
written in the same transaction as the event: a corrected deadline is a new notice,
an unchanged one is never announced twice, and the primary key stops a second web
process from announcing it as well.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import timezone as tz

from sqlalchemy import DateTime, ForeignKey, Integer, String, and_, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .models import Base, DirectiveRow, LetterRow, utcnow
from .outbox import DIRECTIVE_DEADLINE, emit, letter_data

VIETNAM = tz(timedelta(hours=7))


class DeadlineNotice(Base):
    __tablename__ = "deadline_notices"

    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    deadline: Mapped[str] = mapped_column(String(10), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(VIETNAM).date()


def check(session: Session, on: date, window_days: int) -> int:
    """Emit the due notices for day `on`; how many were emitted."""
    until = on + timedelta(days=window_days)
    notice = DeadlineNotice
    rows = session.execute(
        select(DirectiveRow, LetterRow)
        .join(LetterRow, LetterRow.id == DirectiveRow.letter_id)
        .outerjoin(notice, and_(notice.letter_id == DirectiveRow.letter_id,
                                notice.position == DirectiveRow.position,
                                notice.deadline == DirectiveRow.deadline))
        .where(func.length(DirectiveRow.deadline) == 10,  # a month alone is no day to warn about
               DirectiveRow.deadline >= on.isoformat(), DirectiveRow.deadline <= until.isoformat(),
               notice.event_id.is_(None))
        .order_by(DirectiveRow.deadline, DirectiveRow.id)).all()
    for directive, letter in rows:
        assert directive.deadline is not None
        days_left = (date.fromisoformat(directive.deadline) - on).days
        data = letter_data(letter, directive={
            "id": directive.id, "position": directive.position, "ordinal": directive.ordinal,
            "text": directive.text, "deadline": directive.deadline, "days_left": days_left,
            "assignees": directive.assignees, "cooperating": directive.cooperating})
        event_id = emit(session, DIRECTIVE_DEADLINE, data)
        session.add(notice(letter_id=directive.letter_id, position=directive.position,
                           deadline=directive.deadline, event_id=event_id))
    return len(rows)
