"""schemathesis against the running service's own OpenAPI schema, over HTTP on loopback.

Every operation is fuzzed with valid and invalid inputs (schemathesis' positive and
negative modes) under a key of each role, a well-formed key that does not exist and no
key at all. No answer may be a 5xx; without a valid key every route but `/healthz`
answers 401 (or 400 when the body is not JSON at all). Path parameters are also pointed
at a letter that exists, so the fuzzed bodies reach real rows and not only 404s.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import schemathesis
from conftest import ROOT, Server
from consistency import rows
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from live import live, seed_letter  # noqa: F401 (a fixture)
from schemathesis import GenerationMode

OPEN = {("GET", "/healthz")}
VALID_EXAMPLES = 6  # per operation and role (positive and negative inputs mixed)
INVALID_EXAMPLES = 3  # per operation, for a wrong key and for none: every one must be a 401
LOOPBACK_HOOK = "http://127.0.0.1:9/fuzz"  # webhooks registered by the fuzzer point nowhere


def _identities(server: Server) -> dict[str, dict[str, str]]:
    ids = {role: {"Authorization": f"Bearer {key}"} for role, key in server.keys.items()}
    ids["wrong-key"] = {"Authorization": "Bearer cv_" + "A" * 43}
    ids["no-key"] = {}
    return ids


def _strategy(op: schemathesis.APIOperation, letter_id: int) -> st.SearchStrategy[Any]:
    modes = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        try:
            modes.append(op.as_strategy(generation_mode=mode))
        except Exception:  # noqa: BLE001 - an operation without inputs has no negative form
            continue
    return st.tuples(st.one_of(*modes), st.booleans()).map(lambda pair: _aimed(*pair, letter_id))


def _aimed(case: schemathesis.Case, at_real_rows: bool, letter_id: int) -> schemathesis.Case:
    if at_real_rows:
        for name, value in list((case.path_parameters or {}).items()):
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                case.path_parameters[name] = letter_id  # type: ignore[index]
    if case.operation.path == "/api/webhooks" and isinstance(case.body, dict) and "url" in case.body:
        case.body["url"] = LOOPBACK_HOOK  # the dispatcher must never call out of this machine
    return case


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    open_routes: set[str] = field(default_factory=set)


def _fuzz(server: Server, op: schemathesis.APIOperation, who: str, headers: dict[str, str], examples: int,
          letter_id: int, tally: Tally) -> None:
    key = (op.method.upper(), op.path)

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=_strategy(op, letter_id))
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=server.url, headers=headers, timeout=60)
        tally.counts["requests"] += 1
        tally.counts[f"{response.status_code // 100}xx"] += 1
        if response.status_code >= 500:
            tally.server_errors.append(f"{who} {key}: {response.status_code} {response.text[:200]}")
        # Without a valid key: 401, or 400 for a body that is not even JSON (parsed before
        # the key is looked at; it tells nothing). Never data, never a 403/404 that probes rows.
        if who in ("wrong-key", "no-key") and key not in OPEN and response.status_code not in (400, 401):
            tally.open_routes.add(f"{who} {key}: {response.status_code}")

    run()


def test_no_5xx_and_no_route_open_without_a_key(live: Server) -> None:  # noqa: F811
    letter_id = seed_letter(live)
    with live.client("clerk") as clerk:  # a human correction too, so the audit log holds both kinds
        assert clerk.patch(f"/api/letters/{letter_id}", json={"subject": "Về việc thử"}).status_code == 200
    audit_before = rows(live, "SELECT * FROM audit_log ORDER BY id")
    raw = live.client(None).get("/openapi.json").raise_for_status().json()
    schema = schemathesis.openapi.from_dict(raw)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    tally = Tally()
    for who, headers in _identities(live).items():
        examples = INVALID_EXAMPLES if who in ("wrong-key", "no-key") else VALID_EXAMPLES
        for op in operations:
            _fuzz(live, op, who, headers, examples, letter_id, tally)

    # Found by this fuzzing once: a CSV with a bare carriage return in a field (was a 500).
    with live.client("clerk") as clerk:
        csv_file = ("p.csv", b"solution,notes\r\na\rb,c\n", "text/csv")
        r = clerk.post("/api/pilots/import", files=[("file", csv_file)])
        assert r.status_code == 422 and r.json()["error"] == "invalid-request", r.text
    assert live.client(None).get("/healthz").status_code == 200
    # Append-only under fuzzing: every entry written before is still there, unchanged.
    assert rows(live, "SELECT * FROM audit_log ORDER BY id")[: len(audit_before)] == audit_before
    counts = tally.counts
    figures = ROOT / "tests" / "artifacts" / "robustness-fuzz.json"
    figures.parent.mkdir(exist_ok=True)
    figures.write_text(json.dumps({"operations": len(operations), **counts}, indent=1))
    print(f"schemathesis: {len(operations)} operations, {dict(counts)}")
    assert tally.server_errors == [], "\n".join(tally.server_errors[:20])
    assert tally.open_routes == set(), sorted(tally.open_routes)
    assert counts["requests"] >= len(operations) * (4 * VALID_EXAMPLES // 2 + 2)


BIG_NUMBERS = (2**31, 10**30)  # past PostgreSQL's INTEGER, and past any 64-bit integer


def test_numbers_past_the_database_integer_are_refused_not_a_500(live: Server) -> None:  # noqa: F811
    """Found by the fuzzing above once it ran on PostgreSQL (the scale-out pass): a pilot id past
    2**31 - 1 failed the query there (500), and on SQLite a number past 64 bits did. Every id
    in a path, and every id or page filter, is now refused as an invalid request (422)."""
    raw = live.client(None).get("/openapi.json").raise_for_status().json()
    paths = [(method.upper(), path) for path, item in raw["paths"].items() for method, op in item.items()
             if [p for p in op.get("parameters", []) if p["in"] == "path"]
             and all(p["schema"].get("type") == "integer" for p in op["parameters"] if p["in"] == "path")]
    assert len(paths) >= 20
    refused: dict[tuple[str, str], set[int]] = {}
    for method, path in paths:
        for big in BIG_NUMBERS:
            concrete = re.sub(r"\{[^}]+\}", str(big), path)
            for role in ("clerk", "auditor"):  # between them, every right a route with an id needs
                body = {"name": "x"} if method in ("PATCH", "POST") else None
                with live.client(role) as c:
                    r = c.request(method, concrete, json=body)
                assert r.status_code < 500, (role, method, concrete, r.status_code, r.text[:200])
                if r.status_code == 422 and r.json()["error"] == "invalid-request":
                    refused.setdefault((method, path), set()).add(big)
    assert [p for p in paths if refused.get(p) != set(BIG_NUMBERS)] == []
    with live.client("clerk") as c:
        for big in BIG_NUMBERS:
            for query in (f"/api/directives?letter={big}", f"/api/directives/export?letter={big}"):
                r = c.get(query)
                assert r.status_code == 422 and r.json()["error"] == "invalid-request", (query, r.text[:200])
        r = c.get(f"/api/letters?offset={10**30}")
        assert r.status_code == 422 and r.json()["error"] == "invalid-request", r.text[:200]
    # The web pages, signed in as a clerk: refused or nothing found, never a 500.
    pages = ["/van-ban/{n}", "/van-ban/{n}/trang/1", "/van-ban/1/trang/{n}", "/van-ban?trang={n}",
             "/chi-dao?trang={n}", "/chi-dao?van_ban={n}", "/chi-dao/xuat?van_ban={n}", "/thi-diem/{n}",
             "/tai-len?viec={n}", "/tai-len/viec/{n}", "/truy-vet/van-ban/{n}", "/truy-vet/nhiem-vu/{n}"]
    for role in ("clerk", "auditor"):
        cookie = {"Cookie": f"congvan_phien={_web_session(live, live.keys[role])}"}
        for big in BIG_NUMBERS:
            for page in pages:
                r = httpx.get(live.url + page.format(n=big), headers=cookie, follow_redirects=False)
                assert r.status_code < 500, (role, page, big, r.status_code, r.text[:200])
    assert live.client(None).get("/healthz").status_code == 200


def _web_session(server: Server, key: str) -> str:
    with httpx.Client(base_url=server.url, follow_redirects=False) as c:
        form = c.get("/dang-nhap")
        nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
        assert nonce, form.text
        c.cookies.clear()  # the nonce cookie goes by hand: it is Secure, which httpx keeps off plain HTTP
        r = c.post("/dang-nhap", data={"key": key, "nonce": nonce.group(1), "tiep": "/"},
                   headers={"Cookie": f"congvan_dn={form.cookies['congvan_dn']}"})
    header = next(h for h in r.headers.get_list("set-cookie") if h.startswith("congvan_phien="))
    return header.split(";", 1)[0].split("=", 1)[1]
