"""Limits a user can hit, with their defaults; each is checked before the costly step."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.isdigit() else default


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024  # upload size
    max_pages: int = 200  # pages per file
    max_pixels: int = 100_000_000  # pixels per page, checked before decoding
    ocr_seconds: int = 60  # OCR time per page

    @classmethod
    def from_env(cls) -> Limits:
        d = cls()
        return cls(
            max_bytes=_env_int("CONGVAN_MAX_BYTES", d.max_bytes),
            max_pages=_env_int("CONGVAN_MAX_PAGES", d.max_pages),
            max_pixels=_env_int("CONGVAN_MAX_PIXELS", d.max_pixels),
            ocr_seconds=_env_int("CONGVAN_OCR_SECONDS", d.ocr_seconds),
        )
