"""Read and decide: a body's letters and tasks, a pilot's letters and directives, a
directive's pilot suggestions, and a clerk's confirm / reject (written to the audit log)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InvalidRequest, NotFound
from ..models import AuditEntry, DirectiveRow, LetterRow, utcnow
from . import pilots as pilot_records
from .numbers import parse_number
from .registry import name_key
from .scoring import THRESHOLD, rank
from .suggest import directive_facts, pilot_facts
from .tables import Body, BodyAlias, BodySymbol, LetterBody, LetterNumber, Pilot, PilotLink
from .trace import body_ref, letter_ref

LIST_LIMIT = 200


def list_bodies(session: Session, q: str | None, kind: str | None) -> dict[str, Any]:
    stmt = select(Body).order_by(Body.name)
    if kind:
        stmt = stmt.where(Body.kind == kind)
    if q:
        for word in name_key(q).split():  # folded and expanded, as the alias keys are
            stmt = stmt.where(Body.id.in_(select(BodyAlias.body_id).where(BodyAlias.key.like(f"%{word}%"))))
    rows = list(session.scalars(stmt.limit(LIST_LIMIT)))
    return {"items": [{"id": b.id, "name": b.name, "kind": b.kind, "province": b.province, "origin": b.origin}
                      for b in rows]}


def body_detail(session: Session, body_id: int) -> dict[str, Any]:
    body = session.get(Body, body_id)
    if body is None:
        raise NotFound(f"no body {body_id}")
    links = list(session.scalars(select(LetterBody).where(LetterBody.body_id == body_id)
                                 .order_by(LetterBody.letter_id, LetterBody.position)))
    letters = {r.id: r for r in session.scalars(select(LetterRow).where(
        LetterRow.id.in_({lb.letter_id for lb in links})))} if links else {}

    def letters_as(role: str) -> list[dict[str, Any]]:
        ids = dict.fromkeys(lb.letter_id for lb in links if lb.role == role)
        return [letter_ref(session, letters[i]) for i in ids if i in letters]

    assigned = []
    for lb in links:
        if lb.role not in ("assignee", "cooperating") or lb.position is None:
            continue
        d = session.scalars(select(DirectiveRow).where(DirectiveRow.letter_id == lb.letter_id,
                                                       DirectiveRow.position == lb.position)).first()
        if d is not None and lb.letter_id in letters:
            assigned.append({"directive": d.id, "role": lb.role, "named_as": lb.name, "text": d.text,
                             "deadline": d.deadline, "letter": letter_ref(session, letters[lb.letter_id])})
    return {
        "id": body.id, "name": body.name, "kind": body.kind, "province": body.province, "origin": body.origin,
        "valid_from": body.valid_from, "valid_to": body.valid_to,
        "parent": body_ref(session, body.parent_id), "successor": body_ref(session, body.successor_id),
        "aliases": list(session.scalars(select(BodyAlias.alias).where(BodyAlias.body_id == body.id)
                                        .order_by(BodyAlias.id))),
        "symbols": [{"prefix": s.prefix, "letters": s.letters} for s in
                    session.scalars(select(BodySymbol).where(BodySymbol.body_id == body.id))],
        "issued": letters_as("issuer"), "received": letters_as("recipient"), "assigned": assigned,
    }


def _directive_of(session: Session, letter_id: int, position: int) -> DirectiveRow | None:
    return session.scalars(select(DirectiveRow).where(DirectiveRow.letter_id == letter_id,
                                                      DirectiveRow.position == position)).first()


def list_pilots(session: Session, status: str | None) -> dict[str, Any]:
    stmt = select(Pilot).order_by(Pilot.id)
    if status:
        if status not in pilot_records.STATUSES:
            raise InvalidRequest(f"status must be one of {', '.join(pilot_records.STATUSES)}")
        stmt = stmt.where(Pilot.status == status)
    return {"items": [pilot_records.pilot_json(session, p) for p in session.scalars(stmt)]}


def pilot_detail(session: Session, pilot_id: int) -> dict[str, Any]:
    pilot = pilot_records.get(session, pilot_id)
    directives = []
    letter_ids: dict[int, None] = {}
    for link in session.scalars(select(PilotLink).where(PilotLink.pilot_id == pilot_id,
                                                        PilotLink.state != "rejected")
                                .order_by(PilotLink.score.desc())):
        if link.state == "suggested" and link.score < THRESHOLD:
            continue
        d = _directive_of(session, link.letter_id, link.position)
        row = session.get(LetterRow, link.letter_id)
        if d is None or row is None:
            continue
        letter_ids[row.id] = None
        directives.append({"directive": d.id, "ordinal": d.ordinal, "text": d.text, "state": link.state,
                           "score": link.score, "letter": letter_ref(session, row)})
    # Letters the notes name (`Proposed in 980/VNPT-GL-CNTT`), when stored.
    named = []
    for word in pilot.notes.replace(";", " ").replace(",", " ").split():
        number = parse_number(word)
        if number is None or not number.symbol_key:
            continue
        for ln in session.scalars(select(LetterNumber).where(LetterNumber.num == number.num,
                                                             LetterNumber.symbol_key == number.symbol_key)):
            row = session.get(LetterRow, ln.letter_id)
            if row is not None and row.id not in letter_ids:
                letter_ids[row.id] = None
                named.append(letter_ref(session, row))
    letters = [letter_ref(session, r) for i in letter_ids if (r := session.get(LetterRow, i)) is not None]
    return {**pilot_records.pilot_json(session, pilot), "directives": directives, "letters": letters,
            "letters_in_notes": named}


def directive_pilots(session: Session, directive_id: int) -> dict[str, Any]:
    """Every pilot scored for a directive (evidence shown), with the clerk's decisions."""
    d = session.get(DirectiveRow, directive_id)
    if d is None:
        raise NotFound(f"no directive {directive_id}")
    row = session.get(LetterRow, d.letter_id)
    assert row is not None
    facts = directive_facts(session, row)
    decided = {link.pilot_id: link for link in session.scalars(select(PilotLink).where(
        PilotLink.letter_id == row.id, PilotLink.position == d.position))}
    ranking = rank(pilot_facts(session), facts[d.position]) if d.position < len(facts) else []
    items = []
    for s in ranking:
        link = decided.get(s.pilot_id)
        state = link.state if link is not None and link.state != "suggested" else (
            "suggested" if s.score >= THRESHOLD else None)
        if state is None:
            continue
        pilot = session.get(Pilot, s.pilot_id)
        assert pilot is not None
        items.append({"pilot": pilot_records.pilot_json(session, pilot), "score": s.score, "state": state,
                      "evidence": {"name": s.name, "bodies": s.bodies, "letters": s.letters},
                      "decided_by": link.decided_by if link else None})
    return {"directive": d.id, "threshold": THRESHOLD, "items": items}


