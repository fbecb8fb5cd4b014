"""Letters: the searchable list, one letter with its scan and boxes, page images, corrections."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import FileResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.errors import CongvanError

from .. import queries
from ..auth import Right
from ..errors import InvalidRequest, NotFound
from ..links.tables import CitationRow
from ..models import LetterRow, PageImage, RowId
from ..store import correct_letter
from . import session
from .core import PageRoute, check_form_token, needs, page, service_of
from .geometry import page_views
from .labels import ACTIONS, explain, field_label
from .letter_view import attach_boxes, build_sections, correction_patch, slug

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Reader = Annotated[session.Viewer, Depends(needs(Right.QUERY))]
Corrector = Annotated[session.Viewer, Depends(needs(Right.CORRECT))]
PER_PAGE = 25


@router.get("/van-ban")
def letters(request: Request, viewer: Reader, q: str = "", issuer: str = "", doc_type: str = "",
            date_from: str = "", date_to: str = "", trang: RowId = 1) -> Response:
    trang = max(trang, 1)
    filters = {"q": q.strip(), "issuer": issuer.strip(), "doc_type": doc_type.strip(),
               "date_from": date_from.strip(), "date_to": date_to.strip()}
    with service_of(request).db.read() as s:
        found = queries.list_letters(s, **{k: v or None for k, v in filters.items()},
                                     page=queries.Page(PER_PAGE, (trang - 1) * PER_PAGE))
        doc_types = sorted({t for t in s.scalars(select(LetterRow.doc_type).distinct()) if t})
        issuers = sorted({t for t in s.scalars(select(LetterRow.issuer).distinct()) if t})
    pages = max(1, -(-found["total"] // PER_PAGE))
    return page(request, "letters.html", viewer, found=found, filters=filters, doc_types=doc_types,
                issuers=issuers, trang=trang, pages=pages)


def citation_links(s: Session, letter_id: int) -> dict[int, str | None]:
    """Each citation's letter when `service.links` resolved it, else None: a placeholder, not stored yet."""
    cites = s.scalars(select(CitationRow).where(CitationRow.letter_id == letter_id))
    return {c.position: f"/van-ban/{c.target_id}" if c.target_id else None for c in cites}


def letter_context(s: Session, request: Request, viewer: session.Viewer, letter_id: int) -> dict[str, Any]:
    row = queries.get_letter(s, letter_id)
    data = queries.letter_json(s, row)
    images = s.scalars(select(PageImage).where(PageImage.letter_id == letter_id).order_by(PageImage.number))
    pages = page_views(service_of(request).files, data.get("source") or {},
                       [(p.number, p.width, p.height) for p in images])
    sections = build_sections(data, citation_links(s, letter_id))
    boxes = attach_boxes(sections, data.get("evidence") or {}, pages)
    history = None
    if viewer.can(Right.HISTORY):
        history = [{**e, "action_text": ACTIONS.get(e["action"], e["action"]),
                    "field_text": field_label("/" + e["field"]) if e["field"] else ""}
                   for e in queries.history(s, letter_id)["entries"]]
        history.reverse()  # newest first: what changed last is what an auditor asks about
    return {"letter": data, "pages": pages, "sections": sections, "boxes": boxes, "history": history,
            "low_count": sum(1 for sec in sections for r in sec.rows if r.low)}


@router.get("/van-ban/{letter_id}")
def letter(request: Request, viewer: Reader, letter_id: RowId, da_sua: str = "") -> Response:
    with service_of(request).db.read() as s:
        context = letter_context(s, request, viewer, letter_id)
    saved = field_label(da_sua) if da_sua else None
    return page(request, "letter.html", viewer, saved=saved, saved_pointer=da_sua, **context)


@router.get("/van-ban/{letter_id}/trang/{number}")
def page_image(request: Request, viewer: Reader, letter_id: RowId, number: RowId) -> Response:
    service = service_of(request)
    with service.db.read() as s:
        rel = queries.page_image(s, letter_id, number)
    path = service.settings.data_dir / rel
    if not path.is_file():
        raise NotFound("Ảnh của trang này không còn trong thư mục dữ liệu.")
    # Private: an image of a letter must not stay in a shared cache.
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


@router.post("/van-ban/{letter_id}/sua")
def correct(request: Request, viewer: Corrector, letter_id: RowId, field: Annotated[str, Form()],
            value: Annotated[str, Form()] = "", token: Annotated[str, Form(alias="_token")] = "") -> Response:
    check_form_token(viewer, token)
    service = service_of(request)
    try:
        with service.db.write() as s:
            row = queries.get_letter(s, letter_id)
            try:
                patch = correction_patch(row.data, field, value)
            except (KeyError, IndexError, ValueError, TypeError, AttributeError):
                raise InvalidRequest(f"Không có trường {field!r} để sửa.") from None
            correct_letter(s, letter_id, patch, viewer.caller.name)
    except NotFound:
        raise
    except CongvanError as exc:
        # Shown beside the field, with the value the clerk typed kept in the form.
        with service.db.read() as s:
            context = letter_context(s, request, viewer, letter_id)
        message, detail = explain(exc.code, exc.message)
        return page(request, "letter.html", viewer, status=422, error=message, error_detail=detail,
                    error_pointer=field, error_value=value, **context)
    queries.PARTY_KEYS.invalidate()
    return RedirectResponse(f"/van-ban/{letter_id}?da_sua={field}#f-{slug(field)}", status_code=303)

