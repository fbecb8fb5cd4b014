"""The signer second look: when it runs (post or name missing) and how its rows are laid in."""

from __future__ import annotations

from ocrlines import ocr_line

from ingest.model import Line, Word
from ingest.signer import is_name_line, is_post_line, merge_rows, whole


def _line(text: str, x: float, y: float, conf: float = 95.0) -> Line:
    return ocr_line(text, x, y, conf)


def test_a_post_is_not_an_authority_step() -> None:
    assert is_post_line(_line("PHÓ CHỦ TỊCH", 0, 0))
    assert is_post_line(_line("GIÁM ĐỐC", 0, 0))
    assert is_post_line(_line("Q. GIÁM ĐỐC", 0, 0))
    assert not is_post_line(_line("KT. CHỦ TỊCH", 0, 0))
    assert not is_post_line(_line("KT CHỦ TỊCH", 0, 0))  # the dot lost
    assert not is_post_line(_line("TM. ỦY BAN NHÂN DÂN", 0, 0))
    assert not is_post_line(_line("CHỦ", 0, 0))  # the seal's rim took TỊCH


def test_a_name_with_a_fragment_the_seal_left_is_no_name() -> None:
    assert is_name_line(_line("Nguyễn Thị Thanh Lịch", 0, 0))
    assert not is_name_line(_line("D ố Minh Tuấn", 0, 0, conf=30))
    assert not is_name_line(_line("e Văn Thành", 0, 0))


def test_a_block_is_whole_when_its_post_and_name_were_read_surely() -> None:
    block = [_line("KT. TỔNG GIÁM ĐỐC", 1000, 1000), _line("PHÓ TỔNG GIÁM ĐỐC", 1000, 1060)]
    name = _line("Nguyễn Trung Kiên", 1000, 1400)
    signature = _line("~XNG", 1100, 1200, conf=20)  # the signature's strokes, read as letters
    assert whole((*block, signature, name))
    assert not whole((block[0], name))  # no post
    assert not whole(tuple(block))  # no name


def test_a_block_with_a_doubted_word_is_not_whole() -> None:
    """Tesseract read the post with its tone marks lost (`PHO TONG`): sure of `PHO`, not of
    `TONG`; and a name read in doubt."""
    post = Line((*_line("PHO", 1000, 1060).words, *_line("TONG GIÁM ĐỐC", 1140, 1060, conf=0).words))
    assert not whole((_line("KT. TỔNG GIÁM ĐỐC", 1000, 1000), post, _line("Nguyễn Trung Kiên", 1000, 1400)))
    name = _line("Võ Bine Hung", 1000, 1400, conf=30)
    assert not whole((_line("CHỦ TỊCH", 1000, 1000), name))


def test_a_doubted_step_of_the_chain_is_left_to_the_extraction() -> None:
    """`'IM.` (`TM.`) or `KT. GLÁM ĐỐC` read in doubt above a post and a name read surely: the
    extraction snaps the chain to the decree's steps, a second look would add nothing."""
    chain = _line("'IM. UY BAN NHAN DAN", 1000, 940, conf=45)
    assert whole((chain, _line("PHÓ CHỦ TỊCH", 1000, 1060), _line("Nguyễn Thị Thanh Lịch", 1000, 1400)))
    chain = Line((*_line("KT.", 1000, 1000).words, *_line("GLÁM", 1080, 1000, conf=49).words))
    assert whole((chain, _line("PHÓ GIÁM ĐỐC", 1000, 1060), _line("Đỗ Minh Tuấn", 1000, 1400)))


def test_second_look_replaces_a_partial_post_and_keeps_the_list_words() -> None:
    row = Line(_line("- Như trên;", 100, 1000).words + _line("CHỦ", 1000, 1000).words)
    page = (row, _line("Nguyễn Đức Thanh", 1000, 1400))  # the list item and the post read as one row
    found = (_line("CHỦ TỊCH", 1000, 1004), _line("Nguyễn Đức Thanh", 1000, 1402))

    def inside(word: Word) -> bool:
        return word.bbox[0] >= 900

    merged = merge_rows(page, found, inside)
    texts = [ln.text for ln in merged]
    assert "- Như trên;" in texts and "CHỦ TỊCH" in texts
    assert texts.count("Nguyễn Đức Thanh") == 1  # a row the page pass read well stays as it was


def test_second_look_adds_a_row_the_page_pass_lost() -> None:
    page = (_line("KT. CHỦ TỊCH", 1000, 1000), _line("Dương Văn Hòa", 1000, 1400))
    found = (_line("KT. CHỦ TỊCH", 1000, 1000), _line("PHÓ CHỦ TỊCH", 1000, 1060))
    merged = merge_rows(page, found, lambda w: True)
    assert [ln.text for ln in merged] == ["KT. CHỦ TỊCH", "Dương Văn Hòa", "PHÓ CHỦ TỊCH"]


def test_second_look_replaces_a_post_or_name_read_in_part() -> None:
    page = (
        _line("HÓ", 1000, 1000),
        _line("CHỦ TỊCH", 1100, 1005),  # the page pass cut the post in two lines
        Line((Word(")", (990, 1400, 1000, 1440), 20.0), *_line("ương Văn Hòa", 1010, 1400).words)),
    )
    found = (
        _line("PHÓ CHỦ TỊCH", 1000, 1002),
        Line((Word("l", (980, 1400, 990, 1440), 30.0), *_line("Dương Văn Hòa", 1000, 1400).words)),
    )
    merged = merge_rows(page, found, lambda w: True)
    assert [ln.text for ln in merged] == ["PHÓ CHỦ TỊCH", "l Dương Văn Hòa"]


def test_no_second_look_at_a_region_with_nothing_more_to_read() -> None:
    """An unsigned letter, or a block read whole: no ink beyond the words read surely."""
    from PIL import Image, ImageDraw

    from ingest.signer import nothing_more

    page = Image.new("L", (2000, 2000), 255)
    draw = ImageDraw.Draw(page)
    read = (_line("TM. ỦY BAN NHÂN DÂN", 1200, 1000),)
    for w in read[0].words:  # the ink of the one line read
        draw.rectangle(tuple(round(v) for v in w.bbox), fill=0)
    box = (1000, 950, 2000, 1900)
    assert nothing_more(page, box, read)
    assert not nothing_more(page, box, (_line("TM. ỦY BAN NHÂN DÂN", 1200, 1000, conf=20),))  # doubted
    draw.rectangle((1250, 1300, 1700, 1350), fill=40)  # a post the page pass lost
    assert not nothing_more(page, box, read)
