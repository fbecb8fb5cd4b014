"""Words of a text-layer PDF page through pdfplumber, with characters kept lean.

pdfplumber turns every character pdfminer lays out into a dict of some twenty-five resolved
attributes (colours, graphic state, matrix, font), about a third of a page's time, before
`extract_words` reads six of them. `WordPage` is pdfplumber's own `Page` with that one step
narrowed to what word grouping reads; everything else (pdfminer's parsing, the grouping) is
pdfplumber's. tests/test_ingest.py checks the words equal those of a stock page on every sample.

Imported only when a PDF has a text layer (pdfplumber and pdfminer are heavy imports).
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pdfplumber
from pdfminer.layout import LTChar, LTItem
from pdfplumber.page import Page

WORD_OPTIONS: dict[str, Any] = {"keep_blank_chars": False, "use_text_flow": False, "x_tolerance": 1.5}


class WordPage(Page):
    """A pdfplumber page whose characters carry text, box, `upright` and size only."""

    def process_object(self, obj: LTItem) -> dict[str, Any]:
        if not isinstance(obj, LTChar):
            return super().process_object(obj)
        mb_x0, mb_top = self.mediabox[:2]
        text = obj.get_text()
        if self.pdf.unicode_norm is not None:
            text = unicodedata.normalize(self.pdf.unicode_norm, text)
        top = (self.height - obj.y1) + mb_top
        return {
            "object_type": "char",
            "page_number": self.page_number,
            "text": text,
            "x0": obj.x0 + mb_x0,
            "x1": obj.x1 + mb_x0,
            "y0": obj.y0,
            "y1": obj.y1,
            "top": top,
            "bottom": (self.height - obj.y0) + mb_top,
            "doctop": self.initial_doctop + top,
            "upright": obj.upright,
            "size": obj.size,
            "width": obj.width,
            "height": obj.height,
            "fontname": obj.fontname,
        }


def page_words(pdf: pdfplumber.PDF, number: int) -> list[dict[str, Any]]:
    """`extract_words` of page `number` (1-based), as a stock pdfplumber page gives them."""
    stock = pdf.pages[number - 1]
    page = WordPage(pdf, stock.page_obj, stock.page_number, stock.initial_doctop)
    return list(page.extract_words(**WORD_OPTIONS))
