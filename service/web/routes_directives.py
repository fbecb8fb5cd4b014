"""Directives across letters: filter by body, deadline and state; overdue marked; export."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response

from .. import queries
from ..auth import Right
from . import session
from .core import PageRoute, needs, page, service_of
from .directives import STATES, state_bounds, state_of

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Reader = Annotated[session.Viewer, Depends(needs(Right.QUERY))]
PER_PAGE = 50


def _tighter(a: str | None, b: str | None, later: bool) -> str | None:
    if not a or not b:
        return a or b
    return max(a, b) if later else min(a, b)


def directive_filters(don_vi: str, tu_ngay: str, den_ngay: str, tinh_trang: str, van_ban: str,
                      q: str, today: date) -> dict[str, Any]:
    """The page's filters as `queries.list_directives` arguments (a state narrows the dates)."""
    after, before = state_bounds(tinh_trang, today)
    letter = int(van_ban) if van_ban.strip().isdigit() else None
    return {"assignee": don_vi.strip() or None,
            "due_after": _tighter(tu_ngay.strip() or None, after, later=True),
            "due_before": _tighter(den_ngay.strip() or None, before, later=False),
            "letter": letter, "q": q.strip() or None}


@router.get("/chi-dao")
def directives(request: Request, viewer: Reader, don_vi: str = "", tu_ngay: str = "", den_ngay: str = "",
               tinh_trang: str = "", van_ban: str = "", q: str = "", trang: int = 1) -> Response:
    today = date.today()
    trang = max(trang, 1)
    args = directive_filters(don_vi, tu_ngay, den_ngay, tinh_trang, van_ban, q, today)
    with service_of(request).db.read() as s:
        found = queries.list_directives(s, **args, page=queries.Page(PER_PAGE, (trang - 1) * PER_PAGE))
    for item in found["items"]:
        item["state"] = state_of(item["deadline"], today)
        item["state_text"] = STATES.get(item["state"] or "", "Không có hạn")
    shown = {"don_vi": don_vi, "tu_ngay": tu_ngay, "den_ngay": den_ngay, "tinh_trang": tinh_trang,
             "van_ban": van_ban, "q": q}
    export_query = urlencode({k: v for k, v in shown.items() if v})
    pages = max(1, -(-found["total"] // PER_PAGE))
    return page(request, "directives.html", viewer, found=found, filters=shown, states=STATES, trang=trang,
                pages=pages, export_query=export_query)
