"""Served page images are upright, as the page ingest read: the evidence boxes sit on them."""

from __future__ import annotations

import io

from PIL import Image

from service.pages import render_pages


def _landscape_page() -> bytes:
    """A portrait page with a black block at its top left, scanned sideways (turned 90° anticlockwise)."""
    page = Image.new("L", (850, 1100), 255)
    page.paste(0, (50, 50, 250, 150))
    buf = io.BytesIO()
    page.rotate(90, expand=True).save(buf, "PNG")
    return buf.getvalue()


def test_page_turned_by_ingest_is_served_upright() -> None:
    (page,) = render_pages(_landscape_page(), [(90, 0.0)])
    image = Image.open(io.BytesIO(page.jpeg))
    assert image.height > image.width  # portrait again
    assert image.getpixel((150, 100)) < 60  # the block is back at the top left
    assert image.getpixel((image.width - 150, image.height - 100)) > 200


def test_page_without_turn_is_served_as_scanned() -> None:
    (page,) = render_pages(_landscape_page(), [])
    image = Image.open(io.BytesIO(page.jpeg))
    assert image.width > image.height
