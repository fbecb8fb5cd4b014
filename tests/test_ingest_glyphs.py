"""Capital I and T of acronyms checked against their glyphs (ingest.glyphs): on words drawn in
the fonts letters use, and on a sample letter read by real Tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest import read_document
from ingest.glyphs import glyph_sizes, recheck_capitals
from ingest.model import Line, Word
from samples.generate import load_source, render_scan

LETTERS = Path(__file__).resolve().parent.parent / "samples" / "letters"
FONTS = Path("/usr/share/fonts/truetype/liberation2")
SERIF = FONTS / "LiberationSerif-Regular.ttf"  # Times New Roman's metrics, the decree's face
SERIF_BOLD = FONTS / "LiberationSerif-Bold.ttf"
SANS = FONTS / "LiberationSans-Regular.ttf"
PX = 54  # 13 pt at 300 DPI


def _drawn(printed: str, font: Path = SERIF, px: int = PX) -> tuple[Image.Image, Word]:
    """`printed` drawn black on white, and a Word over it whose text is still to be set."""
    face = ImageFont.truetype(str(font), px)
    image = Image.new("L", (px * len(printed) + 40, px * 2), 255)
    ImageDraw.Draw(image).text((20, px // 2), printed, font=face, fill=0)
    x0, y0, x1, y1 = face.getbbox(printed)
    return image, Word(printed, (20 + x0 - 2, px // 2 + y0 - 2, 20 + x1 + 2, px // 2 + y1 + 2), 89.0)


def _reread(image: Image.Image, word: Word, read_as: str) -> str:
    misread = Word(read_as, word.bbox, word.confidence)
    return recheck_capitals(image, (Line((misread,)),))[0].words[0].text


@pytest.mark.parametrize(
    ("printed", "read_as"),
    [("(DTI)", "(DTT)"), ("DTI", "DII"), ("IOC", "TOC"), ("VT,", "VI,"), ("TIN", "IIN"), ("ITU", "TTU")],
)
@pytest.mark.parametrize("font", [SERIF, SERIF_BOLD, SANS], ids=["serif", "serif-bold", "sans"])
def test_a_swapped_i_or_t_takes_the_letter_its_glyph_shows(printed: str, read_as: str, font: Path) -> None:
    image, word = _drawn(printed, font)
    assert _reread(image, word, read_as) == printed


@pytest.mark.parametrize("printed", ["(DTI)", "BTTTT-CĐSQG", "TT&TT", "IOC", "GIA", "LAI", "VIETTEL", "TM."])
def test_a_right_reading_stays(printed: str) -> None:
    image, word = _drawn(printed)
    assert _reread(image, word, printed) == printed


def test_a_small_lower_case_letter_read_as_t_is_not_measured_as_a_capital() -> None:
    image, word = _drawn("GDTrH")  # Tesseract reads it `GDTTH`: the `r` is narrow but short
    assert _reread(image, word, "GDTTH") == "GDTTH"


def test_touching_glyphs_leave_the_word_as_read() -> None:
    image, word = _drawn("DTI")
    x0, y0, x1, y1 = word.bbox
    middle = (y0 + y1) / 2
    ImageDraw.Draw(image).line((x0, middle, x1, middle), fill=0, width=3)  # a rule struck through
    assert len(glyph_sizes(image, word.bbox)) != 3
    assert _reread(image, word, "DTT") == "DTT"


def test_specks_are_not_glyphs() -> None:
    image, word = _drawn("(DTI)")
    draw = ImageDraw.Draw(image)
    for x in range(int(word.bbox[0]) + 4, int(word.bbox[2]) - 4, 17):
        draw.point((x, word.bbox[1] + 3), fill=0)
    assert len(glyph_sizes(image, word.bbox)) == 5
    assert _reread(image, word, "(DTT)") == "(DTI)"


@pytest.mark.parametrize(
    ("printed", "read_as"), [("IỈNH", "TỈNH"), ("Iin", "Tin"), ("I", "T"), ("I2", "T2"), ("T,", "I,")]
)
def test_words_that_are_not_acronyms_are_not_looked_at(printed: str, read_as: str) -> None:
    """Each glyph would swap the letter if the word were looked at: a marked syllable, lower
    case, a single capital."""
    image, word = _drawn(printed)
    assert len(glyph_sizes(image, word.bbox)) == len(read_as)  # the count would match
    assert _reread(image, word, read_as) == read_as


def test_the_acronym_of_a_scanned_subject_reads_as_printed() -> None:
    """Tesseract reads this letter's `(DTI)` as `(DTT)` in the subject and the body (confidence
    82-89) on the clean scan of seed 100; the glyph check gives it back."""
    source = load_source(LETTERS / "bo-tttt-2025-huong-dan-dti.txt")
    doc = read_document(render_scan(source, degraded=False, seed=100))
    words = [w.text for page in doc.pages for line in page.lines for w in line.words]
    assert words.count("(DTI)") == 2, [w for w in words if "DT" in w]
    assert "(DTT)" not in words
