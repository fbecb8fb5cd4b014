"""Rules for the citations fields (stub: filled in by its own change)."""

from __future__ import annotations

from typing import Any

from .views import Extraction, ZoneViews


def extract(views: ZoneViews, **context: Any) -> Extraction:
    return Extraction()
