"""The links routes over HTTP: 401 without or with a wrong key, 403 for a role without the
right. Reading bodies and pilots is a query; trace and graph are history (auditor);
pilot edits, imports and decisions are corrections (clerk)."""

from __future__ import annotations

from conftest import Server

QUERY = {"clerk", "reader", "auditor"}
ROUTES = [
    # (method, path, body, roles allowed): ids that do not exist answer 404 to an allowed role.
    ("GET", "/api/directives/999/trace", None, {"auditor"}),
    ("GET", "/api/letters/999/graph", None, {"auditor"}),
    ("GET", "/api/letters/999/graph?format=svg", None, {"auditor"}),
    ("GET", "/api/letters/999/links", None, QUERY),
    ("GET", "/api/bodies", None, QUERY),
    ("GET", "/api/bodies/999", None, QUERY),
    ("GET", "/api/pilots", None, QUERY),
    ("GET", "/api/pilots/999", None, QUERY),
    ("GET", "/api/directives/999/pilots", None, QUERY),
    ("POST", "/api/pilots", {"solution": "Nền tảng thử"}, {"clerk"}),
    ("PATCH", "/api/pilots/999", {"status": "stopped"}, {"clerk"}),
    ("POST", "/api/pilots/import", "file", {"clerk"}),
    ("POST", "/api/directives/999/pilots/1/confirm", None, {"clerk"}),
    ("POST", "/api/directives/999/pilots/1/reject", None, {"clerk"}),
]
ROLES = ("clerk", "reader", "auditor", "admin")


def _call(server: Server, method: str, path: str, body: object, headers: dict[str, str]) -> tuple[int, dict]:
    with server.client(None) as c:
        if body == "file":
            csv = "solution,status\nNền tảng thử,proposed\n".encode()
            r = c.post(path, files={"file": ("p.csv", csv, "text/csv")}, headers=headers)
        else:
            r = c.request(method, path, json=body, headers=headers)
    return r.status_code, r.json()


def test_links_routes_refuse_without_key_wrong_key_and_wrong_role(server: Server) -> None:
    failures = []
    for method, path, body, allowed in ROUTES:
        for label, headers in (("no key", {}), ("wrong key", {"Authorization": "Bearer cv_wrong"})):
            status, payload = _call(server, method, path, body, headers)
            if status != 401 or payload.get("error") != "unauthorized":
                failures.append(f"{method} {path} {label}: {status} {payload}")
        for role in ROLES:
            auth = {"Authorization": f"Bearer {server.keys[role]}"}
            status, payload = _call(server, method, path, body, auth)
            if role in allowed:
                if status in (401, 403):
                    failures.append(f"{method} {path} as {role}: refused with {status}")
            elif status != 403 or payload.get("error") != "forbidden":
                failures.append(f"{method} {path} as {role}: {status} {payload}, expected 403")
    assert not failures, "\n".join(failures)


def test_pilots_import_and_links_rebuild_commands(server: Server) -> None:
    import subprocess

    from conftest import PYTHON, ROOT

    def congvan(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PYTHON, "-m", "service.cli", *args], cwd=ROOT, env=server.env(),
                              capture_output=True, text=True, timeout=120)

    imported = congvan("pilots", "import", "samples/pilots.csv")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip().endswith("9 created, 0 updated")
    pilots = server.client("reader").get("/api/pilots").json()["items"]
    assert len(pilots) == 9
    assert {p["status"] for p in pilots} == {"proposed", "piloting", "evaluated", "adopted", "stopped"}
    rebuilt = congvan("links", "rebuild")
    assert rebuilt.returncode == 0 and rebuilt.stdout.strip() == "links rebuilt for 0 letters", rebuilt.stderr
    bad = congvan("pilots", "import", "README.md")
    assert bad.returncode != 0 and "solution" in bad.stderr
