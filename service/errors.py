"""Failures of the service itself (the file-level ones live in `ingest.errors`).

Each carries the HTTP status the API answers with and the exit code of the CLI;
the API renders every one as `{"error": code, "message": ...}`.
"""

from __future__ import annotations

from ingest.errors import CongvanError


class Unauthorized(CongvanError):
    code = "unauthorized"
    http_status = 401
    exit_code = 7


class Forbidden(CongvanError):
    code = "forbidden"
    http_status = 403
    exit_code = 7


class NotFound(CongvanError):
    code = "not-found"
    http_status = 404
    exit_code = 8


class TooManyFiles(CongvanError):
    code = "too-many-files"
    http_status = 413
    exit_code = 4


class RequestTooLarge(CongvanError):
    code = "request-too-large"
    http_status = 413
    exit_code = 4


class InvalidRequest(CongvanError):
    code = "invalid-request"
    http_status = 422
    exit_code = 2


class InvalidCorrection(CongvanError):
    """A PATCH whose fields the Letter contract rejects, or fields it does not know."""

    code = "invalid-correction"
    http_status = 422
    exit_code = 2


class WorkerCrashed(CongvanError):
    """The OCR worker died on this file more times than we retry."""

    code = "worker-crashed"
    http_status = 500
    exit_code = 9


class DatabaseUnavailable(CongvanError):
    code = "database-unavailable"
    http_status = 503
    exit_code = 10


class StorageFull(CongvanError):
    """The disk holding the originals is full: the upload is refused whole, nothing half-kept."""

    code = "storage-full"
    http_status = 507
    exit_code = 11
