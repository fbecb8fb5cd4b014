"""What happens when a letter is stored or corrected: its bodies, its identity, its
references, the placeholders that wait for it, and its pilot suggestions.

Called by `service.store` inside the transaction that writes the letter. It runs
in a savepoint: a fault here is logged and leaves the letter stored without links
(`congvan links rebuild` redoes them), never loses the letter.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..models import LetterRow
from . import citations, registry, suggest
from .numbers import issuer_prefix
from .tables import LetterBody

log = logging.getLogger("congvan.links")
_LOCK_KEY = 5_020_002  # PostgreSQL advisory lock: link resolution runs one transaction at a time


def letter_stored(session: Session, row: LetterRow) -> None:
    try:
        with session.begin_nested():
            link_letter(session, row)
    except Exception:  # links are derived data: the letter itself must still be stored
        session.info.pop("body_aliases", None)  # the cache may hold names the savepoint rolled back
        log.exception("links of letter %s not built", row.id)


def serialise(session: Session) -> None:
    """Two letters citing each other stored at once on PostgreSQL must not both miss the
    other: the lock orders them, and READ COMMITTED lets the second see the first."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")


def link_letter(session: Session, row: LetterRow) -> None:
    serialise(session)
    registry.ensure_seeded(session)
    ctx = registry.context_for(session, row.data)
    issuer = link_bodies(session, row, ctx)
    ident = citations.store_identity(session, row, issuer)
    citations.rebuild_references(session, row, ctx)
    changed = citations.reresolve_for(session, row.id, ident)
    session.flush()
    # Cited letters are evidence for pilot suggestions: letters whose links changed are rescored.
    for letter_id in {row.id, *changed}:
        target = session.get(LetterRow, letter_id)
        if target is not None:
            suggest.rescore_letter(session, target)


def link_bodies(session: Session, row: LetterRow, ctx: registry.Context) -> registry.Body | None:
    """Link the issuer, recipients, assignees and cooperating bodies to the registry; the issuer."""
    session.execute(delete(LetterBody).where(LetterBody.letter_id == row.id))
    data = row.data
    issuer = registry.resolve(session, data.get("issuer"), ctx)
    if issuer is not None:
        session.add(LetterBody(letter_id=row.id, body_id=issuer.id, role="issuer", name=data["issuer"][:500]))
        registry.learn_symbol(session, issuer, issuer_prefix(data.get("symbol")))
    for name in data.get("recipients") or []:
        _link(session, row.id, name, "recipient", None, ctx)
    for position, task in enumerate(data.get("tasks") or []):
        for name in task.get("assignees") or []:
            _link(session, row.id, name, "assignee", position, ctx)
        for name in task.get("cooperating") or []:
            _link(session, row.id, name, "cooperating", position, ctx)
    session.flush()
    return issuer


def _link(session: Session, letter_id: int, name: str, role: str, position: int | None,
          ctx: registry.Context) -> None:
    body = registry.resolve(session, name, ctx)
    if body is not None:
        session.add(LetterBody(letter_id=letter_id, body_id=body.id, role=role, position=position,
                               name=name[:500]))
