"""The zones of a document as `TextView`s, the unit every rule in `extract/` reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.model import Document, PageZone

from .model import Region
from .textview import TextView


@dataclass(frozen=True)
class ZoneViews:
    """Header zones come from page 1, footer zones from the page that holds them,
    the body runs across all pages. `whole` is every line in reading order: rules
    fall back to it when the zone split of a damaged scan put a line elsewhere."""

    header_left: TextView
    header_right: TextView
    body: TextView
    footer_left: TextView
    footer_right: TextView
    whole: TextView

    @classmethod
    def of(cls, doc: Document) -> ZoneViews:
        def view(kinds: tuple[PageZone, ...], pages: str = "all") -> TextView:
            chosen = doc.pages[:1] if pages == "first" else doc.pages
            return TextView.of(
                (p.number, line) for p in chosen for z in p.zones if z.kind in kinds for line in z.lines
            )

        return cls(
            header_left=view((PageZone.HEADER_LEFT,), "first"),
            header_right=view((PageZone.HEADER_RIGHT,), "first"),
            body=view((PageZone.BODY,)),
            footer_left=view((PageZone.FOOTER_LEFT,)),
            footer_right=view((PageZone.FOOTER_RIGHT,)),
            whole=view(tuple(PageZone)),
        )

    @classmethod
    def of_text(cls, text: str) -> ZoneViews:
        """Plain text with no layout: every rule reads the whole text."""
        whole = TextView.of_text(text)
        empty = TextView.of_text("")
        return cls(empty, empty, whole, empty, empty, whole)


@dataclass
class Extraction:
    """Values found by one rule module, and evidence keyed by JSON pointer."""

    values: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, list[Region]] = field(default_factory=dict)

    def put(self, key: str, value: Any, regions: list[Region] | None = None) -> None:
        self.values[key] = value
        if regions:
            self.evidence["/" + key] = regions

    def merge(self, other: Extraction) -> None:
        self.values.update(other.values)
        self.evidence.update(other.evidence)
