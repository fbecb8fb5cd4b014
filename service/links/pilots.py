"""Pilot records: what solution, by whom, where, when, in which state.

Imported from CSV (`samples/pilots.csv` has the columns) or JSON and edited over
the API. A pilot is identified by solution + host body: importing the same pilot
again updates it instead of adding a copy. Every change rescores the suggestions.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date as Date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InvalidRequest, NotFound
from ..models import utcnow
from . import registry, suggest
from .hooks import serialise
from .tables import Body, Pilot

STATUSES = ("proposed", "piloting", "evaluated", "adopted", "stopped")
FIELDS = ("solution", "provider", "host_body", "start", "end", "status", "notes")


def _clean(record: dict[str, Any], partial: bool = False) -> dict[str, Any]:
    unknown = sorted(set(record) - set(FIELDS) - {"id"})
    if unknown:
        raise InvalidRequest(f"unknown pilot fields: {', '.join(unknown)}; fields are {', '.join(FIELDS)}")
    out: dict[str, Any] = {}
    for field in FIELDS:
        if field not in record:
            continue
        value = record[field]
        if value is not None and not isinstance(value, str):
            raise InvalidRequest(f"{field} must be text, not {type(value).__name__}")
        value = value.strip() if isinstance(value, str) else value
        if value and field != "notes" and len(value) > 500:
            raise InvalidRequest(f"{field} is longer than 500 characters")
        out[field] = value if value not in ("", None) else None
    if not partial and not out.get("solution"):
        raise InvalidRequest("a pilot needs a solution name")
    if "solution" in out and not out["solution"]:
        raise InvalidRequest("a pilot needs a solution name")
    status = out.get("status") or (None if partial else "proposed")
    if status is not None:
        if status not in STATUSES:
            raise InvalidRequest(f"status {status!r} is not one of {', '.join(STATUSES)}")
        out["status"] = status
    for field in ("start", "end"):
        if out.get(field) is not None:
            try:
                out[field] = Date.fromisoformat(str(out[field])).isoformat()
            except ValueError:
                raise InvalidRequest(f"{field} must be a date YYYY-MM-DD, not {out[field]!r}") from None
    if out.get("start") and out.get("end") and out["end"] < out["start"]:
        raise InvalidRequest("a pilot cannot end before it starts")
    if "notes" in out and out["notes"] is None:
        out["notes"] = ""
    return out


def _apply(session: Session, pilot: Pilot, values: dict[str, Any]) -> None:
    serialise(session)  # learning a body name must not race a letter's store
    for field, value in values.items():
        setattr(pilot, field, value)
    registry.ensure_seeded(session)
    provider = registry.resolve(session, pilot.provider) if pilot.provider else None
    host = registry.resolve(session, pilot.host_body) if pilot.host_body else None
    pilot.provider_body_id = provider.id if provider else None
    pilot.host_body_id = host.id if host else None
    pilot.updated_at = utcnow()


def create(session: Session, record: dict[str, Any]) -> Pilot:
    pilot = Pilot(notes="", status="proposed")
    _apply(session, pilot, _clean(record))
    session.add(pilot)
    session.flush()
    suggest.rescore_all(session)
    return pilot


def update(session: Session, pilot_id: int, record: dict[str, Any]) -> Pilot:
    pilot = get(session, pilot_id)
    values = _clean(record, partial=True)
    if not values:
        raise InvalidRequest(f"send a JSON object with some of the fields {', '.join(FIELDS)}")
    start, end = values.get("start", pilot.start), values.get("end", pilot.end)
    if start and end and end < start:
        raise InvalidRequest("a pilot cannot end before it starts")
    _apply(session, pilot, values)
    session.flush()
    suggest.rescore_all(session)
    return pilot


def get(session: Session, pilot_id: int) -> Pilot:
    pilot = session.get(Pilot, pilot_id)
    if pilot is None:
        raise NotFound(f"no pilot {pilot_id}")
    return pilot


def parse_records(data: bytes, filename: str | None = None) -> list[dict[str, Any]]:
    """Rows of a CSV (header row with the field names) or a JSON list of objects."""
    text = data.decode("utf-8-sig", errors="strict")
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")) or (filename or "").lower().endswith(".json"):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidRequest(f"the JSON is not valid: {exc}") from None
        records = loaded.get("pilots") if isinstance(loaded, dict) else loaded
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise InvalidRequest("a JSON import is a list of pilot objects (or {\"pilots\": [...]})")
        return records
    reader = csv.DictReader(io.StringIO(text))
    try:
        if not reader.fieldnames or "solution" not in reader.fieldnames:
            raise InvalidRequest("a CSV import needs a header row with at least a `solution` column")
        return [dict(row) for row in reader]
    except csv.Error as exc:  # e.g. a bare carriage return inside an unquoted field
        raise InvalidRequest(f"the CSV is not valid: {exc}") from None


def import_records(session: Session, records: list[dict[str, Any]]) -> dict[str, int]:
    """Create or update each pilot (same solution and host body = same pilot); all or nothing."""
    cleaned = []
    for i, record in enumerate(records, start=1):
        try:
            cleaned.append(_clean({k: v for k, v in record.items() if k is not None}))
        except InvalidRequest as exc:
            raise InvalidRequest(f"record {i}: {exc.message}") from None
    created = updated = 0
    for values in cleaned:
        existing = next((p for p in session.scalars(select(Pilot).where(Pilot.solution == values["solution"]))
                         if (p.host_body or None) == values.get("host_body")), None)
        if existing is None:
            existing = Pilot(notes="", status="proposed")
            session.add(existing)
            created += 1
        else:
            updated += 1
        _apply(session, existing, values)
    session.flush()
    suggest.rescore_all(session)
    return {"created": created, "updated": updated}


def pilot_json(session: Session, p: Pilot) -> dict[str, Any]:
    def body(body_id: int | None) -> dict[str, Any] | None:
        b = session.get(Body, body_id) if body_id else None
        return {"id": b.id, "name": b.name} if b else None

    return {"id": p.id, "solution": p.solution, "provider": p.provider, "host_body": p.host_body,
            "provider_body": body(p.provider_body_id), "host": body(p.host_body_id),
            "start": p.start, "end": p.end, "status": p.status, "notes": p.notes,
            "updated_at": p.updated_at.isoformat()}
