"""Typed document model: what `ingest` hands to `extract`.

A `Document` is the pages of one file; a `Page` is split into `Zone`s by word
position (see `ingest.zones`); each zone holds `Line`s of positioned `Word`s.
Coordinates are page pixels, origin top-left: for OCR'd pages the pixels of the
image Tesseract read (300 DPI for rendered PDF pages), for text-layer pages PDF
points scaled to 300 DPI, so boxes from both sources are comparable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Literal

BBox = tuple[float, float, float, float]
TextSource = Literal["text-layer", "ocr"]


class PageZone(StrEnum):
    """The six regions Decree 30/2020 fixes on the page of an official letter."""

    HEADER_LEFT = "header-left"  # issuing body, `Số:`, `V/v` subject
    HEADER_RIGHT = "header-right"  # national motto, place and date
    BODY = "body"  # title (non-công văn), `Kính gửi:`, content
    FOOTER_LEFT = "footer-left"  # `Nơi nhận:` distribution list
    FOOTER_RIGHT = "footer-right"  # signer block


@dataclass(frozen=True)
class Word:
    text: str
    bbox: BBox
    confidence: float | None = None  # 0-100 for OCR, None for a text layer


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @cached_property
    def bbox(self) -> BBox:  # cached: zoning asks for it many times per line
        return union_bbox(w.bbox for w in self.words)

    @property
    def confidence(self) -> float | None:
        confs = [w.confidence for w in self.words if w.confidence is not None]
        return min(confs) if confs else None


@dataclass(frozen=True)
class Zone:
    kind: PageZone
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    text_source: TextSource
    zones: tuple[Zone, ...]
    rotation: int = 0  # degrees the page was turned before reading (OSD)
    skew: float = 0.0  # degrees of deskew applied

    def zone(self, kind: PageZone) -> Zone | None:
        return next((z for z in self.zones if z.kind == kind), None)

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for z in self.zones for line in z.lines)

    @property
    def ocr_confidence(self) -> float | None:
        confs = [w.confidence for ln in self.lines for w in ln.words if w.confidence is not None]
        return sum(confs) / len(confs) if confs else None


@dataclass(frozen=True)
class Document:
    sha256: str
    pages: tuple[Page, ...]
    filename: str | None = None
    media_type: str | None = None

    @property
    def ocr_confidence(self) -> float | None:
        confs = [
            w.confidence
            for p in self.pages
            if p.text_source == "ocr"
            for ln in p.lines
            for w in ln.words
            if w.confidence is not None
        ]
        return sum(confs) / len(confs) if confs else None


@dataclass
class _BBoxAcc:
    x0: float = float("inf")
    y0: float = float("inf")
    x1: float = float("-inf")
    y1: float = float("-inf")
    seen: bool = field(default=False)


def union_bbox(boxes: object) -> BBox:
    acc = _BBoxAcc()
    for b in boxes:  # type: ignore[attr-defined]
        acc.x0, acc.y0 = min(acc.x0, b[0]), min(acc.y0, b[1])
        acc.x1, acc.y1 = max(acc.x1, b[2]), max(acc.y1, b[3])
        acc.seen = True
    if not acc.seen:
        return (0.0, 0.0, 0.0, 0.0)
    return (acc.x0, acc.y0, acc.x1, acc.y1)
