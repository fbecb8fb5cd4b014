"""Pilots (thí điểm): the list, one pilot with its directives and letters, and the clerk's
decisions on suggested links (confirm or reject), through the same `links.views` as the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from ..auth import Right
from ..errors import InvalidRequest
from ..links import views
from ..models import RowId
from . import session
from .core import PageRoute, check_form_token, needs, page, service_of
from .labels import PILOT_STATES

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Reader = Annotated[session.Viewer, Depends(needs(Right.QUERY))]
Corrector = Annotated[session.Viewer, Depends(needs(Right.CORRECT))]
DECISIONS = {"xac-nhan": "confirmed", "bac-bo": "rejected"}


@router.get("/thi-diem")
def pilots(request: Request, viewer: Reader, tinh_trang: str = "") -> Response:
    status = tinh_trang if tinh_trang in PILOT_STATES else None
    with service_of(request).db.read() as s:
        found = views.list_pilots(s, status)
    return page(request, "pilots.html", viewer, pilots=found["items"], chosen=status or "",
                states=PILOT_STATES)


@router.get("/thi-diem/{pilot_id}")
def pilot(request: Request, viewer: Reader, pilot_id: RowId, da_chon: str = "") -> Response:
    with service_of(request).db.read() as s:
        detail = views.pilot_detail(s, pilot_id)
    return page(request, "pilot.html", viewer, pilot=detail, states=PILOT_STATES, decided=da_chon)


@router.post("/thi-diem/{pilot_id}/quyet-dinh")
def decide(request: Request, viewer: Corrector, pilot_id: RowId, directive: Annotated[RowId, Form()],
           decision: Annotated[str, Form()], token: Annotated[str, Form(alias="_token")] = "") -> Response:
    check_form_token(viewer, token)
    if decision not in DECISIONS:
        raise InvalidRequest("Chỉ có thể xác nhận hoặc bác bỏ.")
    with service_of(request).db.write() as s:
        views.decide(s, directive, pilot_id, DECISIONS[decision], viewer.caller.name)
    return RedirectResponse(f"/thi-diem/{pilot_id}?da_chon={decision}", status_code=303)
