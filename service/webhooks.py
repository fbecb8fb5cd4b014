"""Webhooks: subscriptions, signatures, the delivery loop, delivery records and replay.

A reader-role system registers a URL and gets a secret, shown once. Each event is
POSTed as JSON with

    X-Congvan-Event: letter.done            X-Congvan-Event-Id: <uuid>
    X-Congvan-Delivery: <delivery id>       X-Congvan-Signature: sha256=<hex>

where the signature is HMAC-SHA256 of the raw body with the subscription's secret
(`verify_signature` is the receiver's check). A 2xx answer delivers; anything else
(or no answer) is tried again after `backoff * 2**(attempts-1)` seconds, up to
`max_attempts`, then the delivery is `failed` until someone replays it. An event can
reach a receiver more than once (an answer lost on the way, a replay): the event id
is what receivers dedupe on, so each event is handled exactly once.

The loop runs in the web process (a thread); a delivery is leased before it is
sent, so two web processes never send the same delivery at the same time.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import deadlines
from .config import env_float
from .db import Database
from .errors import InvalidRequest, NotFound
from .models import utcnow
from .outbox import EVENT_TYPES, Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent, body_of

log = logging.getLogger("congvan.webhooks")

SIGNATURE_HEADER = "X-Congvan-Signature"
LEASE_SECONDS = 60.0  # longer than a request may take: a crashed sender's lease runs out, then it is re-sent
BATCH = 20
SENDERS = 4  # deliveries sent at the same time
MAX_BACKOFF_SECONDS = 6 * 3600.0


@dataclass(frozen=True)
class WebhookSettings:
    max_attempts: int = 8
    backoff_seconds: float = 30.0  # first retry; doubled at each further one
    timeout_seconds: float = 10.0
    poll_seconds: float = 1.0
    deadline_window_days: int = 3  # a directive.deadline event when a deadline is this close
    deadline_check_seconds: float = 3600.0

    @classmethod
    def from_env(cls) -> WebhookSettings:
        return cls(
            max_attempts=int(env_float("CONGVAN_WEBHOOK_MAX_ATTEMPTS", cls.max_attempts)),
            backoff_seconds=env_float("CONGVAN_WEBHOOK_BACKOFF_SECONDS", cls.backoff_seconds),
            timeout_seconds=env_float("CONGVAN_WEBHOOK_TIMEOUT_SECONDS", cls.timeout_seconds),
            poll_seconds=env_float("CONGVAN_WEBHOOK_POLL_SECONDS", cls.poll_seconds),
            deadline_window_days=int(env_float("CONGVAN_DEADLINE_WINDOW_DAYS", cls.deadline_window_days)),
            deadline_check_seconds=env_float("CONGVAN_DEADLINE_CHECK_SECONDS", cls.deadline_check_seconds),
        )

    def backoff(self, attempts: int) -> float:
        return min(self.backoff_seconds * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


# -- signatures --------------------------------------------------------------------------

def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """The receiver's check: the header is the HMAC of exactly these bytes (constant-time compare)."""
    return bool(header) and hmac.compare_digest(sign(secret, body), header or "")


# -- subscriptions -------------------------------------------------------------------------

def _check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise InvalidRequest("url must be an http:// or https:// URL of at most 2000 characters")
    return url


def _check_events(events: Any) -> list[str]:
    if events is None:
        return list(EVENT_TYPES)
    if not isinstance(events, list) or not events or not all(isinstance(e, str) for e in events):
        raise InvalidRequest(f"events must be a non-empty list of: {', '.join(EVENT_TYPES)}")
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown:
        raise InvalidRequest(f"unknown event types {', '.join(unknown)}; known: {', '.join(EVENT_TYPES)}")
    return [e for e in EVENT_TYPES if e in events]


def webhook_json(hook: Webhook) -> dict[str, Any]:
    return {"id": hook.id, "url": hook.url, "events": hook.events, "owner": hook.owner,
            "created_at": hook.created_at.isoformat()}


def register(session: Session, owner: str, url: str, events: Any) -> dict[str, Any]:
    """A new subscription; its secret is in this answer only."""
    hook = Webhook(owner=owner, url=_check_url(url), events=_check_events(events),
                   secret="whsec_" + secrets.token_urlsafe(32), created_at=utcnow())
    session.add(hook)
    session.flush()
    return {**webhook_json(hook), "secret": hook.secret}


def owned(session: Session, owner: str, webhook_id: int) -> Webhook:
    hook = session.get(Webhook, webhook_id)
    # Another caller's subscription is answered as missing: its existence is none of their business.
    if hook is None or hook.owner != owner or hook.deleted_at is not None:
        raise NotFound(f"no webhook {webhook_id}")
    return hook


def list_owned(session: Session, owner: str) -> list[dict[str, Any]]:
    hooks = session.scalars(select(Webhook).where(Webhook.owner == owner, Webhook.deleted_at.is_(None))
                            .order_by(Webhook.id))
    return [webhook_json(h) for h in hooks]


def delete(session: Session, owner: str, webhook_id: int) -> None:
    """Stops new deliveries (pending ones are dropped); the records stay."""
    hook = owned(session, owner, webhook_id)
    hook.deleted_at = utcnow()
    session.execute(update(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id,
                                                  WebhookDelivery.state == "pending")
                    .values(state="failed", last_error="webhook deleted"))


