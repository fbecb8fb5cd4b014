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
    # The footer's `Lưu: VT, <unit>` line may repair the symbol's last group (and the number
    # that ends with it), but only one the header read unsure of.
    doubted = symbol if _doubted(found) else None
    found.merge(footer.extract(views, symbol=doubted, number=number))
    return Letter(source=source, evidence=found.evidence, **found.values)


SURE_SYMBOL = 80.0  # OCR confidence of the `Số:` line from which the header's symbol stands


def _doubted(header_found: Extraction) -> bool:
    """Whether the header's `Số:` line was read with an OCR confidence under 80. A symbol read
    for sure (printed text, or OCR above that) stands: the `Lưu:` line is small print and reads
    worse; on the sample scans every repair of such a symbol made it wrong (`VX1` → `VXI1`,
    `CNTT` → `CNTTT`)."""
    confidences = [r.confidence for r in header_found.evidence.get("/number", [])]
    return any(c is not None and c < SURE_SYMBOL for c in confidences)
