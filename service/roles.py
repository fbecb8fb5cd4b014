"""Roles of API keys and the rights each grants (kept apart from `service.auth`, which needs
the store, so that `congvan` can list the roles without loading it)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    READER = "reader"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Right(StrEnum):
    UPLOAD = "upload"
    CORRECT = "correct"
    QUERY = "query"
    HISTORY = "history"
    TRACE = "trace"
    KEYS = "keys"


RIGHTS: dict[Role, frozenset[Right]] = {
    # A clerk who corrects a value sees the history of the letter; tracing is the auditors'.
    Role.CLERK: frozenset({Right.UPLOAD, Right.CORRECT, Right.QUERY, Right.HISTORY}),
    Role.READER: frozenset({Right.QUERY}),
    Role.AUDITOR: frozenset({Right.QUERY, Right.HISTORY, Right.TRACE}),
    Role.ADMIN: frozenset({Right.KEYS}),
}
