"""Sessions and forms of the web pages, over plain HTTP against a real server.

The cookie is sent by hand: it is `Secure`, and an HTTP client (unlike a browser on
127.0.0.1) keeps such cookies off plain-HTTP requests.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from conftest import Server

from service.web import session
from service.web.letter_view import correction_patch


def _sign_in(server: Server, key: str, next_path: str = "/") -> httpx.Response:
    with httpx.Client(base_url=server.url, follow_redirects=False) as c:
        form = c.get("/dang-nhap")
        nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
        assert nonce, form.text
        c.cookies.clear()  # the nonce cookie goes by hand: it is Secure, which httpx keeps off plain HTTP
        return c.post("/dang-nhap", data={"key": key, "nonce": nonce.group(1), "tiep": next_path},
                      headers={"Cookie": f"congvan_dn={form.cookies['congvan_dn']}"})


def _session_cookie(response: httpx.Response) -> str:
    header = next(h for h in response.headers.get_list("set-cookie") if h.startswith("congvan_phien="))
    assert "httponly" in header.lower() and "secure" in header.lower() and "samesite=strict" in header.lower()
    return header.split(";", 1)[0].split("=", 1)[1]


def _get(server: Server, path: str, cookie: str | None) -> httpx.Response:
    headers = {"Cookie": f"congvan_phien={cookie}"} if cookie else {}
    return httpx.get(server.url + path, headers=headers, follow_redirects=False)


def test_sign_in_session_and_sign_out(server: Server) -> None:
    # No session: the page sends to sign-in and remembers where it was going.
    r = _get(server, "/van-ban?q=abc", None)
    assert r.status_code == 303 and r.headers["location"] == "/dang-nhap?tiep=%2Fvan-ban%3Fq%3Dabc"

    # Sign-in only with the form's nonce (a forged cross-site sign-in has none).
    with httpx.Client(base_url=server.url) as c:
        refused = c.post("/dang-nhap", data={"key": server.keys["clerk"], "nonce": "x", "tiep": "/"})
    assert refused.status_code == 401 and "congvan_phien" not in refused.headers.get("set-cookie", "")
    assert _sign_in(server, "cv_wrong").status_code == 401

    signed = _sign_in(server, server.keys["reader"], "/van-ban")
    assert signed.status_code == 303 and signed.headers["location"] == "/van-ban"
    cookie = _session_cookie(signed)
    assert server.keys["reader"] not in cookie
    page = _get(server, "/van-ban", cookie)
    assert page.status_code == 200 and "Văn bản" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"

    # Sign-in never redirects off the site.
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        assert _sign_in(server, server.keys["reader"], target).headers["location"] == "/"

    # A tampered cookie, or one for a revoked key, is no session.
    body, issued, mac = cookie.split(".")
    assert _get(server, "/van-ban", f"{body}.{int(issued) + 1}.{mac}").status_code == 303
    with server.client("admin") as admin:
        admin.delete("/api/keys/test-reader").raise_for_status()
    assert _get(server, "/van-ban", cookie).status_code == 303

    # Sign-out needs the form token, then clears the cookie.
    clerk = _session_cookie(_sign_in(server, server.keys["clerk"]))
    upload_page = _get(server, "/tai-len", clerk)
    token = re.search(r'name="_token" value="([^"]+)"', upload_page.text)
    assert token
    headers = {"Cookie": f"congvan_phien={clerk}"}
    no_token = httpx.post(server.url + "/dang-xuat", headers=headers, follow_redirects=False)
    assert no_token.status_code == 403
    out = httpx.post(server.url + "/dang-xuat", headers=headers, data={"_token": token.group(1)},
                     follow_redirects=False)
    assert out.status_code == 303 and 'congvan_phien=""' in out.headers["set-cookie"]


def test_forms_need_the_token_and_the_right(server: Server, service_scan: bytes) -> None:
    clerk = _session_cookie(_sign_in(server, server.keys["clerk"]))
    reader = _session_cookie(_sign_in(server, server.keys["reader"]))
    page = _get(server, "/tai-len", clerk)
    token = re.search(r'name="_token" value="([^"]+)"', page.text)
    assert token
    files = {"files": ("a.png", b"\x89PNG\r\n\x1a\nnot really", "image/png")}

    # Without the token (what a cross-site form would send), nothing is accepted.
    r = httpx.post(server.url + "/tai-len", headers={"Cookie": f"congvan_phien={clerk}"}, files=files,
                   follow_redirects=False)
    assert r.status_code == 403
    # A reader's session cannot upload even with its own token.
    reader_page = _get(server, "/van-ban", reader)
    reader_token = re.search(r'name="_token" value="([^"]+)"', reader_page.text)
    assert reader_token
    r = httpx.post(server.url + "/tai-len", headers={"Cookie": f"congvan_phien={reader}",
                                                     "Accept": "application/json"},
                   data={"_token": reader_token.group(1)}, files=files)
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    # The clerk with the token: queued, as JSON for the upload script.
    r = httpx.post(server.url + "/tai-len", headers={"Cookie": f"congvan_phien={clerk}",
                                                     "Accept": "application/json",
                                                     "X-CSRF-Token": token.group(1)}, files=files)
    assert r.status_code == 202, r.text
    (job,) = r.json()
    status = httpx.get(f"{server.url}/tai-len/viec/{job['job']}",
                       headers={"Cookie": f"congvan_phien={clerk}", "Accept": "application/json"}).json()
    assert status["state"] in ("queued", "running", "failed") and 0 < status["percent"] <= 100
    # Without JavaScript the form posts and lands on the list of its jobs.
    r = httpx.post(server.url + "/tai-len", headers={"Cookie": f"congvan_phien={clerk}"},
                   data={"_token": token.group(1)}, files={"files": ("b.png", service_scan, "image/png")},
                   follow_redirects=False)
    assert r.status_code == 303 and re.fullmatch(r"/tai-len\?viec=\d+", r.headers["location"])


def test_cookie_seal() -> None:
    secret = b"s" * 32
    value = session.seal(secret, "cv_key", now=1000)
    assert session.unseal(secret, value, now=1000 + 60) == "cv_key"
    assert session.unseal(secret, value, now=1000 + session.MAX_AGE + 1) is None
    assert session.unseal(b"t" * 32, value, now=1000) is None
    assert session.unseal(secret, value.replace("Y3", "Y4", 1), now=1000) is None
    assert session.unseal(secret, None) is None and session.unseal(secret, "a.b") is None


@pytest.mark.parametrize(("pointer", "raw", "expected"), [
    ("/subject", "  Về việc   thử  ", {"subject": "Về việc thử"}),
    ("/subject", "   ", {"subject": None}),
    ("/recipients", "Sở A\n\n Sở B \n", {"recipients": ["Sở A", "Sở B"]}),
    ("/tasks/1/deadline", "2024-10-01", {"tasks": [{"text": "a", "deadline": None},
                                                   {"text": "b", "deadline": "2024-10-01"}]}),
    ("/tasks/0/assignees", "Sở X\nSở Y", {"tasks": [
        {"text": "a", "deadline": None, "assignees": ["Sở X", "Sở Y"]}, {"text": "b", "deadline": None}]}),
    ("/signer/name", "Nguyễn Văn A", {"signer": {"name": "Nguyễn Văn A"}}),
])
def test_correction_patch(pointer: str, raw: str, expected: dict[str, object]) -> None:
    data = {"subject": "cũ", "recipients": ["x"], "signer": None,
            "tasks": [{"text": "a", "deadline": None}, {"text": "b", "deadline": None}]}
    before = repr(data)
    assert correction_patch(data, pointer, raw) == expected
    assert repr(data) == before, "the served letter itself is not changed"


def test_session_secret_is_shared_and_private(tmp_path: Path) -> None:
    base = tmp_path
    first = session.load_secret(base)
    assert session.load_secret(base) == first and len(first) == 64
    assert (base / session.SECRET_FILE).stat().st_mode & 0o077 == 0


def test_low_confidence_regions_mark_their_values() -> None:
    from service.web.geometry import PageView
    from service.web.letter_view import attach_boxes, build_sections

    data = {"issuer": "Sở Tài chính", "recipients": ["Sở A", "Sở B"], "references": [{"number": "12/UBND"}]}
    evidence = {
        "/issuer": [{"page": 1, "bbox": [10, 20, 110, 40], "text": "SỞ TÀI CHÍNH", "confidence": 41.0,
                     "low_confidence": True}],
        "/recipients/1": [{"page": 1, "bbox": [10, 50, 60, 60], "text": "Sở B", "confidence": 96.0}],
        "/references/0/number": [{"page": 2, "bbox": [1, 1, 2, 2], "text": "on a page not served"}],
    }
    sections = build_sections(data, {0: None})
    boxes = attach_boxes(sections, evidence, [PageView(1, 2480, 3508)])
    assert [(b.pointer, b.item, b.low) for b in boxes] == [("/issuer", "v-issuer", True),
                                                           ("/recipients/1", "v-recipients-1", False)]
    rows = {r.pointer: r for sec in sections for r in sec.rows}
    assert rows["/issuer"].low and not rows["/recipients"].low
    assert [i.text for i in rows["/recipients"].items] == ["Sở A", "Sở B"]
    assert rows["/references/0/number"].link is None  # a placeholder: shown, not linked
