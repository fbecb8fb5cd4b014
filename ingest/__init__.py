"""Bytes in (PDF, TIFF, PNG, JPEG), pages of positioned words out.

    read_document(data, filename=None, limits=Limits(), on_page=None) -> Document

raises a `CongvanError` subclass (see `ingest.errors`) for any file it refuses.
"""

from .errors import CongvanError
from .limits import Limits
from .model import Document, Line, Page, PageZone, Word, Zone
from .reader import read_document, sniff_media_type

__all__ = [
    "CongvanError",
    "Document",
    "Limits",
    "Line",
    "Page",
    "PageZone",
    "Word",
    "Zone",
    "read_document",
    "sniff_media_type",
]