def decide(session: Session, directive_id: int, pilot_id: int, state: str, actor: str) -> dict[str, Any]:
    """A clerk confirms or rejects a pilot for a directive; the decision is audited on the letter."""
    if state not in ("confirmed", "rejected"):
        raise InvalidRequest("a decision is confirmed or rejected")
    d = session.get(DirectiveRow, directive_id)
    if d is None:
        raise NotFound(f"no directive {directive_id}")
    pilot = pilot_records.get(session, pilot_id)
    row = session.get(LetterRow, d.letter_id)
    assert row is not None
    link = session.scalars(select(PilotLink).where(
        PilotLink.pilot_id == pilot_id, PilotLink.letter_id == row.id, PilotLink.position == d.position)
    ).one_or_none()
    old = link.state if link is not None else None
    if link is None:
        facts = directive_facts(session, row)
        scored = rank([p for p in pilot_facts(session) if p.id == pilot_id], facts[d.position]) \
            if d.position < len(facts) else []
        link = PilotLink(pilot_id=pilot_id, letter_id=row.id, position=d.position,
                         score=scored[0].score if scored else 0.0)
        session.add(link)
    link.state, link.decided_by, link.decided_at = state, actor, utcnow()
    session.add(AuditEntry(letter_id=row.id, revision=row.revision, actor=actor,
                           action="pilot-" + ("confirm" if state == "confirmed" else "reject"),
                           field=f"tasks/{d.position}/pilots",
                           old={"pilot": pilot_id, "state": old},
                           new={"pilot": pilot_id, "solution": pilot.solution, "state": state}))
    session.flush()
    return {"directive": d.id, "pilot": pilot_id, "state": state, "previous": old, "score": link.score,
            "decided_by": actor}
