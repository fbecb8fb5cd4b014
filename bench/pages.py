"""Benchmark inputs: sample letters rendered into page images and text-layer PDFs.

Rendering is not what is measured, so it happens once, before any timing, into
`bench/out/` (git-ignored).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "samples" / "letters"


@dataclass(frozen=True)
class Corpus:
    page_images: list[Path]  # the scanned pages' images, as embedded in scan_pdfs
    scan_pdfs: list[Path]  # image-only PDFs, one per letter
    text_pdfs: list[Path]  # born-digital PDFs of the same letters
    text_pages: int


def build(out: Path, min_pages: int = 40) -> Corpus:
    from samples.generate import load_source, render_pdf, render_scan

    out.mkdir(parents=True, exist_ok=True)
    images: list[Path] = []
    scans: list[Path] = []
    texts: list[Path] = []
    text_pages = 0
    sources = sorted(LETTERS.glob("*.txt"))
    round_ = 0
    while len(images) < min_pages:
        for path in sources:
            source = load_source(path)
            stem = f"{path.stem}-{round_}"
            scan = render_scan(source, fmt="pdf", degraded=round_ % 2 == 1, seed=round_)
            (out / f"{stem}.pdf").write_bytes(scan)
            scans.append(out / f"{stem}.pdf")
            text_pdf = render_pdf(source)
            (out / f"{stem}.text.pdf").write_bytes(text_pdf)
            texts.append(out / f"{stem}.text.pdf")
            text_pages += len(pdfium.PdfDocument(text_pdf))
            images += _page_images(scan, out / stem)
            if len(images) >= min_pages:
                break
        round_ += 1
    return Corpus(images, scans, texts, text_pages)


def _page_images(pdf: bytes, stem: Path) -> list[Path]:
    """The page images embedded in a scanned PDF, as the scanner produced them (their own
    resolution and encoding: what `tesseract` is given, and what `congvan` reads from the PDF)."""
    out = []
    for i, page in enumerate(pdfium.PdfDocument(pdf)):
        image = next(o for o in page.get_objects() if isinstance(o, pdfium.PdfImage))
        target = stem.with_name(f"{stem.name}-p{i + 1}")
        image.extract(str(target))
        out.append(next(target.parent.glob(f"{target.name}.*")))
    return out