def delivery_json(session: Session, d: WebhookDelivery, event: WebhookEvent) -> dict[str, Any]:
    tries = session.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id == d.id)
                            .order_by(WebhookAttempt.id))
    return {"id": d.id, "webhook": d.webhook_id, "event_id": event.event_id, "type": event.type,
            "state": d.state, "attempts": d.attempts, "last_status": d.last_status,
            "last_error": d.last_error,
            "next_attempt_at": d.next_attempt_at.isoformat() if d.state == "pending" else None,
            "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
            "created_at": d.created_at.isoformat(),
            "history": [{"at": t.at.isoformat(), "status": t.status, "error": t.error,
                         "duration_ms": t.duration_ms} for t in tries]}


def deliveries(session: Session, owner: str, webhook_id: int, limit: int = 100) -> list[dict[str, Any]]:
    hook = owned(session, owner, webhook_id)
    rows = session.execute(select(WebhookDelivery, WebhookEvent)
                           .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
                           .where(WebhookDelivery.webhook_id == hook.id)
                           .order_by(WebhookDelivery.id.desc()).limit(max(1, min(limit, 500))))
    return [delivery_json(session, d, e) for d, e in rows]


def replay(session: Session, owner: str, delivery_id: int) -> dict[str, Any]:
    """Send a delivery again, delivered or failed alike: same event id, same body, a fresh round of tries."""
    d = session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if d is None:
        raise NotFound(f"no delivery {delivery_id}")
    owned(session, owner, d.webhook_id)
    d.state, d.attempts, d.next_attempt_at = "pending", 0, utcnow()
    event = session.get(WebhookEvent, d.event_id)
    assert event is not None
    return delivery_json(session, d, event)


# -- the delivery loop ----------------------------------------------------------------------

class Dispatcher:
    """Sends due deliveries and runs the deadline check, in a thread of the web process."""

    def __init__(self, db: Database, settings: WebhookSettings | None = None) -> None:
        self.db = db
        self.settings = settings or WebhookSettings.from_env()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_deadline_check = 0.0
        self._senders = ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="congvan-webhook-send")
        self._client = httpx.Client(timeout=self.settings.timeout_seconds, follow_redirects=False,
                                    headers={"User-Agent": "congvan-webhooks"})

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="congvan-webhooks", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.settings.timeout_seconds + 5)
        self._senders.shutdown(wait=True, cancel_futures=True)
        self._client.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.check_deadlines_when_due()
                while self.send_due() and not self._stop.is_set():
                    pass
            except Exception:  # the database or a receiver may misbehave: try again next tick
                log.exception("webhook tick failed")
            self._wake.wait(self.settings.poll_seconds)
            self._wake.clear()

    def check_deadlines_when_due(self) -> None:
        now = time.monotonic()
        if now < self._next_deadline_check:
            return
        self._next_deadline_check = now + self.settings.deadline_check_seconds
        with self.db.write() as session:
            deadlines.check(session, deadlines.today(), self.settings.deadline_window_days)

    def send_due(self) -> int:
        """Lease and send the deliveries that are due; how many were sent."""
        now = utcnow()
        with self.db.read() as session:
            due = list(session.scalars(select(WebhookDelivery.id).where(
                WebhookDelivery.state == "pending", WebhookDelivery.next_attempt_at <= now)
                .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(BATCH)))
        # A few at a time: one receiver that times out must not hold up everyone else's events.
        return sum(self._senders.map(self._lease_and_send, due))

    def _lease_and_send(self, delivery_id: int) -> int:
        if self._stop.is_set():
            return 0
        job = self._lease(delivery_id)
        if job is None:
            return 0
        self._send(delivery_id, *job)
        return 1

    def _lease(self, delivery_id: int) -> tuple[str, str, bytes, str, str] | None:
        now = utcnow()
        with self.db.write() as session:
            leased = session.execute(update(WebhookDelivery).where(
                WebhookDelivery.id == delivery_id, WebhookDelivery.state == "pending",
                WebhookDelivery.next_attempt_at <= now)
                .values(next_attempt_at=now + timedelta(seconds=LEASE_SECONDS)))
            if leased.rowcount != 1:  # type: ignore[attr-defined]
                return None  # another sender has it
            d = session.get(WebhookDelivery, delivery_id)
            assert d is not None
            hook = session.get(Webhook, d.webhook_id)
            event = session.get(WebhookEvent, d.event_id)
            assert hook is not None and event is not None
            return hook.url, hook.secret, body_of(event.payload), event.event_id, event.type

    def _send(self, delivery_id: int, url: str, secret: str, body: bytes, event_id: str, kind: str) -> None:
        headers = {"Content-Type": "application/json", "X-Congvan-Event": kind,
                   "X-Congvan-Event-Id": event_id, "X-Congvan-Delivery": str(delivery_id),
                   SIGNATURE_HEADER: sign(secret, body)}
        started = time.monotonic()
        status: int | None = None
        error: str | None = None
        try:
            status = self._client.post(url, content=body, headers=headers).status_code
            if not 200 <= status < 300:
                error = f"the receiver answered HTTP {status}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]
        elapsed = int((time.monotonic() - started) * 1000)
        self._record(delivery_id, status, error, elapsed)

    def _record(self, delivery_id: int, status: int | None, error: str | None, elapsed_ms: int) -> None:
        now = utcnow()
        with self.db.write() as session:
            d = session.get(WebhookDelivery, delivery_id, with_for_update=True)
            if d is None:
                return
            session.add(WebhookAttempt(delivery_id=d.id, at=now, status=status, error=error,
                                       duration_ms=elapsed_ms))
            d.last_status, d.last_error = status, error
            if d.state != "pending":
                return  # the webhook was deleted meanwhile: keep the record, change nothing
            if error is None:
                d.state, d.delivered_at = "delivered", now
                return
            d.attempts += 1
            if d.attempts >= self.settings.max_attempts:
                d.state = "failed"
            else:
                d.next_attempt_at = now + timedelta(seconds=self.settings.backoff(d.attempts))
