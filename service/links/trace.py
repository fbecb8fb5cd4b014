"""The chain behind a task, and the citation graph around a letter, for auditors.

`directive_trace`: the assigning letter (number, date, signer, where the task's text
was read), the letters it cites (recursively), the later letters that cite it
(recursively: reports on the report), and the pilots the task is linked to.
`letter_graph`: nodes (letters, placeholders for letters not stored yet, pilots)
and edges, in layers: cited letters left (-1, -2 ...), the letter at 0, citing
letters right (1, 2 ...), pilots below.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..folding import fold_words
from ..models import Correction, DirectiveRow, LetterRow
from .scoring import THRESHOLD
from .tables import Body, CitationRow, LetterBody, Pilot, PilotLink

MAX_DEPTH = 6


def body_ref(session: Session, body_id: int | None) -> dict[str, Any] | None:
    body = session.get(Body, body_id) if body_id else None
    return {"id": body.id, "name": body.name, "kind": body.kind} if body else None


def letter_ref(session: Session, row: LetterRow) -> dict[str, Any]:
    issuer = session.scalars(select(LetterBody.body_id).where(
        LetterBody.letter_id == row.id, LetterBody.role == "issuer")).first()
    return {"id": row.id, "number": row.number, "symbol": row.symbol, "doc_type": row.doc_type,
            "date": row.date, "issuer": row.issuer, "issuer_body": body_ref(session, issuer),
            "subject": row.data.get("subject"), "signer": row.data.get("signer")}


def citation_json(session: Session, cite: CitationRow) -> dict[str, Any]:
    return {"number": cite.number, "doc_type": cite.doc_type, "date": cite.date, "issuer": cite.issuer,
            "issuer_body": body_ref(session, cite.issuer_body_id),
            "status": "resolved" if cite.target_id else "placeholder", "match_score": cite.score}


def cited_tree(session: Session, letter_id: int, seen: set[int], depth: int = 0) -> list[dict[str, Any]]:
    """The letters a letter cites, each with the letters it cites in turn."""
    out = []
    cites = session.scalars(select(CitationRow).where(CitationRow.letter_id == letter_id)
                            .order_by(CitationRow.position))
    for cite in cites:
        node = citation_json(session, cite)
        target = session.get(LetterRow, cite.target_id) if cite.target_id else None
        node["letter"] = letter_ref(session, target) if target else None
        node["cites"] = []
        if target is not None and target.id not in seen and depth < MAX_DEPTH:
            node["cites"] = cited_tree(session, target.id, seen | {target.id}, depth + 1)
        out.append(node)
    return out


def citing_tree(session: Session, letter_id: int, seen: set[int], depth: int = 0) -> list[dict[str, Any]]:
    """The later letters that cite a letter, each with the letters citing them."""
    out = []
    cites = session.scalars(select(CitationRow).where(CitationRow.target_id == letter_id)
                            .order_by(CitationRow.letter_id, CitationRow.position))
    for cite in cites:
        citing = session.get(LetterRow, cite.letter_id)
        if citing is None:
            continue
        node: dict[str, Any] = {
                "letter": letter_ref(session, citing), "cited_as": cite.number, "match_score": cite.score,
                "relation": relation(session, citing, letter_id),
                "cited_by": []}
        if citing.id not in seen and depth < MAX_DEPTH:
            node["cited_by"] = citing_tree(session, citing.id, seen | {citing.id}, depth + 1)
        out.append(node)
    return out


def relation(session: Session, citing: LetterRow, cited_id: int) -> str:
    """What a later letter is to the one it cites: a `report` (báo cáo), an `answer` (its issuer
    was a recipient of the cited letter), a `follow-up` (same issuer, or a sibling of one group:
    Viettel Gia Lai after Viettel Solutions), or plainly `cites`."""
    if fold_words(citing.doc_type or "") == "bao cao":
        return "report"
    bodies = session.execute(select(LetterBody.letter_id, LetterBody.role, LetterBody.body_id).where(
        LetterBody.letter_id.in_((citing.id, cited_id)), LetterBody.role.in_(("issuer", "recipient")))).all()
    citing_issuer = {b for lid, role, b in bodies if lid == citing.id and role == "issuer"}
    cited_issuer = {b for lid, role, b in bodies if lid == cited_id and role == "issuer"}
    cited_recipients = {b for lid, role, b in bodies if lid == cited_id and role == "recipient"}
    if citing_issuer & cited_recipients:
        return "answer"
    if citing_issuer & cited_issuer:
        return "follow-up"
    if _family(session, citing_issuer) & _family(session, cited_issuer):
        return "follow-up"
    return "cites"


def _family(session: Session, body_ids: set[int]) -> set[int]:
    """The bodies' parents (a body without a parent is its own family)."""
    out = set()
    for body in (session.get(Body, i) for i in body_ids):
        if body is not None:
            out.add(body.parent_id or body.id)
    return out


