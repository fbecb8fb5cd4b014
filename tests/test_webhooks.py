"""Webhooks over HTTP against a real server and a real receiver on a loopback port:
signed events when a letter is done, corrected, or a directive's deadline is near;
a receiver that fails twice still handles each event exactly once by its event id;
a tampered body fails the signature check; deliveries are recorded and replayable;
retries back off and stop after the configured number of attempts."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Server, free_port, wait_job

from samples.generate import render_pdf
from service.webhooks import verify_signature


@dataclass
class Receiver:
    """A receiving system: checks the signature, fails its first `fail_first` requests,
    and handles each event once by its id (a repeat is acknowledged, not handled again)."""

    fail_first: int = 2
    secret: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)  # every request, with the answer given
    handled: list[dict[str, Any]] = field(default_factory=list)  # events acted on
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/congvan"

    def answer(self, body: bytes, headers: dict[str, str]) -> int:
        with self.lock:
            if not verify_signature(self.secret, body, headers.get("x-congvan-signature")):
                status = 401
            elif len([r for r in self.requests if r["status"] != 401]) < self.fail_first:
                status = 500
            else:
                status = 200
                event = json.loads(body)
                if event["id"] not in {e["id"] for e in self.handled}:
                    self.handled.append(event)
            self.requests.append({"body": body, "headers": headers, "status": status, "at": time.monotonic()})
            return status

    def events(self, kind: str) -> list[dict[str, Any]]:
        with self.lock:
            return [e for e in self.handled if e["type"] == kind]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = rec.answer(body, {k.lower(): v for k, v in self.headers.items()})
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rec.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield rec
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def hook_server(server_factory: Server) -> Server:
    server_factory.start(CONGVAN_WEBHOOK_BACKOFF_SECONDS="0.3", CONGVAN_WEBHOOK_POLL_SECONDS="0.1",
                         CONGVAN_WEBHOOK_MAX_ATTEMPTS="3", CONGVAN_DEADLINE_CHECK_SECONDS="0.5",
                         CONGVAN_DEADLINE_WINDOW_DAYS="3")
    server_factory.create_keys()
    return server_factory


def until(check: Callable[[], Any], timeout: float = 60, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or check}")


def test_events_are_signed_retried_handled_once_and_replayable(
        hook_server: Server, receiver: Receiver, service_letter_source: Path) -> None:
    reader, clerk = hook_server.client("reader"), hook_server.client("clerk")
    r = reader.post("/api/webhooks", json={"url": receiver.url})
    assert r.status_code == 201, r.text
    hook = r.json()
    receiver.secret = hook["secret"]
    assert hook["secret"].startswith("whsec_") and set(hook["events"]) == {
        "letter.done", "letter.corrected", "directive.deadline"}
    assert "secret" not in reader.get("/api/webhooks").json()[0]  # shown once, at registration

    # letter.done: the receiver fails the first two tries, the third is handled.
    upload = clerk.post("/api/letters", files=[("files", ("cv.pdf", render_pdf(service_letter_source),
                                                          "application/pdf"))]).json()[0]
    letter_id = wait_job(clerk, upload["job"])["letter"]
    (done,) = until(lambda: receiver.events("letter.done"), what="letter.done")
    assert done["data"]["letter"]["id"] == letter_id and done["data"]["job"] == upload["job"]
    assert done["data"]["arrival"]["number"] == upload["arrival"]["number"] == 1
    assert [q["status"] for q in receiver.requests[:3]] == [500, 500, 200]
    assert len({q["headers"]["x-congvan-event-id"] for q in receiver.requests[:3]}) == 1

    # letter.corrected, and directive.deadline once the deadline is within three days.
    tasks = clerk.get(f"/api/letters/{letter_id}").json()["tasks"]
    soon = (datetime.now(timezone(timedelta(hours=7))).date() + timedelta(days=2)).isoformat()
    tasks[0]["deadline"] = soon
    assert clerk.patch(f"/api/letters/{letter_id}", json={"tasks": tasks}).status_code == 200
    (corrected,) = until(lambda: receiver.events("letter.corrected"), what="letter.corrected")
    assert corrected["data"]["fields"] == ["tasks"] and corrected["data"]["letter"]["revision"] == 2
    (near,) = until(lambda: receiver.events("directive.deadline"), what="directive.deadline")
    assert near["data"]["directive"]["deadline"] == soon and near["data"]["directive"]["days_left"] == 2
    # Another correction rebuilds the directive rows; the same deadline is not announced again.
    fix = {"subject": "chuyển đổi số (sửa)"}
    assert clerk.patch(f"/api/letters/{letter_id}", json=fix).status_code == 200
    until(lambda: len(receiver.events("letter.corrected")) == 2, what="second letter.corrected")
    second = receiver.events("letter.corrected")[1]["data"]
    assert second["fields"] == ["subject"] and second["letter"]["subject"] == fix["subject"]
    time.sleep(2)  # four deadline checks
    assert len(receiver.events("directive.deadline")) == 1
    # A correction that changes nothing is no event.
    assert clerk.patch(f"/api/letters/{letter_id}", json=fix).status_code == 200

    # Exactly once by event id: every request that was answered 200 carries a distinct event id.
    time.sleep(1)
    accepted = [q["headers"]["x-congvan-event-id"] for q in receiver.requests if q["status"] == 200]
    assert len(accepted) == len(set(accepted)) == 4 == len(receiver.handled)
    for q in receiver.requests:
        expected = "sha256=" + hmac.new(receiver.secret.encode(), q["body"], hashlib.sha256).hexdigest()
        assert q["headers"]["x-congvan-signature"] == expected
        assert json.loads(q["body"])["id"] == q["headers"]["x-congvan-event-id"]

    # A tampered body fails the signature check at the receiver.
    original = receiver.requests[2]
    tampered = original["body"].replace(b'"letter.done"', b'"letter.gone"')
    assert tampered != original["body"]
    signature = original["headers"]["x-congvan-signature"]
    sent = httpx.post(receiver.url, content=tampered,
                      headers={"X-Congvan-Signature": signature, "Content-Type": "application/json"})
    assert sent.status_code == 401
    assert not verify_signature(receiver.secret, tampered, original["headers"]["x-congvan-signature"])
    assert verify_signature(receiver.secret, original["body"], original["headers"]["x-congvan-signature"])

    # The delivery record shows every try; a replay sends the same event (same id, same bytes) again.
    deliveries = reader.get(f"/api/webhooks/{hook['id']}/deliveries").json()
    assert {d["state"] for d in deliveries} == {"delivered"} and len(deliveries) == 4
    first = next(d for d in deliveries if d["type"] == "letter.done")
    assert [h["status"] for h in first["history"]] == [500, 500, 200]
    assert first["event_id"] == done["id"]
    count = len(receiver.requests)
    replayed = reader.post(f"/api/webhooks/deliveries/{first['id']}/replay")
    assert replayed.status_code == 202 and replayed.json()["state"] == "pending"
    until(lambda: len(receiver.requests) > count, what="replayed request")
    again = receiver.requests[count]
    assert again["status"] == 200 and again["body"] == original["body"]
    assert again["headers"]["x-congvan-event-id"] == done["id"]
    assert len(receiver.events("letter.done")) == 1  # the receiver deduped it
    record = until(lambda: next(d for d in reader.get(f"/api/webhooks/{hook['id']}/deliveries").json()
                                if d["id"] == first["id"] and d["state"] == "delivered" and
                                len(d["history"]) == 4), what="replay recorded")
    assert record["attempts"] == 0

    # Subscriptions are the caller's own: another key sees none of them.
    auditor = hook_server.client("auditor")
    assert auditor.get("/api/webhooks").json() == []
    assert auditor.get(f"/api/webhooks/{hook['id']}/deliveries").status_code == 404
    assert auditor.post(f"/api/webhooks/deliveries/{first['id']}/replay").status_code == 404
    assert auditor.delete(f"/api/webhooks/{hook['id']}").status_code == 404

    # Deleted: no more deliveries.
    assert reader.delete(f"/api/webhooks/{hook['id']}").json() == {"id": hook["id"], "deleted": True}
    count = len(receiver.requests)
    assert clerk.patch(f"/api/letters/{letter_id}", json={"subject": "lần nữa"}).status_code == 200
    time.sleep(1.5)
    assert len(receiver.requests) == count and reader.get("/api/webhooks").json() == []


def test_retries_back_off_and_stop_after_the_last_attempt(hook_server: Server,
                                                          service_letter_source: Path) -> None:
    reader, clerk = hook_server.client("reader"), hook_server.client("clerk")
    dead = f"http://127.0.0.1:{free_port()}/nobody-listens"
    hook = reader.post("/api/webhooks", json={"url": dead, "events": ["letter.done"]}).json()
    assert hook["events"] == ["letter.done"]
    upload = clerk.post("/api/letters", files=[("files", ("cv.pdf", render_pdf(service_letter_source),
                                                          "application/pdf"))]).json()[0]
    assert wait_job(clerk, upload["job"])["state"] == "done"
    (delivery,) = until(lambda: [d for d in reader.get(f"/api/webhooks/{hook['id']}/deliveries").json()
                                 if d["state"] == "failed"], timeout=30, what="failed delivery")
    assert delivery["attempts"] == 3 and len(delivery["history"]) == 3
    assert all(h["status"] is None and h["error"] for h in delivery["history"])
    at = [datetime.fromisoformat(h["at"]) for h in delivery["history"]]
    first_gap, second_gap = (at[1] - at[0]).total_seconds(), (at[2] - at[1]).total_seconds()
    assert first_gap >= 0.3 and second_gap >= 0.6 and second_gap > first_gap  # 0.3 s, then doubled
    time.sleep(1.5)
    again = reader.get(f"/api/webhooks/{hook['id']}/deliveries").json()[0]
    assert len(again["history"]) == 3  # no fourth attempt


@pytest.mark.parametrize("body", [
    {"url": "ftp://127.0.0.1/x"}, {"url": "not a url"}, {},
    {"url": "http://127.0.0.1:9/x", "events": ["letter.deleted"]},
    {"url": "http://127.0.0.1:9/x", "events": []},
])
def test_bad_registrations_are_refused(server: Server, body: dict[str, Any]) -> None:
    r = server.client("reader").post("/api/webhooks", json=body)
    assert r.status_code == 422 and r.json()["error"] == "invalid-request", r.text
