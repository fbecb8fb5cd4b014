"""API keys and roles.

A key is shown once when created; the database keeps only its SHA-256. Requests
send `Authorization: Bearer KEY`. What each role may do:

    clerk    upload, correct, re-extract, and query
    reader   query
    auditor  query, history and trace
    admin    manage keys
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .db import Database
from .errors import Forbidden, InvalidRequest, Unauthorized
from .models import ApiKey, utcnow
from .queries import iso
from .roles import RIGHTS, Right, Role

__all__ = ["RIGHTS", "Caller", "Right", "Role", "authenticate", "authorize", "create_key", "list_keys",
           "revoke_key"]


@dataclass(frozen=True)
class Caller:
    name: str
    role: Role


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(db: Database, role: str, name: str) -> str:
    try:
        parsed = Role(role)
    except ValueError:
        raise InvalidRequest(f"unknown role {role!r}; roles are {', '.join(r.value for r in Role)}") from None
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidRequest("a key needs a name of 1 to 200 characters")
    key = "cv_" + secrets.token_urlsafe(32)
    try:
        with db.write() as session:
            session.add(ApiKey(name=name, role=parsed.value, key_hash=hash_key(key)))
    except IntegrityError:
        raise InvalidRequest(f"a key named {name!r} already exists") from None
    return key


def list_keys(db: Database) -> list[dict[str, object]]:
    with db.read() as session:
        rows = session.scalars(select(ApiKey).order_by(ApiKey.id)).all()
        return [{"name": k.name, "role": k.role, "created_at": iso(k.created_at),
                 "revoked": k.revoked_at is not None} for k in rows]


def revoke_key(db: Database, name: str) -> bool:
    with db.write() as session:
        key = session.scalars(select(ApiKey).where(ApiKey.name == name)).one_or_none()
        if key is None or key.revoked_at is not None:
            return False
        key.revoked_at = utcnow()
        return True


def authenticate(db: Database, authorization: str | None) -> Caller:
    scheme, _, key = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("send an API key: Authorization: Bearer KEY")
    digest = hash_key(key.strip())
    with db.read() as session:
        row = session.scalars(select(ApiKey).where(ApiKey.key_hash == digest)).one_or_none()
    # Constant-time comparison of the digests, so timing does not tell how close a guess was.
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.key_hash, digest):
        raise Unauthorized("this API key is not valid")
    return Caller(name=row.name, role=Role(row.role))


def authorize(caller: Caller, right: Right) -> None:
    if right not in RIGHTS[caller.role]:
        raise Forbidden(f"the {caller.role.value} role may not {right.value}")
