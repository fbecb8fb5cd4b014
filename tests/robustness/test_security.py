"""Security properties over a service started the production way (`congvan serve`, INFO logs):

- API keys are stored as SHA-256 digests only, and compared in constant time;
- CORS is closed: no `Access-Control-Allow-*` header for another origin, preflight or not;
- no route (JSON API or web page) answers without a key, but `/healthz` and the sign-in page;
- the logs hold neither a key nor the content of an uploaded file;
- the audit log is append-only: no route or command edits it, and the database refuses it.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from conftest import CELERY, CELERY_WORKERS, PYTHON, ROOT, Server, free_port, fresh_database
from consistency import rows, upload, wait_all
from live import seed_letter

from service import auth
from service.cli import build_parser

OPEN_PATHS = {"/healthz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/dang-nhap"}
MARKER = f"NOI-DUNG-MAT-{uuid.uuid4().hex}"  # file content that must never reach a log


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`congvan serve` (the command an operator runs, INFO logging) on a free loopback port; in
    the scale-out pass, with its `congvan worker` processes (INFO logging too)."""
    tmp = tmp_path_factory.mktemp("served")
    (tmp / "data").mkdir(parents=True)
    with fresh_database(tmp / "data") as url:
        server = Server(data_dir=tmp / "data", database_url=url)
        server.port = free_port()
        server.log_path = tmp / f"server-{server.port}.log"
        try:
            with open(server.log_path, "wb") as log:
                server.proc = subprocess.Popen([PYTHON, "-m", "service.cli", "serve", "--host", "127.0.0.1",
                                                "--port", str(server.port)], cwd=ROOT, env=server.env(),
                                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{server.url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline and server.proc.poll() is None, server.log()
                time.sleep(0.2)
            if CELERY:
                server.start_workers(CELERY_WORKERS)
            server.create_keys()
            yield server
        finally:
            server.crash()


def web_and_api_routes() -> list[tuple[str, str]]:
    """(method, path) of every route the app serves, walking into included routers (web pages,
    links, interchange), whether or not they are in the OpenAPI schema."""
    from service.api import create_app
    from service.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/routes.db", workers=1,
                            max_files=3, job_lease_seconds=3, open_docs=True)
        app = create_app(settings, run_jobs=False)
        out = {(method, path) for method, path in _walk(app.routes) if method != "HEAD"}
        app.state.service.db.dispose()
    return sorted(out)


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _walk(inner.routes, prefix + route.include_context.prefix)
            continue
        for method in getattr(route, "methods", None) or ():
            yield method, prefix + route.path


# -- keys ------------------------------------------------------------------------------------------


def test_keys_are_stored_hashed_and_compared_in_constant_time(served: Server) -> None:
    stored = rows(served, "SELECT * FROM api_keys")
    assert len(stored) == 4
    every_value = " ".join(str(v) for row in stored for v in row)
    for key in served.keys.values():
        assert key not in every_value
        assert hashlib.sha256(key.encode()).hexdigest() in every_value
    # The comparison: hmac.compare_digest on the stored digest, never `==` on the key itself (the
    # SQL lookup by digest is an index search on a hash of the key, which tells a guesser nothing).
    source = inspect.getsource(auth.authenticate)
    assert re.search(r"hmac\.compare_digest\(\s*\w+\.key_hash", source)
    assert not re.search(r"\bkey\s*==|==\s*key\b", source)
    with served.client("reader") as c:
        assert c.get("/api/letters").status_code == 200
    with served.client(None, key=served.keys["reader"][:-1] + "x") as c:
        assert c.get("/api/letters").status_code == 401


# -- CORS ------------------------------------------------------------------------------------------


def test_cors_is_closed_to_other_origins(served: Server) -> None:
    evil = "http://evil.example"
    with served.client("reader") as c:
        answers = [
            c.options("/api/letters", headers={"Origin": evil, "Access-Control-Request-Method": "GET",
                                               "Access-Control-Request-Headers": "authorization"}),
            c.get("/api/letters", headers={"Origin": evil}),
            c.get("/healthz", headers={"Origin": evil}),
            c.post("/api/letters", headers={"Origin": evil}, files=[("files", ("a.png", b"x", "image/png"))]),
            c.get("/van-ban", headers={"Origin": evil}),
        ]
    for r in answers:
        allowing = [h for h in r.headers if h.lower().startswith("access-control-")]
        assert allowing == [], (r.request.url, r.headers)
    assert answers[1].status_code == 200  # the request itself is fine: browsers are what CORS stops


# -- routes without a key --------------------------------------------------------------------------


def test_no_route_answers_without_a_key(served: Server) -> None:
    routes = web_and_api_routes()
    assert len(routes) >= 50
    checked = 0
    with httpx.Client(base_url=served.url, timeout=30, follow_redirects=False) as anyone:
        for method, path in routes:
            if path in OPEN_PATHS or path.startswith("/static"):
                continue
            concrete = re.sub(r"\{[^}]+\}", "1", path)
            r = anyone.request(method, concrete)
            checked += 1
            if path.startswith("/api/"):
                assert r.status_code in (400, 401), (method, path, r.status_code, r.text[:200])
            else:  # a web page: sent to the sign-in page, never rendered
                assert r.status_code in (302, 303, 307, 401, 403), (method, path, r.status_code)
                if r.is_redirect:
                    assert r.headers["location"].split("?")[0].endswith("/dang-nhap"), r.headers
    assert checked >= 45


# -- logs ------------------------------------------------------------------------------------------


def test_logs_hold_no_key_and_no_file_content(served: Server) -> None:
    clerk = served.client("clerk")
    secret_html = f"<html><body>{MARKER}</body></html>".encode()
    secret_png = b"\x89PNG\r\n\x1a\n" + MARKER.encode() * 50
    r = upload(clerk, ("mat.png", secret_html), ("mat2.png", secret_png))
    assert r.status_code == 202, r.text
    jobs = [entry["job"] for entry in r.json()]
    seed_letter(served)
    wrong = "cv_" + uuid.uuid4().hex
    with served.client(None, key=wrong) as c:
        assert c.get("/api/letters").status_code == 401
    for role in served.keys:
        with served.client(role) as c:
            c.get("/api/letters")
    final = wait_all(served.client("reader"), jobs, timeout=120)
    assert all(job["state"] == "failed" for job in final.values())
    assert all(MARKER not in (job["reason"] or "") for job in final.values())  # reasons name, not quote

    log = Path(served.log_path).read_text(errors="replace")  # type: ignore[arg-type]
    assert "GET /api/letters" in log  # INFO access lines are there: the check below has something to look at
    if CELERY:  # the jobs ran in the `congvan worker` processes: their logs too
        workers = served.worker_logs()
        assert "Task congvan.job" in workers and "succeeded" in workers, workers[-3000:]
        log += workers
    for key in [*served.keys.values(), wrong]:
        assert key not in log and key[3:20] not in log
    assert MARKER not in log and MARKER[:20] not in log
    assert "Traceback" not in log


# -- the audit log -----------------------------------------------------------------------------------


def test_no_route_or_command_rewrites_the_audit_log(served: Server) -> None:
    for method, path in web_and_api_routes():
        if method in ("PUT", "PATCH", "DELETE"):
            assert not re.search(r"history|audit|trace|lich-su|truy-vet", path), (method, path)
    parser = build_parser()
    commands = _command_names(parser)
    assert "serve" in commands and "keys" in commands
    assert not [c for c in commands if re.search(r"audit|history|purge|rewrite|truncate", c)], commands
    # No code path of the service issues an UPDATE or DELETE on audit entries.
    pattern = re.compile(r"(update|delete)\(\s*AuditEntry|(UPDATE|DELETE\s+FROM)\s+audit_log", re.IGNORECASE)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "service").rglob("*.py")
                 if "migrations" not in p.parts and pattern.search(p.read_text())]
    assert offenders == []


def test_database_refuses_to_edit_the_audit_log(served: Server) -> None:
    letter_id = seed_letter(served)
    with served.client("clerk") as c:
        r = c.patch(f"/api/letters/{letter_id}", json={"subject": "Về việc kiểm thử nhật ký"})
        assert r.status_code == 200, r.text
    before = rows(served, "SELECT * FROM audit_log ORDER BY id")
    assert any(row.action == "correct" for row in before)
    engine = sa.create_engine(served.database_url)
    try:
        for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()
    assert rows(served, "SELECT * FROM audit_log ORDER BY id") == before


def _command_names(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    names = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                names.append(f"{prefix}{name}")
                names += _command_names(sub, f"{prefix}{name} ")
    return names


if __name__ == "__main__":  # pragma: no cover - a way to list the routes checked
    print("\n".join(f"{m} {p}" for m, p in web_and_api_routes()), file=sys.stderr)