def _placeholder_numbers(nodes: list[dict[str, Any]]) -> list[str]:
    """Numbers of the cited documents not stored yet, anywhere up the chain (each once)."""
    found: dict[str, None] = {}
    for n in nodes:
        if n["status"] == "placeholder":
            found[n["number"]] = None
        found.update(dict.fromkeys(_placeholder_numbers(n["cites"])))
    return list(found)


def pilot_links_json(session: Session, letter_id: int, position: int) -> list[dict[str, Any]]:
    links = session.scalars(select(PilotLink).where(
        PilotLink.letter_id == letter_id, PilotLink.position == position, PilotLink.state != "rejected")
        .order_by(PilotLink.score.desc(), PilotLink.pilot_id))
    out = []
    for link in links:
        if link.state == "suggested" and link.score < THRESHOLD:
            continue
        pilot = session.get(Pilot, link.pilot_id)
        if pilot is not None:
            out.append({"pilot": {"id": pilot.id, "solution": pilot.solution, "status": pilot.status,
                                  "provider": pilot.provider, "host_body": pilot.host_body},
                        "state": link.state, "score": link.score, "decided_by": link.decided_by})
    return out


def directive_trace(session: Session, directive_id: int) -> dict[str, Any]:
    d = session.get(DirectiveRow, directive_id)
    if d is None:
        raise NotFound(f"no directive {directive_id}")
    row = session.get(LetterRow, d.letter_id)
    assert row is not None
    evidence = (row.extracted.get("evidence") or {}).get(f"/tasks/{d.position}/text") or []
    corrected = session.get(Correction, (row.id, "tasks")) is not None
    parties = session.scalars(select(LetterBody).where(LetterBody.letter_id == row.id,
                                                       LetterBody.position == d.position))
    cites = cited_tree(session, row.id, {row.id})
    return {
        "directive": {"id": d.id, "position": d.position, "ordinal": d.ordinal, "text": d.text,
                      "deadline": d.deadline, "assignees": d.assignees, "cooperating": d.cooperating,
                      "bodies": [{"name": p.name, "role": p.role, "body": body_ref(session, p.body_id)}
                                 for p in parties]},
        "letter": letter_ref(session, row),
        # Where the task's text was read; after a clerk corrected the tasks it is the machine's reading.
        "text_evidence": [{"page": r.get("page"), "bbox": r.get("bbox"), "text": r.get("text")}
                          for r in evidence],
        "tasks_corrected": corrected,
        "cites": cites,
        "cited_by": citing_tree(session, row.id, {row.id}),
        # The letter's own references not stored yet, then those further up the chain.
        "placeholders": sum(c["status"] == "placeholder" for c in cites),
        "placeholders_in_chain": _placeholder_numbers(cites),
        "pilots": pilot_links_json(session, row.id, d.position),
    }


