"""Benchmark inputs: sample letters rendered into page images and text-layer PDFs.

Rendering is not what is measured, so it happens once, before any timing, into
`bench/out/` (git-ignored).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "samples" / "letters"


@dataclass(frozen=True)
class Corpus:
    page_images: list[Path]  # one PNG per scanned page, 300 DPI
    scan_pdfs: list[Path]  # the same pages as image-only PDFs, one per letter
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
            for i, image in enumerate(_page_images(scan)):
                target = out / f"{stem}-p{i + 1}.png"
                target.write_bytes(image)
                images.append(target)
            if len(images) >= min_pages:
                break
        round_ += 1
    return Corpus(images, scans, texts, text_pages)


def _page_images(pdf: bytes) -> list[bytes]:
    """The page images embedded in a scanned PDF, as the scanner produced them (300 DPI)."""
    out = []
    for page in pdfium.PdfDocument(pdf):
        bitmap = page.render(scale=300 / 72, grayscale=True)
        buf = io.BytesIO()
        bitmap.to_pil().save(buf, format="PNG")
        out.append(buf.getvalue())
    return out
