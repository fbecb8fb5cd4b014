"""Assemble a `Letter` from the rule modules, header first: later rules need the
letter's own number (never a citation) and year (deadlines without a year)."""

from __future__ import annotations

import hashlib

from ingest.model import Document

from . import citations, footer, header, recipients, tasks
from .model import Letter, Source
from .views import Extraction, ZoneViews


def extract_letter(doc: Document) -> Letter:
    return _assemble(ZoneViews.of(doc), _source(doc))


def extract_text(text: str) -> Letter:
    """A Letter from plain text (no positions): for tests, fuzzing and labelled texts."""
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return _assemble(ZoneViews.of_text(text), Source(sha256=sha, pages=1, media_type="text/plain"))


def load_models() -> None:
    """Load the language models (underthesea's segmenter and tagger, spaCy's matcher) now,
    about a second of a core, rather than inside the first letter."""
    extract_text("Kính gửi: Sở Tài chính.\n1. Giao Sở Tài chính chủ trì thực hiện./.")


def _source(doc: Document) -> Source:
    conf = doc.ocr_confidence
    return Source(
        sha256=doc.sha256,
        filename=doc.filename,
        media_type=doc.media_type,
        pages=len(doc.pages),
        text_source=[p.text_source for p in doc.pages],
        ocr_confidence=None if conf is None else round(conf, 1),
    )


def _assemble(views: ZoneViews, source: Source) -> Letter:
    found = Extraction()
    found.merge(header.extract(views))
    found.merge(recipients.extract(views))
    number, symbol, date = (found.values.get(k) for k in ("number", "symbol", "date"))
    found.merge(citations.extract(views, own_number=number, own_symbol=symbol, letter_date=date))
    found.merge(tasks.extract(views, letter_date=date))
    found.merge(footer.extract(views, symbol=symbol, number=number))  # the Lưu unit repairs both
    return Letter(source=source, evidence=found.evidence, **found.values)
