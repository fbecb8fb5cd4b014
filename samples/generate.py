"""Render the sample letters into PDFs and scans with their labels beside them.

    python -m samples.generate OUTDIR [--degraded] [--format pdf|tiff|png|jpeg|text-pdf]
                               [--seed N] [--dpi N] [--rotate 90|180|270] [--stamp]
                               [--only NAME ...] [--letters DIR]
    python -m samples.generate samples/scans --ship     (regenerate the shipped samples)

writes `NAME.<ext>` + `NAME.json` for every letter source in `samples/letters/` (or `--letters`).
PNG and JPEG hold one page, so letters longer than one page are skipped for those formats.

Functions for tests and benchmarks:

    load_source(path) -> LetterSource          load_label(path) -> dict
    render_pdf(source) -> bytes                (born-digital, with a text layer)
    render_scan(source, fmt="pdf", degraded=False, seed=0, dpi=None) -> bytes
    label_for(source_path, data, fmt) -> dict  (the label with `source` filled for that file)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ingest.errors import CongvanError

from . import scan
from .render import page_count
from .render import render_pdf as _render_pdf
from .source import LETTERS_DIR, BadLetterSource, LetterSource, corpus, load_label, load_source

EXTENSIONS = {"pdf": "pdf", "text-pdf": "pdf", "tiff": "tif", "png": "png", "jpeg": "jpg"}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "text-pdf": "application/pdf",
    "tiff": "image/tiff",
    "png": "image/png",
    "jpeg": "image/jpeg",
}

SCANS_DIR = Path(__file__).resolve().parent / "scans"
# The small set shipped in samples/scans/ (name, format, degraded, seed): the seed letter as a degraded
# two-page scan is the project's key test input.
SHIPPED: tuple[tuple[str, str, bool, int], ...] = (
    ("ubnd-gia-lai-2023-08-chuyen-doi-so", "pdf", True, 0),
    ("ubnd-gia-lai-2023-2085", "tiff", False, 0),
    ("vpcp-2026-3722", "png", False, 0),
    ("ubnd-gia-lai-2023-hoa-toc-bao", "jpeg", True, 3),
    ("stttt-gia-lai-2023-bao-cao-thu-nghiem", "text-pdf", False, 0),
)

__all__ = [
    "corpus",
    "label_for",
    "load_label",
    "load_source",
    "main",
    "render_pdf",
    "render_scan",
    "write_sample",
]


def _as_source(source: LetterSource | str | Path) -> LetterSource:
    return source if isinstance(source, LetterSource) else load_source(source)


def render_pdf(source: LetterSource | str | Path, seed: int = 0) -> bytes:
    """Born-digital PDF with a real text layer."""
    return _render_pdf(_as_source(source), seed=seed)


def render_scan(
    source: LetterSource | str | Path,
    fmt: str = "pdf",
    degraded: bool = False,
    seed: int = 0,
    dpi: int | None = None,
    rotate: int = 0,
    stamp: bool = False,
) -> bytes:
    """A scan of the letter: image-only PDF, multi-page TIFF, or page 1 as PNG/JPEG.

    Clean scans are grey at 300 DPI; degraded ones are colour at 200 DPI with skew, blur, noise and
    heavy JPEG compression drawn from `seed`. TIFFs are bilevel CCITT G4 (fax-like) at either DPI.
    `rotate` turns the pages (90/180/270, a sheet fed sideways or upside down); `stamp` adds an
    arrival stamp with a handwritten register number on page 1. `fmt="text-pdf"` returns the
    born-digital PDF.
    """
    if fmt == "text-pdf":
        return render_pdf(source, seed=seed)
    if fmt not in scan.FORMATS:
        raise BadLetterSource(f"unknown scan format {fmt!r} (use one of {', '.join(EXTENSIONS)})")
    pdf = render_pdf(source, seed=seed)
    pages = scan.scan_pages(pdf, degraded=degraded, seed=seed, dpi=dpi, rotate=rotate, stamp=stamp)
    res = dpi or (200 if degraded else 300)
    quality = scan.Degradation.pick(seed).jpeg_quality if degraded else scan.CLEAN.jpeg_quality
    if fmt == "pdf":
        return scan.image_pdf(pages, quality, res)
    if fmt == "tiff":
        return scan.tiff(pages, res)  # bilevel CCITT G4, as office scanners and fax write TIFF
    return scan.single_image(pages[0], "png" if fmt == "png" else "jpeg", quality, res)


def _pages_of(data: bytes, fmt: str) -> int:
    if fmt in ("pdf", "text-pdf"):
        return page_count(data)
    if fmt == "tiff":
        import io

        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            return int(getattr(img, "n_frames", 1))
    return 1


def label_for(source_path: str | Path, data: bytes, fmt: str, filename: str | None = None) -> dict[str, Any]:
    """The letter's label with its `source` block describing the rendered file `data`."""
    label = load_label(source_path)
    pages = _pages_of(data, fmt)
    label["source"] = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "filename": filename,
        "media_type": MEDIA_TYPES[fmt],
        "pages": pages,
        "text_source": ["text-layer" if fmt == "text-pdf" else "ocr"] * pages,
        "ocr_confidence": None,
    }
    label["evidence"] = {}
    return label


