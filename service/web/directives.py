"""Directive states as an office reads them: overdue, due soon, open, no deadline."""

from __future__ import annotations

from datetime import date, timedelta

SOON_DAYS = 7

STATES = {
    "qua-han": "Quá hạn",
    "sap-den-han": f"Sắp đến hạn ({SOON_DAYS} ngày)",
    "con-han": "Còn hạn",
}


def state_of(deadline: str | None, today: date) -> str | None:
    """The state key of a deadline (ISO, maybe partial: `2024-09` is due by its last day)."""
    if not deadline:
        return None
    from ..store import date_bounds

    last = date_bounds(deadline)[1]
    if last is None:
        return None
    if last < today.isoformat():
        return "qua-han"
    if last <= (today + timedelta(days=SOON_DAYS)).isoformat():
        return "sap-den-han"
    return "con-han"


def state_bounds(state: str, today: date) -> tuple[str | None, str | None]:
    """(due_after, due_before) that select a state in `queries.list_directives`."""
    soon = (today + timedelta(days=SOON_DAYS)).isoformat()
    if state == "qua-han":
        return None, (today - timedelta(days=1)).isoformat()
    if state == "sap-den-han":
        return today.isoformat(), soon
    if state == "con-han":
        return today.isoformat(), None
    return None, None
