"""What a file is, from its bytes alone (magic numbers): the name a user gave it can lie."""

from __future__ import annotations

from .errors import EmptyFile, UnsupportedFileType

PDF = "application/pdf"
TIFF = "image/tiff"
PNG = "image/png"
JPEG = "image/jpeg"
SUPPORTED = (PDF, TIFF, PNG, JPEG)

PDF_MAGIC_WINDOW = 1024  # some producers put junk before `%PDF-`; readers accept it within 1 KiB

# Types we refuse, recognised so the message tells the clerk what they sent.
_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"\x00\x00\x01\x00", "a Windows icon"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000 image"),
    (b"AT&TFORM", "a DjVu document"),
    (b"%!PS", "a PostScript file"),
)


def sniff_media_type(data: bytes) -> str:
    """The media type of a supported file, or `UnsupportedFileType`/`EmptyFile`."""
    if not data or not data.strip(b"\x00 \t\r\n"):
        raise EmptyFile("the file is empty")
    if b"%PDF-" in data[:PDF_MAGIC_WINDOW]:
        return PDF
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    raise UnsupportedFileType(
        f"it is {describe(data)}, not a PDF, TIFF, PNG or JPEG file; scan or save the letter as one of those"
    )


def describe(data: bytes) -> str:
    """A clerk-readable guess of what unsupported bytes are."""
    for magic, what in _REFUSED_MAGIC:
        if data.startswith(magic):
            return what
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        heic = brand in (b"heic", b"heix", b"mif1", b"msf1")
        return "a HEIC photo" if heic else "a video or photo container"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        head = data[:4096]
        if b"word/" in head:
            return "a Word document (.docx)"
        if b"xl/" in head:
            return "an Excel workbook (.xlsx)"
        if b"ppt/" in head:
            return "a PowerPoint file (.pptx)"
        return "a ZIP archive"
    text = _as_text(data[:4096])
    if text is not None:
        low = text.lstrip("\ufeff \t\r\n").lower()
        if "<svg" in low[:2048]:
            return "an SVG image"
        if low.startswith(("<!doctype html", "<html")) or "<html" in low[:1024]:
            return "an HTML page"
        if low.startswith("<?xml"):
            return "an XML file"
        if low.startswith(("{", "[")):
            return "a JSON or other data file"
        return "plain text"
    return "an unknown kind of file"


def _as_text(head: bytes) -> str | None:
    """The head as text when it looks like text (UTF-8 or UTF-16 with BOM), else None."""
    for encoding, bom in (("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff")):
        if head.startswith(bom):
            return head.decode(encoding, errors="replace")
    text = head.decode("utf-8", errors="replace")
    # A cut in the middle of a multi-byte character at the end of the window is not binary.
    bad = text[:-3].count("\ufffd")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    if bad + controls > max(2, len(text) // 50):
        return None
    return text
