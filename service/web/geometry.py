"""Page geometry: how the evidence boxes (300-DPI page pixels) sit on the served page JPEGs.

`service.pages` renders PDF pages at RENDER_DPI and keeps scans at their own
pixels, both shrunk to at most MAX_SIDE. The page templates draw the boxes in an
SVG whose viewBox is the page in evidence pixels, stretched over the image, so
they follow the image at any screen width without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.images import header_sizes

from ..filestore import FileStore
from ..pages import RENDER_DPI

PDF_SCALE = 300 / RENDER_DPI  # evidence pixels per JPEG pixel for a PDF page (not shrunk below MAX_SIDE)


@dataclass(frozen=True)
class PageView:
    number: int
    width: float  # the page in evidence (300-DPI) pixels
    height: float


@lru_cache(maxsize=512)
def _scan_sizes(files_dir: str, sha256: str, media_type: str) -> tuple[tuple[int, int], ...]:
    """Each frame's size from the original's header (no decoding); cached, originals never change."""
    try:
        data = FileStore(Path(files_dir)).get(sha256)
    except Exception:  # a missing original leaves the boxes unscaled, not the page broken
        return ()
    return tuple(header_sizes(data, media_type))


def page_views(files: FileStore, source: dict[str, object], images: list[tuple[int, int, int]]
               ) -> list[PageView]:
    """`images`: (number, jpeg width, jpeg height) per page, as `service.pages` stored them."""
    media = str(source.get("media_type") or "")
    sizes: tuple[tuple[int, int], ...] = ()
    if media != "application/pdf":
        sizes = _scan_sizes(str(files.root), str(source.get("sha256")), media)
    views = []
    for number, width, height in images:
        scale = PDF_SCALE
        if number - 1 < len(sizes):
            scan_w, scan_h = sizes[number - 1]
            # EXIF-rotated scans are read upright by ingest: compare like with like.
            long_scan, long_jpeg = max(scan_w, scan_h), max(width, height)
            scale = long_scan / long_jpeg if long_jpeg else 1.0
        views.append(PageView(number, round(width * scale, 1), round(height * scale, 1)))
    return views