def letter_links(session: Session, letter_id: int) -> dict[str, Any]:
    """One step each way: what the letter cites and which stored letters cite it."""
    row = session.get(LetterRow, letter_id)
    if row is None:
        raise NotFound(f"no letter {letter_id}")
    cites = []
    for cite in session.scalars(select(CitationRow).where(CitationRow.letter_id == letter_id)
                                .order_by(CitationRow.position)):
        target = session.get(LetterRow, cite.target_id) if cite.target_id else None
        ref = letter_ref(session, target) if target else None
        cites.append({**citation_json(session, cite), "letter": ref})
    cited_by = [{"letter": letter_ref(session, citing), "cited_as": cite.number,
                 "relation": relation(session, citing, letter_id)}
                for cite in session.scalars(select(CitationRow).where(CitationRow.target_id == letter_id))
                if (citing := session.get(LetterRow, cite.letter_id)) is not None]
    return {"letter": letter_ref(session, row), "cites": cites, "cited_by": cited_by}


def letter_graph(session: Session, letter_id: int, depth: int = 3) -> dict[str, Any]:
    row = session.get(LetterRow, letter_id)
    if row is None:
        raise NotFound(f"no letter {letter_id}")
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    concerns: dict[str, dict[str, Any]] = {}  # pilot node id → its edge from the letter

    def add_letter(r: LetterRow, layer: int) -> str:
        key = f"letter:{r.id}"
        if key not in nodes:
            nodes[key] = {"id": key, "kind": "letter", "layer": layer, "letter": r.id, "number": r.number,
                          "date": r.date, "issuer": r.issuer, "subject": r.data.get("subject"),
                          "href": f"/van-ban/{r.id}"}  # the letter's web page
        return key

    add_letter(row, 0)
    frontier = [(row.id, 0)]
    for step in range(depth):  # backwards: what is cited
        nxt = []
        for lid, layer in frontier:
            for cite in session.scalars(select(CitationRow).where(CitationRow.letter_id == lid)):
                if cite.target_id:
                    target = session.get(LetterRow, cite.target_id)
                    if target is None:
                        continue
                    known = f"letter:{target.id}" in nodes
                    to = add_letter(target, layer - 1)
                    if not known and step + 1 < depth:
                        nxt.append((target.id, layer - 1))
                else:
                    to = f"placeholder:{cite.num}/{cite.symbol_key}/{cite.year}"
                    nodes.setdefault(to, {"id": to, "kind": "placeholder", "layer": layer - 1,
                                          "number": cite.number, "date": cite.date, "issuer": cite.issuer,
                                          "href": None})
                edges.append({"from": f"letter:{lid}", "to": to, "kind": "cites", "as": cite.number})
        frontier = nxt
    frontier = [(row.id, 0)]
    for _step in range(depth):  # forwards: who cites
        nxt = []
        for lid, layer in frontier:
            for cite in session.scalars(select(CitationRow).where(CitationRow.target_id == lid)):
                citing = session.get(LetterRow, cite.letter_id)
                if citing is None:
                    continue
                known = f"letter:{citing.id}" in nodes
                src = add_letter(citing, layer + 1)
                edge = {"from": src, "to": f"letter:{lid}", "kind": "cites", "as": cite.number}
                if edge not in edges:
                    edges.append(edge)
                if not known:
                    nxt.append((citing.id, layer + 1))
        frontier = nxt
    for link in session.scalars(select(PilotLink).where(PilotLink.letter_id == row.id,
                                                        PilotLink.state != "rejected")):
        if link.state == "suggested" and link.score < THRESHOLD:
            continue
        pilot = session.get(Pilot, link.pilot_id)
        if pilot is None:
            continue
        key = f"pilot:{pilot.id}"
        nodes.setdefault(key, {"id": key, "kind": "pilot", "layer": 0, "pilot": pilot.id,
                               "solution": pilot.solution, "status": pilot.status,
                               "href": f"/thi-diem/{pilot.id}"})  # the pilot's web page
        concern = concerns.get(key)
        if concern is None:
            concerns[key] = {"from": f"letter:{row.id}", "to": key, "kind": "concerns", "state": link.state,
                             "tasks": [link.position]}
            edges.append(concerns[key])
        else:
            concern["tasks"].append(link.position)
            if link.state == "confirmed":  # one confirmed task makes the letter's link confirmed
                concern["state"] = "confirmed"
    return {"letter": row.id, "nodes": list(nodes.values()), "edges": edges}
