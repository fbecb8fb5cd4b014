"""HTTP routes of the links feature (mounted by `service.api`).

Rights follow `service.auth`: reading bodies and pilots is a query (clerk, reader,
auditor); the trace and the graph are history (auditor); creating, editing and
importing pilots and deciding on suggestions is a correction (clerk).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..auth import Caller, Right, authenticate, authorize
from ..db import Database
from ..errors import InvalidRequest
from ..models import RowId
from . import pilots as pilot_records
from . import svg, trace, views

MAX_IMPORT_BYTES = 5 * 1024 * 1024
_bearer = HTTPBearer(auto_error=False,
                     description="An API key: `congvan keys create --role ROLE --name NAME`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _needs(right: Right) -> Callable[..., Awaitable[Caller]]:
    async def dependency(request: Request, creds: Credentials) -> Caller:
        header = f"{creds.scheme} {creds.credentials}" if creds else None
        caller = await run_in_threadpool(authenticate, _db(request), header)
        authorize(caller, right)
        return caller

    return dependency


def _db(request: Request) -> Database:
    db: Database = request.app.state.service.db
    return db


Query = Annotated[Caller, Depends(_needs(Right.QUERY))]
Trace = Annotated[Caller, Depends(_needs(Right.TRACE))]
Correct = Annotated[Caller, Depends(_needs(Right.CORRECT))]

router = APIRouter(prefix="/api")


# -- citation graph and trace ---------------------------------------------------------
@router.get("/directives/{directive_id}/trace", tags=["links"])
def directive_trace(caller: Trace, request: Request, directive_id: RowId) -> dict[str, Any]:
    """The assigning letter, where the task was read, cited letters (recursively), later letters, pilots."""
    with _db(request).read() as session:
        return trace.directive_trace(session, directive_id)


@router.get("/letters/{letter_id}/links", tags=["links"])
def letter_links(caller: Query, request: Request, letter_id: RowId) -> dict[str, Any]:
    """What the letter cites (resolved or placeholder) and which stored letters cite it."""
    with _db(request).read() as session:
        return trace.letter_links(session, letter_id)


@router.get("/letters/{letter_id}/graph", tags=["links"], response_model=None)
def letter_graph(caller: Trace, request: Request, letter_id: RowId, depth: int = 3,
                 format: str = "json") -> dict[str, Any] | Response:
    """Nodes and edges around the letter; `format=svg` draws them."""
    if not 1 <= depth <= 6:
        raise InvalidRequest("depth must be between 1 and 6")
    if format not in ("json", "svg"):
        raise InvalidRequest("format is json or svg")
    with _db(request).read() as session:
        graph = trace.letter_graph(session, letter_id, depth)
    if format == "svg":
        return Response(svg.render(graph), media_type="image/svg+xml")
    return graph


# -- bodies ---------------------------------------------------------------------------
@router.get("/bodies", tags=["links"])
def bodies(caller: Query, request: Request, q: str | None = None, kind: str | None = None) -> dict[str, Any]:
    with _db(request).read() as session:
        return views.list_bodies(session, q, kind)


@router.get("/bodies/{body_id}", tags=["links"])
def body(caller: Query, request: Request, body_id: RowId) -> dict[str, Any]:
    """A body with its aliases and symbols, and the letters it issued, received and was assigned."""
    with _db(request).read() as session:
        return views.body_detail(session, body_id)


# -- pilots ---------------------------------------------------------------------------
@router.get("/pilots", tags=["pilots"])
def pilots(caller: Query, request: Request, status: str | None = None) -> dict[str, Any]:
    with _db(request).read() as session:
        return views.list_pilots(session, status)


@router.get("/pilots/{pilot_id}", tags=["pilots"])
def pilot(caller: Query, request: Request, pilot_id: RowId) -> dict[str, Any]:
    """A pilot with the directives linked to it and the letters behind them."""
    with _db(request).read() as session:
        return views.pilot_detail(session, pilot_id)


@router.post("/pilots", tags=["pilots"], status_code=201)
def create_pilot(caller: Correct, request: Request, record: dict[str, Any]) -> dict[str, Any]:
    with _db(request).write() as session:
        created = pilot_records.create(session, record)
        return pilot_records.pilot_json(session, created)


@router.patch("/pilots/{pilot_id}", tags=["pilots"])
def edit_pilot(caller: Correct, request: Request, pilot_id: RowId, record: dict[str, Any]) -> dict[str, Any]:
    with _db(request).write() as session:
        return pilot_records.pilot_json(session, pilot_records.update(session, pilot_id, record))


@router.post("/pilots/import", tags=["pilots"])
async def import_pilots(caller: Correct, request: Request,
                        file: Annotated[UploadFile, File(description="pilots as CSV or JSON")]
                        ) -> dict[str, Any]:
    """Create or update pilots from CSV (header: solution,provider,host_body,start,end,status,notes)
    or JSON (a list of objects with those fields)."""
    data = await file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidRequest(f"a pilot list is at most {MAX_IMPORT_BYTES} bytes")
    try:
        records = pilot_records.parse_records(data, file.filename)
    except UnicodeDecodeError:
        raise InvalidRequest("the pilot list must be UTF-8 text") from None

    def run() -> dict[str, Any]:
        with _db(request).write() as session:
            return pilot_records.import_records(session, records)

    return await run_in_threadpool(run)


@router.get("/directives/{directive_id}/pilots", tags=["pilots"])
def directive_pilots(caller: Query, request: Request, directive_id: RowId) -> dict[str, Any]:
    """Pilots suggested for the directive, best first, with their evidence and the clerk's decisions."""
    with _db(request).read() as session:
        return views.directive_pilots(session, directive_id)


@router.post("/directives/{directive_id}/pilots/{pilot_id}/{decision}", tags=["pilots"])
def decide(caller: Correct, request: Request, directive_id: RowId, pilot_id: RowId, decision: str
           ) -> dict[str, Any]:
    """`confirm` or `reject` a pilot for a directive; the decision goes into the letter's audit log."""
    states = {"confirm": "confirmed", "reject": "rejected"}
    if decision not in states:
        raise InvalidRequest("the decision is confirm or reject")
    with _db(request).write() as session:
        return views.decide(session, directive_id, pilot_id, states[decision], caller.name)
