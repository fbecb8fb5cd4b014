"""What every page shares: templates, the signed-in viewer, role checks, form tokens, errors.

Pages call the same query and store functions as the JSON API, in process; the
only thing that differs is how the key arrives (a session cookie instead of a
header) and how errors look (an HTML page, or JSON for the upload script).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from ingest.errors import CongvanError

from ..auth import Right, authenticate
from ..errors import Forbidden
from . import session
from .labels import (
    PILOT_STATES,
    ROLE_NAMES,
    explain,
    field_label,
    letter_number,
    show_value,
    vn_date,
    vn_time,
)

if TYPE_CHECKING:  # the API module mounts these pages: importing it here would be circular
    from ..api import Service

HERE = Path(__file__).parent


def pager_query(params: Any, number: int) -> str:
    """The current query string with `trang` (page number) set to `number`."""
    items = [(k, v) for k, v in params.multi_items() if k != "trang"]
    return urlencode([*items, ("trang", str(number))])


templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["vn_date"] = vn_date
templates.env.filters["vn_time"] = vn_time
templates.env.filters["field_label"] = field_label
templates.env.filters["show_value"] = show_value
templates.env.filters["pager"] = pager_query
templates.env.filters["letter_number"] = letter_number
templates.env.globals["ROLE_NAMES"] = ROLE_NAMES
templates.env.globals["PILOT_STATES"] = PILOT_STATES

# Pages run no inline script or style: the CSP forbids both, so an injected value cannot run.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


class SignInRequired(Exception):
    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class BadFormToken(CongvanError):
    code = "bad-form-token"
    http_status = 403
    exit_code = 7


def service_of(request: Request) -> Service:
    return request.app.state.service  # type: ignore[no-any-return]


def secret_of(request: Request) -> bytes:
    state = request.app.state
    if getattr(state, "web_secret", None) is None:
        state.web_secret = session.load_secret(service_of(request).settings.data_dir)
    return state.web_secret  # type: ignore[no-any-return]


async def current_viewer(request: Request) -> session.Viewer:
    cookie = request.cookies.get(session.COOKIE)
    secret = secret_of(request)
    key = session.unseal(secret, cookie)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if key is None or cookie is None:
        raise SignInRequired(here)
    try:
        caller = await run_in_threadpool(authenticate, service_of(request).db, f"Bearer {key}")
    except CongvanError:
        raise SignInRequired(here) from None  # revoked since sign-in
    return session.Viewer(caller=caller, csrf=session.form_token(secret, cookie))


Viewer = Annotated[session.Viewer, Depends(current_viewer)]


def needs(right: Right) -> Callable[..., Awaitable[session.Viewer]]:
    async def dependency(viewer: Viewer) -> session.Viewer:
        if not viewer.can(right):
            raise Forbidden(f"vai trò {ROLE_NAMES[viewer.role]} không được làm việc này")
        return viewer

    return dependency


def check_form_token(viewer: session.Viewer, token: str | None) -> None:
    import hmac

    if not token or not hmac.compare_digest(token, viewer.csrf):
        raise BadFormToken("phiên làm việc đã đổi; hãy tải lại trang rồi gửi lại")


async def _viewer_or_none(request: Request) -> session.Viewer | None:
    """The signed-in viewer for an error page's menu, so a refused page is no dead end."""
    try:
        return await current_viewer(request)
    except (SignInRequired, CongvanError):
        return None


def page(request: Request, name: str, viewer: session.Viewer | None, status: int = 200,
         **context: Any) -> HTMLResponse:
    context.update(viewer=viewer, today=date.today().isoformat(), path=request.url.path)
    response = templates.TemplateResponse(request, name, context, status_code=status)
    return response


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


class PageRoute(APIRoute):
    """Turns errors into a Vietnamese error page (or JSON for scripts) and adds security headers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInRequired as exc:
                if wants_json(request):
                    response = JSONResponse({"error": "unauthorized", "message": "hãy đăng nhập lại"}, 401)
                else:
                    response = RedirectResponse(f"/dang-nhap?tiep={quote(exc.next_url, safe='')}", 303)
            except CongvanError as exc:
                message, detail = explain(exc.code, exc.message)
                if wants_json(request):
                    response = JSONResponse({"error": exc.code, "message": message, "detail": detail},
                                            exc.http_status)
                else:
                    viewer = await _viewer_or_none(request)
                    response = page(request, "error.html", viewer, status=exc.http_status,
                                    code=exc.http_status, message=message, detail=detail)
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "same-origin")
            if "text/html" in response.headers.get("content-type", ""):
                # Pages hold letters: keep them out of shared caches.
                response.headers.setdefault("Cache-Control", "no-store")
            return response

        return route
