"""Every limit set low through the environment, met through the API and the CLI.

The API answers 413 at once for what it can tell from the request (file size, files per
request), and fails the job with the limit's code and figures for what needs the file
opened (pages, pixels, OCR time): those are checked in the worker, never the web process.
The CLI prints one line naming the limit and exits 4 (a size limit) or 5 (OCR time).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Server
from consistency import store_problems, upload, wait_all
from PIL import Image

LOW = {"CONGVAN_MAX_BYTES": "3000000", "CONGVAN_MAX_PAGES": "2", "CONGVAN_MAX_PIXELS": "30000000",
       "CONGVAN_OCR_SECONDS": "1", "CONGVAN_MAX_FILES": "2"}


def _tiff_pages(count: int) -> bytes:
    frames = [Image.new("L", (64, 64), 255) for _ in range(count)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def _header_only_png(width: int, height: int) -> bytes:
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk


@pytest.fixture(scope="module")
def slow_page(service_scan: bytes) -> bytes:
    """The letter's page three times over, one tall page (22 Mpx): more than a second of OCR."""
    page = Image.open(io.BytesIO(service_scan)).convert("L")
    tall = Image.new("L", (page.width, page.height * 3), 255)
    for i in range(3):
        tall.paste(page, (0, i * page.height))
    buf = io.BytesIO()
    tall.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def test_limits_through_the_api(server_factory: Server, slow_page: bytes) -> None:
    server = server_factory.start(**LOW)
    server.create_keys()
    clerk = server.client("clerk")
    too_many = upload(clerk, ("a.png", b"\x89PNG" + b"a" * 10), ("b.png", b"\x89PNG" + b"b" * 10),
                      ("c.png", b"\x89PNG" + b"c" * 10))
    assert too_many.status_code == 413 and too_many.json()["error"] == "too-many-files", too_many.text
    assert "limit is 2" in too_many.json()["message"]
    too_big = upload(clerk, ("big.pdf", b"%PDF-1.7\n" + b"0" * 3_000_001))
    assert too_big.status_code == 413 and too_big.json()["error"] in ("file-too-large", "request-too-large")
    assert "3000000" in too_big.json()["message"]

    r = upload(clerk, ("three-pages.tif", _tiff_pages(3)), ("wide.png", _header_only_png(8000, 5000)))
    assert r.status_code == 202, r.text
    pages, pixels = (entry["job"] for entry in r.json())
    (slow,) = upload(clerk, ("tall.png", slow_page)).json()
    final = wait_all(server.client("reader"), [pages, pixels, slow["job"]], timeout=180)
    assert final[pages]["reason"] == "too-many-pages: it has 3 pages; at most 2 are read"
    assert final[pixels]["reason"].startswith("image-too-large: page 1 is 8000 x 5000 pixels")
    assert "30 million pixels" in final[pixels]["reason"]
    assert final[slow["job"]]["reason"] == "ocr-timeout: reading the page took longer than 1 seconds"
    assert store_problems(server) == []


@pytest.mark.parametrize(("name", "code", "says"), [
    ("three-pages.tif", 4, "it has 3 pages; at most 2 are read"),
    ("wide.png", 4, "8000 x 5000 pixels, over the limit of 30 million pixels"),
    ("big.pdf", 4, "over the limit of 3 MB"),
    ("tall.png", 5, "reading the page took longer than 1 seconds"),
])
def test_limits_through_the_cli(tmp_path: Path, slow_page: bytes, name: str, code: int, says: str) -> None:
    data = {"three-pages.tif": _tiff_pages(3), "wide.png": _header_only_png(8000, 5000),
            "big.pdf": b"%PDF-1.7\n" + b"0" * 3_200_000, "tall.png": slow_page}[name]
    path = tmp_path / name
    path.write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "service.cli", "extract", str(path)], cwd=ROOT,
                          capture_output=True, timeout=300, env={**os.environ, **LOW})
    err = proc.stderr.decode().strip()
    assert proc.returncode == code, err
    assert err.splitlines() == [err] and err.startswith(f"congvan: {path}: ") and says in err, err
