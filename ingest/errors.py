"""Failures a user can meet while a file is read, one type each.

Every error carries a message a clerk understands, the HTTP status the service
answers with and the exit code the command line ends with.
"""

from __future__ import annotations


class CongvanError(Exception):
    """Base of every failure shown to a user (never a traceback)."""

    http_status = 422
    exit_code = 1
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyFile(CongvanError):
    code = "empty-file"
    exit_code = 3


class UnsupportedFileType(CongvanError):
    code = "unsupported-type"
    http_status = 415
    exit_code = 3


class DamagedFile(CongvanError):
    """The bytes claim a known type but cannot be decoded (truncated, corrupt)."""

    code = "damaged-file"
    exit_code = 3


class EncryptedPdf(CongvanError):
    code = "encrypted-pdf"
    exit_code = 3


class UnsafePdf(CongvanError):
    """PDF with JavaScript, embedded files or launch actions."""

    code = "unsafe-pdf"
    exit_code = 3


class FileTooLarge(CongvanError):
    code = "file-too-large"
    http_status = 413
    exit_code = 4


class TooManyPages(CongvanError):
    code = "too-many-pages"
    http_status = 413
    exit_code = 4


class ImageTooLarge(CongvanError):
    """Pixel count over the limit, checked before the image is decoded."""

    code = "image-too-large"
    http_status = 413
    exit_code = 4


class OcrTimeout(CongvanError):
    code = "ocr-timeout"
    exit_code = 5


class OcrUnavailable(CongvanError):
    """Tesseract or its `vie` model is missing on this machine."""

    code = "ocr-unavailable"
    http_status = 503
    exit_code = 6
