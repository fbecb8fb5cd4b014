"""Sign-in with an API key, sign-out, and the home page that sends each role to its work."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from ingest.errors import CongvanError

from ..auth import Right, authenticate
from . import session
from .core import (
    PageRoute,
    SignInRequired,
    Viewer,
    check_form_token,
    current_viewer,
    page,
    secret_of,
    service_of,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

# Before sign-in there is no session to bind a form token to: a random value in a
# short-lived cookie must come back in the form (double submit), so another site
# cannot sign a browser in under its own key.
LOGIN_NONCE = "congvan_dn"


def _safe_next(target: str | None) -> str:
    """Only paths on this site: `//evil.example` or `https://...` would make sign-in an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, secure=True, samesite="strict", path="/")


@router.get("/dang-nhap")
def sign_in_form(request: Request, tiep: str | None = None) -> Response:
    nonce = secrets.token_urlsafe(16)
    response = page(request, "login.html", None, next=_safe_next(tiep), nonce=nonce)
    _cookie(response, LOGIN_NONCE, nonce, 1800)
    return response


@router.post("/dang-nhap")
async def sign_in(request: Request, key: Annotated[str, Form()] = "", tiep: Annotated[str, Form()] = "/",
                  nonce: Annotated[str, Form()] = "") -> Response:
    expected = request.cookies.get(LOGIN_NONCE, "")
    error = None
    if not expected or not hmac.compare_digest(expected, nonce):
        error = "Trang đăng nhập đã cũ. Hãy nhập lại khoá."
    else:
        try:
            await run_in_threadpool(authenticate, service_of(request).db, f"Bearer {key.strip()}")
        except CongvanError:
            error = "Khoá không đúng hoặc đã bị thu hồi."
    if error:
        fresh = secrets.token_urlsafe(16)
        refused = page(request, "login.html", None, status=401, next=_safe_next(tiep), nonce=fresh,
                       error=error)
        _cookie(refused, LOGIN_NONCE, fresh, 1800)
        return refused
    signed_in = RedirectResponse(_safe_next(tiep), status_code=303)
    _cookie(signed_in, session.COOKIE, session.seal(secret_of(request), key.strip()), session.MAX_AGE)
    signed_in.delete_cookie(LOGIN_NONCE, path="/")
    return signed_in


@router.post("/dang-xuat")
def sign_out(viewer: Viewer, token: Annotated[str, Form(alias="_token")] = "") -> Response:
    check_form_token(viewer, token)
    response = RedirectResponse("/dang-nhap", status_code=303)
    response.delete_cookie(session.COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


@router.get("/")
async def home(request: Request) -> Response:
    try:
        viewer = await current_viewer(request)
    except SignInRequired:
        return RedirectResponse("/dang-nhap", status_code=303)
    if viewer.can(Right.UPLOAD):
        return RedirectResponse("/tai-len", status_code=303)
    if viewer.can(Right.QUERY):
        return RedirectResponse("/van-ban", status_code=303)
    return page(request, "admin.html", viewer)
