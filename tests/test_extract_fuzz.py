"""Fuzzing the body and footer rules below their safety net.

`recipients`, `citations`, `tasks` and `footer` each catch any exception and return nothing,
so `extract/` never raises; these tests call the functions under that net, so a bug shows
as a failure here instead of as silently missing values. Inputs: the shared letters with
random OCR-like edits (as plain text, and as positioned zones with random confidences), and
token soup built from the words the rules look for. Every value found must have evidence
that points into the text, and every deadline and date must be a real date.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import citations, footer, recipients, tasks
from extract.textview import TextView
from extract.views import Extraction, ZoneViews
from ingest.model import Line, Word

LETTERS = sorted((Path(__file__).resolve().parent / "data" / "shared-letters").glob("*.txt"))
TEXTS = [p.read_text() for p in LETTERS]
FUZZ = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
SLIPS = "0OoIl1|ĐDđdưuơoăaâaêeôo .,;:-()/\n"
PIECES = [
    "Kính gửi:", "Nơi nhận:", "- ", "; ", "./.", "1. ", "2. ", "a) ", "đ) ", "Điều 3. ", "Giao ", "Đề nghị ",
    "Yêu cầu ", "các sở, ban, ngành", "Sở Tài chính", "Ủy ban nhân dân tỉnh", " và ",
    " chủ trì, phối hợp với ", "có trách nhiệm", "trước ngày 31/2", "trong tháng 13/2023", "số 1/",
    "số 57-NQ/TW", "/2020/NĐ-CP", " của ",
    "TM. ", "KT. ", "TL. ", "Q. ", "CHỦ TỊCH", "(Đã ký)", "Lưu: VT, ", "Nguyễn Văn A", "\n", ":", "(", ")",
]  # fmt: skip


@st.composite
def edited(draw: st.DrawFn) -> str:
    text = list(draw(st.sampled_from(TEXTS)))
    for _ in range(draw(st.integers(0, 30))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["drop", "double", "slip", "cut", "piece"]))
        if op == "drop":
            del text[at]
        elif op == "double":
            text.insert(at, text[at])
        elif op == "slip":
            text[at] = draw(st.sampled_from(SLIPS))
        elif op == "cut":
            del text[at : at + draw(st.integers(1, 200))]
        else:
            text[at:at] = list(draw(st.sampled_from(PIECES)))
    return "".join(text)


soup = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=80).map("".join)


def run_all(views: ZoneViews, text: str) -> Extraction:
    """The four rule modules, each called under its `try` (the functions it wraps)."""
    out = Extraction()
    view = views.body if views.body.text.strip() else views.whole
    for name, _ in recipients._recipients(view):
        assert name
    found = citations.find_citations(view.text, own_number=None)
    citations._put(out, view, found)
    tasks._put(out, view, tasks.find_tasks(view.text, 2023, view))
    footer._extract(views, out, "UBND-KGVX", None)
    return out


def check(out: Extraction, views: ZoneViews) -> None:
    for ref in out.values["references"]:
        assert ref.number and (ref.date is None or date.fromisoformat(ref.date))
    for task in out.values["tasks"]:
        assert task.assignees and task.text
        assert task.deadline is None or date.fromisoformat(task.deadline)
    texts = {views.whole.text, views.body.text, views.footer_left.text, views.footer_right.text}
    for key, regions in out.evidence.items():
        assert key.startswith("/") and regions
        for region in regions:
            x0, y0, x1, y1 = region.bbox
            assert x0 <= x1 and y0 <= y1
            assert any(word in t for t in texts for word in region.text.split()[:1])


def positioned(text: str, confidence: list[float]) -> ZoneViews:
    """The text as one OCR'd page: body above, the last lines split into two footer columns."""
    lines = text.split("\n")
    cut = max(0, len(lines) - 12)

    def view(rows: list[str], x0: float, y0: int) -> TextView:
        out = []
        for y, row in enumerate(rows, start=y0):
            words, x = [], x0
            for k, token in enumerate(row.split()):
                conf = confidence[(y + k) % len(confidence)] if confidence else None
                words.append(Word(token, (x, y * 40.0, x + 9.0 * len(token), y * 40.0 + 30), conf))
                x += 9.0 * (len(token) + 1)
            if words:
                out.append((1, Line(tuple(words))))
        return TextView.of(out)

    body, tail = lines[:cut], lines[cut:]
    left = [ln for i, ln in enumerate(tail) if i % 2 == 0]
    right = [ln for i, ln in enumerate(tail) if i % 2 == 1]
    empty = TextView.of_text("")
    return ZoneViews(
        empty, empty, view(body, 200, 0), view(left, 200, cut), view(right, 1300, cut), view(lines, 200, 0)
    )


@FUZZ
@given(edited())
def test_edited_letters_as_plain_text(text: str) -> None:
    views = ZoneViews.of_text(text)
    check(run_all(views, text), views)


@FUZZ
@given(edited(), st.lists(st.floats(0, 100), max_size=7))
def test_edited_letters_as_positioned_zones(text: str, confidence: list[float]) -> None:
    views = positioned(text, confidence)
    check(run_all(views, text), views)


@FUZZ
@given(soup)
def test_token_soup(text: str) -> None:
    views = ZoneViews.of_text(text)
    check(run_all(views, text), views)


def test_pathological_inputs_stay_fast() -> None:
    run_all(ZoneViews.of_text(TEXTS[0]), TEXTS[0])  # models loaded before the clock starts
    for text in (
        "Kính gửi: " + "Sở Tài chính, " * 3000,
        "1. Giao Sở Tài chính " * 2000,
        "Văn bản số 1/A-B của " * 2000,
        "Nơi nhận:\n" + "- TM. KT. Như trên;\n" * 2000,
        "các sở, " * 5000 + "chủ trì",
    ):
        start = time.perf_counter()
        run_all(ZoneViews.of_text(text), text)
        assert time.perf_counter() - start < 5.0  # quadratic scans took minutes here
