"""Positioned text in, a `Letter` out (rules of Decree 30/2020, see cong-van-format.md)."""

from .letter import extract_letter, extract_text, load_models
from .model import Citation, Directive, Letter, Region, Signer, Source

__all__ = [
    "Citation",
    "Directive",
    "Letter",
    "Region",
    "Signer",
    "Source",
    "extract_letter",
    "extract_text",
    "load_models",
]
