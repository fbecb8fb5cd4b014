"""Bytes in (PDF, TIFF, PNG, JPEG), pages of positioned words split into page zones out.

    sniff_media_type(data) -> "application/pdf" | "image/tiff" | "image/png" | "image/jpeg"
    read_document(data, filename=None, limits=Limits(), on_page=None) -> Document
    render_page_images(data, media_type, max_px=1600) -> [(jpeg bytes, scale)]

`read_document` raises a `CongvanError` subclass (see `ingest.errors`) for any file it
refuses, with a one-line reason the caller prefixes with the file name.

Coordinates: word boxes are page pixels, origin top-left, on the page as read (after the
quarter turn `Page.rotation` and the deskew `Page.skew` of OCR'd pages). PDF pages are in
300-DPI pixels whatever their source (text layer, render, or the embedded scan read at its
own DPI and scaled); PNG/JPEG/TIFF pages are in the image's own pixels.
"""

from .errors import CongvanError
from .images import render_page_images
from .limits import Limits
from .model import Document, Line, Page, PageZone, Word, Zone
from .reader import PageProgress, read_document, sniff_media_type

__all__ = [
    "CongvanError",
    "Document",
    "Limits",
    "Line",
    "Page",
    "PageProgress",
    "PageZone",
    "Word",
    "Zone",
    "read_document",
    "render_page_images",
    "sniff_media_type",
]
