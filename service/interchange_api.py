"""Routes of the interchange: Appendix VI export and import, directives as CSV/XLSX,
the arrivals book, webhooks. Mounted by `service.api.create_app` before the routes
with a path parameter, so `/api/letters/export` is not read as letter `export`.

Roles (see `service.auth`): everything here needs the query right (clerk, reader,
auditor); a subscription, its deliveries and replays belong to the key that made it.
"""

# No `from __future__ import annotations`: FastAPI must see the route annotations as
# objects, and `Query` below is local to `build_router`.
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from . import arrivals, queries, webhooks
from .auth import Caller, Right
from .errors import InvalidRequest
from .interchange import (
    from_appendix,
    from_json,
    from_xml,
    schema_text,
    set_to_json,
    set_to_xml,
    to_appendix,
    to_json,
    to_xml,
)
from .interchange.spreadsheet import rows_of, to_csv, to_xlsx
from .models import LetterRow, RowId

if TYPE_CHECKING:
    from .api import Service

EXPORT_MAX = 5000  # rows of one export; more is a sign the filters are missing
XML = "application/xml; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCHEMAS = {"appendix-vi.xsd": XML, "appendix-vi.schema.json": "application/schema+json"}


def _attachment(body: bytes, media_type: str, filename: str) -> Response:
    disposition = f'attachment; filename="{filename}"'
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})


def _all_pages(fetch: Callable[[queries.Page], dict[str, Any]]) -> list[dict[str, Any]]:
    """Every item of a listing, page by page, through the listing's own filters."""
    items: list[dict[str, Any]] = []
    while True:
        page = fetch(queries.Page(queries.MAX_LIMIT, len(items)))
        if page["total"] > EXPORT_MAX:
            raise InvalidRequest(f"{page['total']} items match; an export holds at most {EXPORT_MAX}: "
                                 "narrow the filters")
        items += page["items"]
        if not page["items"] or len(items) >= page["total"]:
            return items


def build_router(service: "Service", needs: Callable[[Right], Callable[..., Awaitable[Caller]]]) -> APIRouter:
    router = APIRouter()
    Query = Annotated[Caller, Depends(needs(Right.QUERY))]

    # -- Appendix VI -------------------------------------------------------------------
    @router.get("/api/letters/export", tags=["interchange"])
    def export_letters(caller: Query, format: Literal["xml", "json"] = "xml", issuer: str | None = None,
                       doc_type: str | None = None, date_from: str | None = None, date_to: str | None = None,
                       q: str | None = None) -> Response:
        """The letters `GET /api/letters` would list with these filters, in Appendix VI names."""
        with service.db.read() as session:
            found = _all_pages(lambda page: queries.list_letters(
                session, issuer=issuer, doc_type=doc_type, date_from=date_from, date_to=date_to, q=q,
                page=page))
            records = []
            for item in found:
                row = session.get(LetterRow, item["id"])
                if row is not None:
                    records.append((row.id, to_appendix(row.data)))
        if format == "json":
            return JSONResponse(set_to_json(records))
        return _attachment(set_to_xml(records), XML, "letters.xml")

    @router.get("/api/letters/{letter_id}/export", tags=["interchange"])
    def export_letter(caller: Query, letter_id: RowId, format: Literal["xml", "json"] = "xml") -> Response:
        with service.db.read() as session:
            record = to_appendix(queries.get_letter(session, letter_id).data)
        if format == "json":
            return JSONResponse(to_json(record, letter_id))
        return _attachment(to_xml(record, letter_id), XML, f"letter-{letter_id}.xml")

    @router.post("/api/interchange/import", tags=["interchange"])
    async def import_document(caller: Query, request: Request,
                              format: Literal["xml", "json"] = "xml") -> dict[str, Any]:
        """Check an Appendix VI document (ours or another system's) and read it as Letter fields.
        Nothing is stored: this is how a receiving system sees what it would file."""
        body = await request.body()
        if format == "json":
            try:
                value = json.loads(body)
            except ValueError as exc:
                raise InvalidRequest(f"not JSON: {exc}") from exc
            records = from_json(value)
        else:
            records = from_xml(body)
        return {"documents": [{"id": r.get("id"), "fields": from_appendix(r)} for r in records]}

    @router.get("/api/interchange/schemas/{name}", tags=["interchange"])
    def schema(caller: Query, name: str) -> Response:
        """The schemas exports are valid against (shipped in service/interchange/schemas/)."""
        if name not in SCHEMAS:
            raise InvalidRequest(f"schemas are: {', '.join(SCHEMAS)}")
        return Response(schema_text(name), media_type=SCHEMAS[name])

    # -- directives for spreadsheets -------------------------------------------------------
    @router.get("/api/directives/export", tags=["interchange"])
    def export_directives(caller: Query, format: Literal["csv", "xlsx"] = "csv", assignee: str | None = None,
                          due_before: str | None = None, due_after: str | None = None,
                          letter: RowId | None = None, q: str | None = None) -> Response:
        """The directives `GET /api/directives` would list with these filters, one row each."""
        with service.db.read() as session:
            items = _all_pages(lambda page: queries.list_directives(
                session, assignee=assignee, due_before=due_before, due_after=due_after, letter=letter, q=q,
                page=page))
        rows = rows_of(items)
        if format == "xlsx":
            return _attachment(to_xlsx(rows), XLSX, "directives.xlsx")
        return _attachment(to_csv(rows), "text/csv; charset=utf-8", "directives.csv")

    # -- arrivals book -----------------------------------------------------------------------
    @router.get("/api/letters/{letter_id}/arrival", tags=["interchange"])
    def arrival(caller: Query, letter_id: RowId) -> dict[str, Any]:
        """The arrivals book entry of the letter: office, year, number, when; the ĐẾN stamp if read."""
        with service.db.read() as session:
            queries.get_letter(session, letter_id)
            return arrivals.for_letter(session, letter_id)

    # -- webhooks ------------------------------------------------------------------------------
    @router.post("/api/webhooks", status_code=201, tags=["webhooks"])
    def register_webhook(caller: Query, body: dict[str, Any]) -> dict[str, Any]:
        """Subscribe a URL to events; the signing secret is in this answer only."""
        with service.db.write() as session:
            return webhooks.register(session, caller.name, str(body.get("url") or ""), body.get("events"))

    @router.get("/api/webhooks", tags=["webhooks"])
    def list_webhooks(caller: Query) -> list[dict[str, Any]]:
        with service.db.read() as session:
            return webhooks.list_owned(session, caller.name)

    @router.delete("/api/webhooks/{webhook_id}", tags=["webhooks"])
    def delete_webhook(caller: Query, webhook_id: RowId) -> dict[str, Any]:
        with service.db.write() as session:
            webhooks.delete(session, caller.name, webhook_id)
        return {"id": webhook_id, "deleted": True}

    @router.get("/api/webhooks/{webhook_id}/deliveries", tags=["webhooks"])
    def webhook_deliveries(caller: Query, webhook_id: RowId, limit: int = 100) -> list[dict[str, Any]]:
        with service.db.read() as session:
            return webhooks.deliveries(session, caller.name, webhook_id, limit)

    @router.post("/api/webhooks/deliveries/{delivery_id}/replay", status_code=202, tags=["webhooks"])
    def replay_delivery(caller: Query, delivery_id: RowId) -> dict[str, Any]:
        """Send the delivery again: same event id, same signed body."""
        with service.db.write() as session:
            out = webhooks.replay(session, caller.name, delivery_id)
        if service.webhooks is not None:
            service.webhooks.notify()
        return out

    return router
