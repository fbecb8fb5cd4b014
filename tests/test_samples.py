"""The sample corpus, its labels, the scan generator and the shipped scans (fast: no OCR)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path

import jsonschema
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from samples.generate import SHIPPED, label_for, main, render_pdf, render_scan
from samples.render import page_count
from samples.source import BadLetterSource, corpus, load_label, load_source, parse_source

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
LETTERS = sorted(corpus())
SEED = SAMPLES / "letters" / "ubnd-gia-lai-2023-08-chuyen-doi-so.txt"
SCHEMA = json.loads((SAMPLES / "letter.schema.json").read_text(encoding="utf-8"))


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _body_text(path: Path) -> str:
    src = load_source(path)
    return _fold(" ".join(src.body).replace("**", ""))


def _issuer_kind(label: dict) -> str:
    issuer = (label["issuer"] or "").lower()
    if label.get("parent_body") and issuer.startswith("sở"):
        return "sở"
    if issuer.startswith(("bộ ", "văn phòng chính phủ")):
        return "central"
    if any(k in issuer for k in ("tập đoàn", "viettel", "viễn thông", "tổng công ty")):
        return "enterprise"
    if re.match(r"ủy ban nhân dân (huyện|thị xã|xã|phường|thành phố (?!hà nội|hồ chí minh))", issuer):
        return "district"
    if issuer.startswith("ủy ban nhân dân"):
        return "province"
    return "other"


# ---------------------------------------------------------------- corpus


def test_corpus_has_enough_letters_types_and_issuers() -> None:
    labels = [load_label(p) for p in LETTERS]
    assert len(LETTERS) >= 24
    assert all(p.with_suffix(".json").is_file() for p in LETTERS)
    types = {lab["doc_type"] for lab in labels}
    assert len(types) >= 5, types
    assert {
        "công văn",
        "quyết định",
        "thông báo",
        "kế hoạch",
        "báo cáo",
        "tờ trình",
        "giấy mời",
        "chỉ thị",
    } <= types
    kinds = {_issuer_kind(lab) for lab in labels}
    assert {"province", "sở", "central", "enterprise", "district"} <= kinds, kinds


@pytest.mark.parametrize("path", LETTERS, ids=[p.stem for p in LETTERS])
def test_label_validates_against_the_contract(path: Path) -> None:
    label = load_label(path)
    jsonschema.Draft202012Validator(SCHEMA).validate(label)
    # beyond the schema: every task names who acts and every list item is trimmed as the README says
    for task in label["tasks"]:
        assert task["assignees"], task
        assert set(task) == {"ordinal", "assignees", "text", "deadline", "cooperating"}
    for item in label["distribution"] + label["recipients"]:
        assert item == item.strip() and not item.startswith("- ") and not item.endswith((";", ".")), item


@pytest.mark.parametrize("path", LETTERS, ids=[p.stem for p in LETTERS])
def test_label_agrees_with_the_source_text(path: Path) -> None:
    """Labels say what the rendered page shows: catches a typo in either file."""
    src, label = load_source(path), load_label(path)
    number_line = _fold(src.number_line)
    assert label["symbol"] and number_line.endswith("/" + label["symbol"]), number_line
    if label["number"]:
        assert number_line == f"Số: {label['number']}"
    else:
        assert re.fullmatch(r"Số: ?/\S+", number_line), number_line
    if label["subject"]:
        shown = (
            " ".join(src.subject_lines).removeprefix("V/v ") if src.subject_lines else " ".join(src.title[1:])
        )
        assert _fold(shown) == _fold(label["subject"])
    assert label["urgency"] == src.urgency
    assert (label["place"] or "") in src.header_right[-1]
    if label["parent_body"]:
        assert label["parent_body"] == src.parent_body
    body = _body_text(path)
    for item in label["recipients"]:
        assert _fold(item) in body, item
    for ref in label["references"]:
        assert ref["number"] in body, ref
    for task in label["tasks"]:
        for name in task["assignees"] + task["cooperating"]:
            assert _fold(name).lower() in body.lower(), name
    footer = _fold(" ".join(src.footer_left))
    for item in label["distribution"]:
        assert _fold(item) in footer, item
    signer = label["signer"] or {}
    assert signer.get("name") == src.signer_name
    lines = list(src.signer_lines)
    if signer.get("position"):
        assert lines and lines[-1] == signer["position"]
        lines = lines[:-1]
    assert (signer.get("authority") or None) == (" ".join(lines) or None)


def test_corpus_covers_the_shapes_extraction_must_handle() -> None:
    bodies = {p.stem: _body_text(p) for p in LETTERS}
    labels = {p.stem: load_label(p) for p in LETTERS}
    everything = " ".join(bodies.values())
    # citation number shapes: công văn, legal document with year, party document
    assert re.search(r"\b\d+/[A-ZĐ]+-[A-ZĐ]+\b", everything)
    assert re.search(r"\b\d+/\d{4}/NĐ-CP\b", everything)
    assert re.search(r"\b\d+-NQ/TW\b", everything)
    # date forms in the body
    assert re.search(r"ngày \d{1,2}/\d{1,2}/\d{4}", everything)
    assert re.search(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}", everything)
    assert re.search(r"ngày \d{1,2}\.\d{1,2}\.\d{4}", everything)
    # deadlines: full date, day/month without year, a month
    deadlines = [t["deadline"] for lab in labels.values() for t in lab["tasks"] if t["deadline"]]
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in deadlines)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in deadlines)  # a month is read as its last day
    assert "2023-11-30" in deadlines  # `trong tháng 11/2023`
    assert re.search(r"trước ngày \d{1,2}/\d{1,2}(?![/\d])", everything)
    assert re.search(r"trong tháng \d{1,2}/\d{4}", everything)
    # mixed-case and unusual symbols, urgency marks, signer chains
    symbols = {lab["symbol"] for lab in labels.values()}
    assert {"TTr-UBND", "SGD&ĐT-KHTC", "UBND-VX1"} <= symbols
    assert {"HỎA TỐC", "KHẨN"} <= {lab["urgency"] for lab in labels.values()}
    authorities = " | ".join((lab["signer"] or {}).get("authority") or "" for lab in labels.values())
    assert "TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG" in authorities and "TUQ." in authorities
    assert any((lab["signer"] or {}).get("position", "").startswith("Q.") for lab in labels.values())
    # one Kính gửi on one line, letters without Nơi nhận, multi-page letters
    assert any(re.search(r"^Kính gửi: \S", line) for p in LETTERS for line in load_source(p).body)
    assert sum(1 for lab in labels.values() if not lab["distribution"]) >= 2
    assert sum(1 for lab in labels.values() if lab["source"]["pages"] >= 2) >= 3


def test_the_four_letters_the_seed_cites_and_the_follow_ups_are_in_the_corpus() -> None:
    numbers = {load_label(p)["number"]: p.stem for p in LETTERS}
    seed_refs = [r["number"] for r in load_label(SEED)["references"]]
    assert seed_refs == ["2956/VTS-ĐTTM", "131/GLI-KDGP", "980/VNPT-GL-CNTT", "1294/VNPT-GL-CNTT"]
    assert all(n in numbers for n in seed_refs)
    assert "2085/UBND-KGVX" in numbers
    registered = load_source(SAMPLES / "letters" / f"{numbers['2085/UBND-KGVX']}.txt")
    assert registered.body == load_source(SEED).body
    cites_registered = [
        p.stem for p in LETTERS if any(r["number"] == "2085/UBND-KGVX" for r in load_label(p)["references"])
    ]
    assert any(
        load_label(SAMPLES / "letters" / f"{s}.txt")["doc_type"] == "báo cáo" for s in cites_registered
    )


def test_pilots_table() -> None:
    rows = list(csv.DictReader((SAMPLES / "pilots.csv").open(encoding="utf-8")))
    assert len(rows) >= 8
    assert set(rows[0]) == {"solution", "provider", "host_body", "start", "end", "status", "notes"}
    assert {r["status"] for r in rows} <= {"proposed", "piloting", "evaluated", "adopted", "stopped"}
    for r in rows:
        assert all(re.fullmatch(r"(\d{4}-\d{2}-\d{2})?", r[k]) for k in ("start", "end")), r
        assert not r["start"] or not r["end"] or r["start"] <= r["end"], r


# ---------------------------------------------------------------- generator


def test_label_page_counts_match_the_rendering() -> None:
    wrong = {}
    for p in LETTERS:
        pages = page_count(render_pdf(p))
        if pages != load_label(p)["source"]["pages"]:
            wrong[p.stem] = pages
    assert wrong == {}


def test_seed_letter_renders_as_a_degraded_two_page_image_only_pdf() -> None:
    data = render_scan(SEED, fmt="pdf", degraded=True, seed=0)
    doc = pdfium.PdfDocument(data)
    assert len(doc) == 2
    for i in range(2):
        assert doc[i].get_textpage().get_text_range().strip() == ""  # a scan has no text layer
        w, h = doc[i].get_size()
        assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1  # A4
    assert 150_000 < len(data) < 1_200_000


def test_text_pdf_has_a_text_layer_with_the_header() -> None:
    doc = pdfium.PdfDocument(render_pdf(SAMPLES / "letters" / "viettel-vts-2023-2956.txt"))
    text = _fold(doc[0].get_textpage().get_text_range())
    assert "Số: 2956/VTS-ĐTTM" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Hà Nội, ngày 14 tháng 4 năm 2023" in text


def test_tiff_holds_every_page() -> None:
    path = SAMPLES / "letters" / "ubnd-gia-lai-2023-ke-hoach-cds.txt"
    with Image.open(io.BytesIO(render_scan(path, fmt="tiff"))) as img:
        assert img.n_frames == load_label(path)["source"]["pages"] == 2
        assert img.info["dpi"][0] == pytest.approx(300)


def test_degraded_scans_differ_from_clean_ones_and_are_deterministic() -> None:
    src = load_source(SAMPLES / "letters" / "vpcp-2026-3722.txt")
    clean = Image.open(io.BytesIO(render_scan(src, fmt="jpeg")))
    degraded_bytes = render_scan(src, fmt="jpeg", degraded=True, seed=1)
    degraded = Image.open(io.BytesIO(degraded_bytes))
    # 300 vs 200 DPI on A4 (210 x 297 mm)
    assert abs(clean.width - 2480) <= 2 and abs(clean.height - 3508) <= 2
    assert abs(degraded.width - 1654) <= 2 and abs(degraded.height - 2339) <= 2
    # the paper is no longer white and the page is tilted: the top-left corner shows the rotation fill
    grey = np.asarray(degraded.convert("L"), dtype=np.float32)
    assert 200 < grey[60:100, 800:1000].mean() < 245
    same_size = np.asarray(clean.convert("L").resize(degraded.size), dtype=np.float32)
    assert np.abs(same_size - grey).mean() > 5
    assert render_scan(src, fmt="jpeg", degraded=True, seed=1) == degraded_bytes
    assert render_scan(src, fmt="jpeg", degraded=True, seed=2) != degraded_bytes


def test_png_and_jpeg_hold_page_one_only_and_write_sample_skips_longer_letters(tmp_path: Path) -> None:
    assert main([str(tmp_path), "--format", "png", "--only", "vpcp-2026-3722", "ubnd-ha-noi-2026-2280"]) == 0
    assert (tmp_path / "vpcp-2026-3722.png").is_file()
    assert not (tmp_path / "ubnd-ha-noi-2026-2280.png").exists()  # two pages: does not fit one image
    label = json.loads((tmp_path / "vpcp-2026-3722.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(label)
    assert label["source"]["media_type"] == "image/png" and label["source"]["pages"] == 1
    assert label["source"]["text_source"] == ["ocr"]


def test_cli_reports_a_bad_letters_directory_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main([str(tmp_path / "out"), "--letters", str(tmp_path)]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[body]\nx", "missing section [header-left]"),
        ("[header-left]\nỦY BAN\n[header-right]\nx\n[body]\ny", "no 'Số:' line"),
        ("stray\n[header-left]\nA\nSố: 1/X\n[header-right]\nx\n[body]\ny", "before the first"),
        ("[header-left]\nSố: 1/X\n[header-right]\nx\n[body]\ny", "names no issuing body"),
    ],
)
def test_bad_sources_raise_one_clear_error(text: str, reason: str) -> None:
    with pytest.raises(BadLetterSource, match=re.escape(reason)):
        parse_source(text, name="bad")


# ---------------------------------------------------------------- shipped scans


def test_shipped_scans_are_small_labelled_and_current() -> None:
    scans = SAMPLES / "scans"
    files = [p for p in scans.iterdir() if p.suffix != ".json"]
    assert len(files) == len(SHIPPED)
    assert sum(p.stat().st_size for p in scans.iterdir()) < 3_000_000
    suffixes = {p.suffix for p in files}
    assert {".pdf", ".tif", ".png", ".jpg"} <= suffixes
    for p in files:
        label = json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(SCHEMA).validate(label)
        assert label["source"]["filename"] == p.name
        # the label beside the file is the corpus label plus this file's source block
        fresh = label_for(SAMPLES / "letters" / f"{p.stem}.txt", p.read_bytes(), _fmt_of(p), filename=p.name)
        assert label == fresh


def _fmt_of(path: Path) -> str:
    for name, fmt, _, _ in SHIPPED:
        if name == path.stem:
            return fmt
    raise AssertionError(f"{path.name} is not in SHIPPED")


def test_the_key_input_is_the_seed_letter_as_a_degraded_two_page_scan() -> None:
    path = SAMPLES / "scans" / "ubnd-gia-lai-2023-08-chuyen-doi-so.pdf"
    doc = pdfium.PdfDocument(path.read_bytes())
    assert len(doc) == 2
    assert doc[0].get_textpage().get_text_range().strip() == ""


def test_rotated_scans_turn_every_page_and_sideways_pages_are_landscape() -> None:
    path = SAMPLES / "letters" / "vpcp-2026-3722.txt"
    upright = np.asarray(Image.open(io.BytesIO(render_scan(path, fmt="jpeg", dpi=100))), dtype=np.int16)
    turned = Image.open(io.BytesIO(render_scan(path, fmt="jpeg", dpi=100, rotate=180)))
    flipped = np.asarray(turned, dtype=np.int16)
    assert np.abs(flipped[::-1, ::-1] - upright).mean() < 2  # the same page, upside down
    assert np.abs(flipped - upright).mean() > 3
    doc = pdfium.PdfDocument(render_scan(path, fmt="pdf", dpi=100, rotate=90))
    w, h = doc[0].get_size()
    assert w > h
    with pytest.raises(ValueError, match="multiple of 90"):
        render_scan(path, fmt="jpeg", dpi=100, rotate=45)


def test_arrival_stamp_marks_page_one_only() -> None:
    path = SAMPLES / "letters" / "ubnd-gia-lai-2023-ke-hoach-cds.txt"
    plain = pdfium.PdfDocument(render_scan(path, fmt="pdf", dpi=100, seed=4))
    stamped = pdfium.PdfDocument(render_scan(path, fmt="pdf", dpi=100, stamp=True, seed=4))

    def top_band(doc: pdfium.PdfDocument, i: int) -> np.ndarray:
        img = doc[i].render(scale=50 / 72).to_pil().convert("L")
        return np.asarray(img, dtype=np.int16)[: img.height // 8]

    assert np.abs(top_band(stamped, 0) - top_band(plain, 0)).mean() > 1
    assert np.abs(top_band(stamped, 1) - top_band(plain, 1)).mean() < 0.5
