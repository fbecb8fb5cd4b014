"""Keys and roles over HTTP: 401 without or with a wrong key, 403 for a role
without the right, for every route group; only /healthz is open."""

from __future__ import annotations

import subprocess

import pytest
from conftest import PYTHON, ROOT, Server

# (group, method, path, body): ids that do not exist are fine, since an allowed
# role then gets 404/422, which proves it passed authentication and authorisation.
ROUTES = [
    ("upload", "POST", "/api/letters", None),
    ("reextract", "POST", "/api/letters/999/reextract", None),
    ("correct", "PATCH", "/api/letters/999", {"subject": "x"}),
    ("jobs", "GET", "/api/jobs/999", None),
    ("letters", "GET", "/api/letters", None),
    ("letter", "GET", "/api/letters/999", None),
    ("pages", "GET", "/api/letters/999/pages/1", None),
    ("directives", "GET", "/api/directives", None),
    ("directive", "GET", "/api/directives/999", None),
    ("history", "GET", "/api/letters/999/history", None),
    ("trace", "GET", "/api/letters/999/trace", None),
    ("keys-list", "GET", "/api/keys", None),
    ("keys-create", "POST", "/api/keys", {"role": "reader", "name": "made-in-test"}),
    ("keys-revoke", "DELETE", "/api/keys/nobody", None),
]
ALLOWED = {
    "upload": {"clerk"}, "reextract": {"clerk"}, "correct": {"clerk"},
    "jobs": {"clerk", "reader", "auditor"}, "letters": {"clerk", "reader", "auditor"},
    "letter": {"clerk", "reader", "auditor"}, "pages": {"clerk", "reader", "auditor"},
    "directives": {"clerk", "reader", "auditor"}, "directive": {"clerk", "reader", "auditor"},
    "history": {"auditor", "clerk"}, "trace": {"auditor"},
    "keys-list": {"admin"}, "keys-create": {"admin"}, "keys-revoke": {"admin"},
}
ROLES = ("clerk", "reader", "auditor", "admin")


def _call(server: Server, method: str, path: str, body: object, headers: dict[str, str]) -> tuple[int, dict]:
    with server.client(None) as c:
        if path == "/api/letters" and method == "POST":
            r = c.post(path, files=[("files", ("a.png", b"not really a png", "image/png"))], headers=headers)
        else:
            r = c.request(method, path, json=body, headers=headers)
    return r.status_code, r.json()


def test_every_route_group_refuses_without_key_wrong_key_and_wrong_role(server: Server) -> None:
    with server.client(None) as c:
        assert c.get("/healthz").status_code == 200
    failures = []
    for group, method, path, body in ROUTES:
        for label, headers in (("no key", {}), ("wrong key", {"Authorization": "Bearer cv_wrong"}),
                               ("not bearer", {"Authorization": "Basic dXNlcjpwYXNz"})):
            status, payload = _call(server, method, path, body, headers)
            if status != 401 or payload.get("error") != "unauthorized":
                failures.append(f"{group} {label}: {status} {payload}")
        for role in ROLES:
            auth = {"Authorization": f"Bearer {server.keys[role]}"}
            status, payload = _call(server, method, path, body, auth)
            if role in ALLOWED[group]:
                if status in (401, 403):
                    failures.append(f"{group} as {role}: refused with {status}")
            elif status != 403 or payload.get("error") != "forbidden":
                failures.append(f"{group} as {role}: {status} {payload}, expected 403")
    assert not failures, "\n".join(failures)


def test_admin_creates_and_revokes_keys_over_http(server: Server) -> None:
    admin = server.client("admin")
    r = admin.post("/api/keys", json={"role": "reader", "name": "dashboard"})
    assert r.status_code == 201, r.text
    key = r.json()["key"]
    assert server.client(key=key).get("/api/letters").status_code == 200
    listed = admin.get("/api/keys").json()
    assert {"name": "dashboard", "role": "reader"} in [{"name": k["name"], "role": k["role"]} for k in listed]
    assert all("key" not in k and "key_hash" not in k for k in listed)
    assert admin.post("/api/keys", json={"role": "reader", "name": "dashboard"}).status_code == 422
    assert admin.post("/api/keys", json={"role": "king", "name": "x"}).status_code == 422
    assert admin.delete("/api/keys/dashboard").status_code == 200
    assert server.client(key=key).get("/api/letters").status_code == 401


def test_cli_prints_key_once_and_database_keeps_only_its_hash(server: Server) -> None:
    env = server.env()
    create = ["keys", "create", "--role", "clerk", "--name", "scanner-1"]
    out = subprocess.run([PYTHON, "-m", "service.cli", *create], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    key = out.stdout.strip()
    assert key.startswith("cv_") and len(key) > 30
    assert server.client(key=key).get("/api/letters").status_code == 200
    listing = subprocess.run([PYTHON, "-m", "service.cli", "keys", "list"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
    assert "scanner-1\tclerk" in listing.stdout and key not in listing.stdout

    import hashlib

    import sqlalchemy as sa

    engine = sa.create_engine(server.database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT key_hash FROM api_keys WHERE name = 'scanner-1'")).all()
    engine.dispose()
    assert rows == [(hashlib.sha256(key.encode()).hexdigest(),)]
    bad = subprocess.run([PYTHON, "-m", "service.cli", "keys", "create", "--role", "king", "--name", "x"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0


@pytest.mark.parametrize("path", ["/docs", "/openapi.json"])
def test_api_description_is_open_and_holds_no_data(server: Server, path: str) -> None:
    with server.client(None) as c:
        assert c.get(path).status_code == 200
