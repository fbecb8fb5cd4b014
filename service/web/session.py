"""Browser sessions: a signed, HTTP-only cookie that carries the API key.

The cookie holds the key itself, so every page is checked by the same
`service.auth.authenticate` as the API: a revoked key ends its sessions at
once, and the database needs no session table. The HMAC stops a tampered or
forged cookie before the database is asked; the issue time bounds its life.
POST forms also carry a token derived from the cookie (SameSite=Strict already
keeps other sites' requests cookie-less; the token is the second lock).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from ..auth import RIGHTS, Caller, Right

COOKIE = "congvan_phien"
MAX_AGE = 12 * 3600  # one working day; then sign in again
SECRET_FILE = "web-secret"


def load_secret(data_dir: Path) -> bytes:
    """`CONGVAN_WEB_SECRET`, else a random secret kept in the data dir (shared by every server process)."""
    configured = os.environ.get("CONGVAN_WEB_SECRET", "").strip()
    if configured:
        return configured.encode()
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting together keep one secret, not one each.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    for _ in range(50):  # the creating process may still be writing
        value = path.read_text().strip()
        if value:
            return value.encode()
        time.sleep(0.02)
    raise RuntimeError(f"{path} is empty")


def _mac(secret: bytes, message: str) -> str:
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


def seal(secret: bytes, key: str, now: float | None = None) -> str:
    # No `=` padding: a cookie value with `=` gets quoted by some clients.
    encoded = base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")
    body = encoded + "." + str(int(now if now is not None else time.time()))
    return body + "." + _mac(secret, body)


def unseal(secret: bytes, value: str | None, now: float | None = None) -> str | None:
    """The key in a cookie made by `seal`, or None if it was altered or is too old."""
    if not value or value.count(".") != 2:
        return None
    encoded, issued, mac = value.split(".")
    if not hmac.compare_digest(mac, _mac(secret, f"{encoded}.{issued}")):
        return None
    if not issued.isdigit() or (now if now is not None else time.time()) - int(issued) > MAX_AGE:
        return None
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def form_token(secret: bytes, cookie: str) -> str:
    return _mac(secret, "form:" + cookie)[:32]


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a page, what their role lets the page offer, and the form token."""

    caller: Caller
    csrf: str

    def can(self, right: Right | str) -> bool:
        return Right(right) in RIGHTS[self.caller.role]

    @property
    def role(self) -> str:
        return self.caller.role.value