def write_sample(
    source_path: str | Path,
    outdir: str | Path,
    fmt: str = "pdf",
    degraded: bool = False,
    seed: int = 0,
    dpi: int | None = None,
    name: str | None = None,
    rotate: int = 0,
    stamp: bool = False,
) -> Path | None:
    """Render one letter into `outdir/NAME.<ext>` with `NAME.json`; None if the format cannot hold it."""
    src = load_source(source_path)
    if fmt in ("png", "jpeg") and page_count(render_pdf(src, seed=seed)) > 1:
        return None
    data = render_scan(src, fmt=fmt, degraded=degraded, seed=seed, dpi=dpi, rotate=rotate, stamp=stamp)
    stem = name or src.name
    out = Path(outdir) / f"{stem}.{EXTENSIONS[fmt]}"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    label = label_for(source_path, data, fmt, filename=out.name)
    out.with_suffix(".json").write_text(
        json.dumps(label, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generate", description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--format", default="pdf", choices=list(EXTENSIONS))
    ap.add_argument("--degraded", action="store_true", help="skew, blur, noise, 200 DPI, strong JPEG")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dpi", type=int, default=None)
    ap.add_argument(
        "--rotate", type=int, default=0, choices=(0, 90, 180, 270), help="pages fed sideways/upside down"
    )
    ap.add_argument("--stamp", action="store_true", help="arrival stamp with a handwritten number on page 1")
    ap.add_argument("--only", nargs="*", default=None, help="letter names to render (default: all)")
    ap.add_argument("--letters", type=Path, default=LETTERS_DIR, help="directory of letter sources")
    ap.add_argument("--ship", action="store_true", help="write the shipped set (SHIPPED) into OUTDIR")
    args = ap.parse_args(argv)
    try:
        if args.ship:
            for name, fmt, degraded, seed in SHIPPED:
                print(
                    write_sample(
                        args.letters / f"{name}.txt", args.outdir, fmt=fmt, degraded=degraded, seed=seed
                    )
                )
            return 0
        sources = [p for p in corpus(args.letters) if not args.only or p.stem in args.only]
        if not sources:
            raise BadLetterSource(f"no letter sources (*.txt) found in {args.letters}")
        for i, path in enumerate(sources):
            out = write_sample(
                path,
                args.outdir,
                fmt=args.format,
                degraded=args.degraded,
                seed=args.seed + i,
                dpi=args.dpi,
                rotate=args.rotate,
                stamp=args.stamp,
            )
            print(f"{path.stem}: {'skipped (more than one page)' if out is None else out}")
    except CongvanError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
