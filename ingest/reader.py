"""Entry point of ingest (stub: filled in by the ingest change)."""

from __future__ import annotations

from collections.abc import Callable

from .limits import Limits
from .model import Document

PageProgress = Callable[[int, int], None]  # (pages done, pages in all)


def sniff_media_type(data: bytes) -> str:
    raise NotImplementedError


def read_document(
    data: bytes,
    filename: str | None = None,
    limits: Limits | None = None,
    on_page: PageProgress | None = None,
) -> Document:
    raise NotImplementedError
