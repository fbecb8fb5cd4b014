"""The citation graph: each reference of a stored letter links to the stored letter it names.

A reference matches a letter when the numeric parts are equal, the symbols agree
within one OCR slip (`131/GLl-KDGP` is `131/GLI-KDGP`), the years agree (from the
cited date, or the `30/2020/...` year group) and the issuers, when both are known,
are one body of the registry. Among several candidates the best agreement wins
(exact symbol, checked year and issuer, same day). A reference no stored letter matches is a
placeholder (`target_id` null) until a letter that matches is stored: every store
re-resolves the references that carry its number, whatever order letters came in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from ..models import LetterRow
from . import registry
from .numbers import DocNumber, parse_number, symbol_similarity, year_of
from .tables import Body, CitationRow, LetterNumber

SYMBOL_MIN = 87.0  # below: another document (one slip in an 8-character symbol scores 87.5)


@dataclass(frozen=True)
class Identity:
    """What identifies a letter for matching."""

    number: DocNumber
    year: int | None
    issuer: Body | None


def letter_identity(session: Session, row: LetterRow, issuer: Body | None) -> Identity | None:
    number = parse_number(row.data.get("number"))
    if number is None:
        return None
    return Identity(number=number, year=year_of(row.data.get("date")) or number.year, issuer=issuer)


def store_identity(session: Session, row: LetterRow, issuer: Body | None) -> Identity | None:
    """Write (or clear) the row that lets citations find this letter."""
    ident = letter_identity(session, row, issuer)
    existing = session.get(LetterNumber, row.id)
    if ident is None:
        if existing is not None:
            session.delete(existing)
        return None
    if existing is None:
        existing = LetterNumber(letter_id=row.id)
        session.add(existing)
    existing.num, existing.symbol_key = ident.number.num, ident.number.symbol_key[:200]
    existing.year, existing.issuer_body_id = ident.year, issuer.id if issuer else None
    session.flush()
    return ident


def match_score(session: Session, cite: CitationRow, target: LetterNumber) -> float | None:
    """How well a reference fits a stored letter (0-100), or None when it cannot be that letter."""
    if cite.num is None or cite.symbol_key is None or cite.num != target.num:
        return None
    score = symbol_similarity(cite.symbol_key, target.symbol_key)
    if score < SYMBOL_MIN:
        return None
    if cite.year is not None and target.year is not None and cite.year != target.year:
        return None
    a = session.get(Body, cite.issuer_body_id) if cite.issuer_body_id else None
    b = session.get(Body, target.issuer_body_id) if target.issuer_body_id else None
    same = registry.same_body(session, a, b)
    if same is False:
        return None
    # Agreement that was checked counts for more than agreement that could not be; a cited day that
    # differs from the letter's (an OCR slip in the date, most likely) costs a little, never the link.
    target_row = session.get(LetterRow, target.letter_id)
    target_date = target_row.date if target_row is not None else None
    day_differs = bool(cite.date and target_date and not (cite.date.startswith(target_date)
                                                           or target_date.startswith(cite.date)))
    return score - (0 if cite.year is not None else 2) - (0 if same else 1) - (3 if day_differs else 0)


def resolve(session: Session, cite: CitationRow) -> None:
    """Point a reference at the best-matching stored letter, or leave it a placeholder."""
    best: tuple[float, int] | None = None
    if cite.num is not None:
        for target in session.scalars(select(LetterNumber).where(LetterNumber.num == cite.num,
                                                                 LetterNumber.letter_id != cite.letter_id)):
            score = match_score(session, cite, target)
            if score is not None and (best is None or (score, -target.letter_id) > (best[0], -best[1])):
                best = (score, target.letter_id)
    cite.target_id, cite.score = (best[1], best[0]) if best else (None, None)


def rebuild_references(session: Session, row: LetterRow, ctx: registry.Context) -> list[CitationRow]:
    """Replace the letter's citation rows from its references and resolve each."""
    session.execute(delete(CitationRow).where(CitationRow.letter_id == row.id))
    out = []
    for position, ref in enumerate(row.data.get("references") or []):
        out.append(_citation(session, row.id, position, ref, ctx))
    session.flush()
    for cite in out:
        resolve(session, cite)
    return out


def _citation(session: Session, letter_id: int, position: int, ref: dict[str, Any],
              ctx: registry.Context) -> CitationRow:
    number = parse_number(ref.get("number"))
    issuer = registry.resolve(session, ref.get("issuer"), ctx) if ref.get("issuer") else None
    cite = CitationRow(
        letter_id=letter_id, position=position, number=(ref.get("number") or "")[:200],
        num=number.num if number else None, symbol_key=number.symbol_key[:200] if number else None,
        year=year_of(ref.get("date")) or (number.year if number else None), date=ref.get("date"),
        doc_type=ref.get("doc_type"), issuer=(ref.get("issuer") or None),
        issuer_body_id=issuer.id if issuer else None)
    session.add(cite)
    return cite


def reresolve_for(session: Session, letter_id: int, ident: Identity | None) -> set[int]:
    """Re-resolve the references of other letters that may mean this letter (same number, or
    pointing at it now); the ids of the letters whose links changed."""
    conditions = [CitationRow.target_id == letter_id]
    if ident is not None:
        conditions.append(CitationRow.num == ident.number.num)
    changed = set()
    for cite in session.scalars(select(CitationRow).where(or_(*conditions),
                                                          CitationRow.letter_id != letter_id)):
        before = cite.target_id
        resolve(session, cite)
        if cite.target_id != before:
            changed.add(cite.letter_id)
    return changed
