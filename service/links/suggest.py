"""Pilot suggestions for directives, kept in `pilot_links` with state `suggested`.

Rescored when a letter is stored (its directives, and the letters whose cited
letters changed) and when pilots change (every directive). A clerk's decision
(`confirmed` / `rejected`) is never overwritten; only its score is refreshed.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..folding import fold_words
from ..models import DirectiveRow, LetterRow
from .registry import context_for
from .scoring import THRESHOLD, DirectiveFacts, PilotFacts, number_key, numbers_in, rank
from .tables import Body, CitationRow, LetterBody, Pilot, PilotLink


def pilot_facts(session: Session) -> list[PilotFacts]:
    out = []
    for p in session.scalars(select(Pilot).order_by(Pilot.id)):
        ids = {i for i in (p.host_body_id, p.provider_body_id) if i is not None}
        bodies = [b for b in (session.get(Body, i) for i in (p.host_body_id, p.provider_body_id) if i) if b]
        parents = {b.parent_id for b in bodies if b.parent_id}
        province = next((fold_words(b.province) for b in bodies if b.province), None)
        out.append(PilotFacts(id=p.id, solution=p.solution, body_ids=frozenset(ids),
                              parent_ids=frozenset(parents - ids), note_numbers=numbers_in(p.notes),
                              province=province))
    return out


def directive_facts(session: Session, row: LetterRow) -> list[DirectiveFacts]:
    """One DirectiveFacts per task of the letter, in task order."""
    tasks = row.data.get("tasks") or []
    if not tasks:
        return []
    links = list(session.scalars(select(LetterBody).where(LetterBody.letter_id == row.id)))
    letter_bodies = {lb.body_id for lb in links if lb.role in ("issuer", "recipient")}
    cites = list(session.scalars(select(CitationRow).where(CitationRow.letter_id == row.id)))
    numbers = {number_key(c.number) for c in cites if c.number}
    if row.data.get("number"):
        numbers.add(number_key(row.data["number"]))
    cited_texts = []
    for target_id in dict.fromkeys(c.target_id for c in cites if c.target_id):
        target = session.get(LetterRow, target_id)
        if target is not None:
            cited_texts.append(target.doc_text)
    issuer = next((session.get(Body, lb.body_id) for lb in links if lb.role == "issuer"), None)
    province = (issuer.province if issuer is not None else None) or context_for(session, row.data).province
    out = []
    for position, task in enumerate(tasks):
        parties = {lb.body_id for lb in links if lb.position == position}
        out.append(DirectiveFacts(text=task.get("text") or "", subject=row.data.get("subject") or "",
                                  body_ids=frozenset(parties | letter_bodies), numbers=frozenset(numbers),
                                  cited_texts=tuple(cited_texts), letter_text=row.doc_text,
                                  province=fold_words(province) if province else None))
    return out


def rescore_letter(session: Session, row: LetterRow, pilots: list[PilotFacts] | None = None) -> None:
    pilots = pilot_facts(session) if pilots is None else pilots
    session.execute(delete(PilotLink).where(PilotLink.letter_id == row.id, PilotLink.state == "suggested"))
    session.flush()
    if not pilots:
        return
    decided = {(link.pilot_id, link.position): link for link in
               session.scalars(select(PilotLink).where(PilotLink.letter_id == row.id))}
    for position, facts in enumerate(directive_facts(session, row)):
        for s in rank(pilots, facts):
            link = decided.get((s.pilot_id, position))
            if link is not None:
                link.score = s.score
            elif s.score >= THRESHOLD:
                session.add(PilotLink(pilot_id=s.pilot_id, letter_id=row.id, position=position,
                                      state="suggested", score=s.score))
    session.flush()


def rescore_all(session: Session) -> None:
    """After pilots change: every letter's directives against every pilot."""
    pilots = pilot_facts(session)
    with_tasks = select(DirectiveRow.letter_id).distinct()  # a letter without tasks has nothing to score
    for row in session.scalars(select(LetterRow).where(LetterRow.id.in_(with_tasks)).order_by(LetterRow.id)):
        rescore_letter(session, row, pilots)
