"""The Letter: the structured content of one văn bản hành chính.

Field for field the shape of `letter.schema.json` (the output contract): what
`congvan extract --json` prints and what the API serves. A field that was not
found is None or an empty list, never a guess.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# The fields of the letter's header (and title), read before the body: one value each.
HEADER_FIELDS = (
    "number", "symbol", "doc_type", "parent_body", "issuer", "place", "date", "subject", "urgency",
)


class Region(BaseModel):
    """Where a value was read: 1-based page, box in page pixels, text, confidence."""

    page: int
    bbox: tuple[float, float, float, float]
    text: str = ""
    confidence: float | None = None
    low_confidence: bool = False


class Citation(BaseModel):
    """A document the letter cites (viện dẫn): `Văn bản số 131/GLI-KDGP ngày ... của ...`."""

    number: str
    doc_type: str | None = None
    date: str | None = None
    issuer: str | None = None
    subject: str | None = None


class Directive(BaseModel):
    """One task the letter assigns: who must act, what, by when, with whom."""

    ordinal: str | None = None
    assignees: list[str] = Field(default_factory=list)
    text: str
    deadline: str | None = None
    cooperating: list[str] = Field(default_factory=list)


class Signer(BaseModel):
    """Signer block: authority chain (`TM.`, `KT.`, `TL.`...), post, full name."""

    authority: str | None = None
    position: str | None = None
    name: str | None = None


class Source(BaseModel):
    sha256: str
    filename: str | None = None
    media_type: str | None = None
    pages: int
    text_source: list[Literal["text-layer", "ocr"]] = Field(default_factory=list)
    ocr_confidence: float | None = None


class Letter(BaseModel):
    number: str | None = None
    symbol: str | None = None
    doc_type: str | None = None
    parent_body: str | None = None
    issuer: str | None = None
    place: str | None = None
    date: str | None = None
    subject: str | None = None
    urgency: str | None = None
    recipients: list[str] = Field(default_factory=list)
    references: list[Citation] = Field(default_factory=list)
    tasks: list[Directive] = Field(default_factory=list)
    distribution: list[str] = Field(default_factory=list)
    signer: Signer | None = None
    source: Source
    evidence: dict[str, list[Region]] = Field(default_factory=dict)
