"""Directives across letters: filter by body, deadline and state; overdue marked; export."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select

from .. import queries
from ..auth import Right
from ..errors import InvalidRequest
from ..interchange.spreadsheet import rows_of, to_csv, to_xlsx
from ..interchange_api import EXPORT_MAX, XLSX
from ..links.tables import Body
from ..models import MAX_ROW_ID, RowId
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
    if letter is not None and letter > MAX_ROW_ID:
        letter = 0  # past every id: no letter has it, so no task either
    return {"assignee": don_vi.strip() or None,
            "due_after": _tighter(tu_ngay.strip() or None, after, later=True),
            "due_before": _tighter(den_ngay.strip() or None, before, later=False),
            "letter": letter, "q": q.strip() or None}


@router.get("/chi-dao")
def directives(request: Request, viewer: Reader, don_vi: str = "", tu_ngay: str = "", den_ngay: str = "",
               tinh_trang: str = "", van_ban: str = "", q: str = "", trang: RowId = 1) -> Response:
    today = date.today()
    trang = max(trang, 1)
    args = directive_filters(don_vi, tu_ngay, den_ngay, tinh_trang, van_ban, q, today)
    with service_of(request).db.read() as s:
        found = queries.list_directives(s, **args, page=queries.Page(PER_PAGE, (trang - 1) * PER_PAGE))
        # The registry's names as suggestions for the body filter (short forms work too).
        bodies = sorted(set(s.scalars(select(Body.name).where(Body.kind != "group").limit(2000))))
    for item in found["items"]:
        item["state"] = state_of(item["deadline"], today)
        item["state_text"] = STATES.get(item["state"] or "", "Không có hạn")
    shown = {"don_vi": don_vi, "tu_ngay": tu_ngay, "den_ngay": den_ngay, "tinh_trang": tinh_trang,
             "van_ban": van_ban, "q": q}
    export_query = urlencode({k: v for k, v in shown.items() if v})
    pages = max(1, -(-found["total"] // PER_PAGE))
    return page(request, "directives.html", viewer, found=found, filters=shown, states=STATES, trang=trang,
                pages=pages, export_query=export_query, bodies=bodies)


@router.get("/chi-dao/xuat")
def export(request: Request, viewer: Reader, format: str = "csv", don_vi: str = "", tu_ngay: str = "",
           den_ngay: str = "", tinh_trang: str = "", van_ban: str = "", q: str = "") -> Response:
    """The directives the table shows with these filters, in the interchange's CSV/XLSX columns."""
    if format not in ("csv", "xlsx"):
        raise InvalidRequest("Định dạng xuất là csv hoặc xlsx.")
    args = directive_filters(don_vi, tu_ngay, den_ngay, tinh_trang, van_ban, q, date.today())
    items: list[dict[str, Any]] = []
    with service_of(request).db.read() as s:
        while True:
            found = queries.list_directives(s, **args, page=queries.Page(queries.MAX_LIMIT, len(items)))
            if found["total"] > EXPORT_MAX:
                raise InvalidRequest(f"{found['total']} nhiệm vụ khớp; mỗi lần xuất tối đa {EXPORT_MAX}. "
                                     "Hãy thu hẹp điều kiện lọc.")
            items += found["items"]
            if not found["items"] or len(items) >= found["total"]:
                break
    rows = rows_of(items)
    name = f"nhiem-vu-{date.today().isoformat()}.{format}"
    body, media = (to_xlsx(rows), XLSX) if format == "xlsx" else (to_csv(rows), "text/csv; charset=utf-8")
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
