"""Render a letter source into a born-digital A4 PDF laid out as Decree 30/2020 prescribes.

Times-like serif (Liberation Serif) 13-14 pt, two-column header (issuing body left, national motto
right), centred title for typed documents, justified body with first-line indents, page numbers
from page 2, two-column footer (Nơi nhận left, signer right) with a red seal and a blue signature
over the signer block, as on a real signed letter. The text is real PDF text (a text layer); the seal
is an image and the signature a path, so neither adds words to the text layer.
"""

from __future__ import annotations

import io
import math
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .source import PAGE_BREAK, LetterSource

FONT_DIRS = (
    (
        Path("/usr/share/fonts/truetype/liberation2"),
        "LiberationSerif",
        ("Regular", "Bold", "Italic", "BoldItalic"),
    ),
    (
        Path("/usr/share/fonts/truetype/liberation"),
        "LiberationSerif",
        ("Regular", "Bold", "Italic", "BoldItalic"),
    ),
    (Path("/usr/share/fonts/truetype/dejavu"), "DejaVuSerif", ("", "Bold", "Italic", "BoldItalic")),
)
PAGE_W, PAGE_H = A4
# Decree 30/2020 margins: top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 30 * mm, 18 * mm, 20 * mm, 20 * mm


@dataclass(frozen=True)
class Layout:
    """The typist's choices within what Decree 30/2020 allows; seed 0 is the canonical layout.

    Other seeds vary margins, column widths, body size (13-14 pt), line spacing (single to 1.5),
    indents and spacing, so that nothing downstream can learn one fixed position.
    """

    margin_l: float = MARGIN_L
    margin_r: float = MARGIN_R
    margin_t: float = MARGIN_T
    header_left: float = 0.45  # share of the text width taken by the issuer's column
    body_size: float = 14
    leading: float = 1.22
    indent: float = 10 * mm
    after: float = 5
    kinh_gui_indent: float = 15 * mm
    date_gap: float = 14
    footer_left: float = 0.45
    noi_nhan_size: float = 11

    @property
    def text_w(self) -> float:
        return PAGE_W - self.margin_l - self.margin_r

    @staticmethod
    def pick(seed: int) -> Layout:
        if seed == 0:
            return Layout()
        rnd = random.Random(seed * 104729 + 7)
        return Layout(
            margin_l=rnd.uniform(30, 35) * mm,
            margin_r=rnd.uniform(15, 20) * mm,
            margin_t=rnd.uniform(18, 25) * mm,
            header_left=rnd.uniform(0.42, 0.47),
            body_size=rnd.choice((13, 13.5, 14)),
            leading=rnd.uniform(1.12, 1.4),
            indent=rnd.uniform(10, 12.7) * mm,
            after=rnd.uniform(2, 8),
            kinh_gui_indent=rnd.uniform(8, 25) * mm,
            date_gap=rnd.uniform(4, 18),
            footer_left=rnd.uniform(0.42, 0.5),
            noi_nhan_size=rnd.choice((11, 12)),
        )


SEAL_RED = (200, 30, 35)
INK_BLUE = (0.08, 0.15, 0.62)


@lru_cache(maxsize=1)
def font_family() -> str:
    """Register the serif family once and return its name ('Serif')."""
    for folder, stem, styles in FONT_DIRS:
        files = [folder / (f"{stem}-{s}.ttf" if s else f"{stem}.ttf") for s in styles]
        if all(f.exists() for f in files):
            for face, f in zip(
                ("Serif", "Serif-Bold", "Serif-Italic", "Serif-BoldItalic"), files, strict=True
            ):
                pdfmetrics.registerFont(TTFont(face, str(f)))
            pdfmetrics.registerFontFamily(
                "Serif",
                normal="Serif",
                bold="Serif-Bold",
                italic="Serif-Italic",
                boldItalic="Serif-BoldItalic",
            )
            return "Serif"
    raise RuntimeError("no Vietnamese serif font found (install fonts-liberation2 or fonts-dejavu-core)")


def _style(
    name: str,
    size: float = 14,
    *,
    bold: bool = False,
    italic: bool = False,
    align: int = TA_JUSTIFY,
    indent: float = 0,
    lead: float = 1.2,
    after: float = 0,
) -> ParagraphStyle:
    font_family()
    face = "Serif" + ("-Bold" if bold else "") + ("-Italic" if italic and not bold else "")
    if bold and italic:
        face = "Serif-BoldItalic"
    return ParagraphStyle(
        name,
        fontName=face,
        fontSize=size,
        leading=size * lead,
        alignment=align,
        firstLineIndent=indent,
        spaceAfter=after,
    )


def _markup(text: str) -> str:
    """Escape for reportlab's mini-HTML, turning `**x**` into bold."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(text))


class Rule(Flowable):
    """A short centred horizontal rule, as under the issuing body and the tagline."""

    def __init__(self, width: float, frame_width: float, gap: float = 2) -> None:
        super().__init__()
        self.rule_w, self.frame_w, self.gap = width, frame_width, gap

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.frame_w, self.gap * 2

    def draw(self) -> None:
        x0 = (self.frame_w - self.rule_w) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(x0, self.gap, x0 + self.rule_w, self.gap)


class UrgencyStamp(Flowable):
    """A boxed bold urgency mark (độ khẩn), left aligned under the header."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.w = pdfmetrics.stringWidth(text, "Serif-Bold", 14) + 16

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.w, 24

    def draw(self) -> None:
        self.canv.setLineWidth(1.2)
        self.canv.rect(0, 0, self.w, 22)
        self.canv.setFont("Serif-Bold", 14)
        self.canv.drawString(8, 6, self.text)


class SignerBlock(Flowable):
    """Signer lines centred and bold, space for the signature, the name; seal and signature on top."""

    SIZE = 13.5
    GAP = 30 * mm

    def __init__(self, lines: tuple[str, ...], name: str | None, seal_text: str, seed: int) -> None:
        super().__init__()
        self.lines, self.name, self.seal_text, self.seed = lines, name, seal_text, seed
        self.width = 0.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        h = len(self.lines) * self.SIZE * 1.25
        if self.name:
            h += self.GAP + self.SIZE * 1.3
        return aw, h

    def draw(self) -> None:
        c = self.canv
        _, h = self.wrap(self.width, 0)
        cx = self.width / 2
        y = h - self.SIZE
        c.setFont("Serif-Bold", self.SIZE)
        for line in self.lines:
            # A long authority line is set smaller rather than run past the page edge.
            size = min(
                self.SIZE,
                self.SIZE * (self.width - 6) / pdfmetrics.stringWidth(line, "Serif-Bold", self.SIZE),
            )
            c.setFont("Serif-Bold", size)
            c.drawCentredString(cx, y, line)
            y -= self.SIZE * 1.25
        c.setFont("Serif-Bold", self.SIZE)
        if not self.name:
            return
        name_y = self.SIZE * 0.3
        c.drawCentredString(cx, name_y, self.name)
        _signature(c, cx + 10, name_y + self.SIZE * 1.4 + self.GAP * 0.45, self.seed)
        # The seal sits left of centre, its rim across the post line and the signature, as when a
        # clerk stamps over a third of the signature (Decree 30/2020, Art. 12).
        r = 17 * mm
        seal = seal_image(self.seal_text)
        c.saveState()
        c.setFillAlpha(0.75)
        c.drawImage(
            ImageReader(seal),
            cx - 1.75 * r,
            name_y + self.SIZE + self.GAP * 0.5 - r,
            width=2 * r,
            height=2 * r,
            mask="auto",
        )
        c.restoreState()


def _signature(c: object, x: float, y: float, seed: int) -> None:
    """A blue hand-signature scribble: a few loops and a flourish, shaped by the seed."""
    import random

    rnd = random.Random(seed)
    path = c.beginPath()  # type: ignore[attr-defined]
    px, py = x - 45, y + rnd.uniform(-4, 4)
    path.moveTo(px, py)
    for _ in range(5):
        nx, ny = px + rnd.uniform(12, 22), py + rnd.uniform(-10, 10)
        path.curveTo(
            px + rnd.uniform(0, 10),
            py + rnd.uniform(10, 22),
            nx - rnd.uniform(0, 10),
            ny - rnd.uniform(10, 22),
            nx,
            ny,
        )
        px, py = nx, ny
    path.curveTo(px + 20, py + 14, px - 60, py - 16, x - 50, py - 10)
    c.saveState()  # type: ignore[attr-defined]
    c.setStrokeColorRGB(*INK_BLUE)  # type: ignore[attr-defined]
    c.setLineWidth(1.3)  # type: ignore[attr-defined]
    c.drawPath(path, stroke=1, fill=0)  # type: ignore[attr-defined]
    c.restoreState()  # type: ignore[attr-defined]


@lru_cache(maxsize=64)
def seal_image(text: str, px: int = 480) -> Image.Image:
    """A round red seal (con dấu): double rim, the issuer's name around, a star in the middle."""
    img = Image.new("RGBA", (px, px), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red = (*SEAL_RED, 255)
    c = px / 2
    for r, w in ((c - 4, 8), (c * 0.70, 4)):
        d.ellipse((c - r, c - r, c + r, c + r), outline=red, width=w)
    _star(d, c, c, c * 0.22, red)
    font_path = next(
        (str(f / (s + "-Bold.ttf")) for f, s, _ in FONT_DIRS if (f / (s + "-Bold.ttf")).exists()), None
    )
    font = ImageFont.truetype(font_path, int(px * 0.095)) if font_path else ImageFont.load_default()
    label = " ".join(text.upper().split())
    n = max(len(label), 1)
    span = min(330.0, 12.5 * n)  # degrees covered by the text, centred on the top
    radius = c * 0.85
    for i, ch in enumerate(label):
        ang = math.radians(-90 - span / 2 + span * (i + 0.5) / n)
        glyph = Image.new("RGBA", (int(px * 0.12), int(px * 0.12)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(ang) - 90, resample=Image.Resampling.BICUBIC)
        gx = c + radius * math.cos(ang) - glyph.width / 2
        gy = c + radius * math.sin(ang) - glyph.height / 2
        img.alpha_composite(glyph, (int(gx), int(gy)))
    return img


def _star(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: tuple[int, ...]) -> None:
    pts = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * 0.4
        a = math.radians(-90 + 36 * k)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=fill)


def _fit(
    name: str,
    text: str,
    size: float,
    width: float,
    *,
    bold: bool = False,
    italic: bool = False,
    lead: float = 1.2,
) -> Paragraph:
    """A centred header line, set up to 2 pt smaller so that it stays on one line as typists do."""
    face = (
        "Serif-BoldItalic"
        if bold and italic
        else "Serif-Bold"
        if bold
        else "Serif-Italic"
        if italic
        else "Serif"
    )
    font_family()
    natural = pdfmetrics.stringWidth(text, face, size)
    if natural > width:
        size = max(size - 2, size * width / natural)
    markup = escape(text).replace("  ", "&nbsp; ")
    return Paragraph(markup, _style(name, size, bold=bold, italic=italic, align=TA_CENTER, lead=lead))


def _header(src: LetterSource, lay: Layout) -> Table:
    left_w, right_w = lay.text_w * lay.header_left, lay.text_w * (1 - lay.header_left)
    inner_l, inner_r = left_w - 6, right_w - 6
    left: list[Flowable] = []
    for line in src.parent_lines:
        left.append(_fit("p", line, 13, inner_l))
    for line in src.issuer_lines:
        left.append(_fit("i", line, 13, inner_l, bold=True))
    left.append(Rule(left_w * 0.35, left_w - 4, gap=5))
    left.append(Spacer(1, 4))
    left.append(_fit("n", src.number_line, 13, inner_l))
    for line in src.subject_lines:
        left.append(_fit("v", line, 12, inner_l, lead=1.15))
    right: list[Flowable] = []
    motto = src.header_right[:-1] if len(src.header_right) > 1 else src.header_right
    for i, line in enumerate(motto):
        right.append(_fit("m", line, 12 if i == 0 else 13, inner_r, bold=True))
    tagline = motto[-1] if motto else ""
    right.append(Rule(pdfmetrics.stringWidth(tagline, "Serif-Bold", 13), right_w - 4, gap=2))
    if len(src.header_right) > 1:
        right.append(Spacer(1, lay.date_gap))
        right.append(_fit("d", src.header_right[-1], 14, inner_r, italic=True))
    table = Table([[left, right]], colWidths=[left_w, right_w])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _title(src: LetterSource, lay: Layout) -> list[Flowable]:
    out: list[Flowable] = []
    if src.urgency:
        out += [Spacer(1, 6), UrgencyStamp(src.urgency)]
    if src.title:
        out.append(Spacer(1, 16))
        out.append(Paragraph(escape(src.title[0]), _style("t", 14, bold=True, align=TA_CENTER, lead=1.3)))
        for line in src.title[1:]:
            out.append(Paragraph(escape(line), _style("s", 14, bold=True, align=TA_CENTER, lead=1.25)))
        out.append(Rule(lay.text_w * 0.25, lay.text_w, gap=6))
    return out


def _body(src: LetterSource, lay: Layout) -> list[Flowable]:
    para = _style("b", lay.body_size, indent=lay.indent, lead=lay.leading, after=lay.after)
    out: list[Flowable] = [Spacer(1, 14)]
    lines = list(src.body)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line == PAGE_BREAK:
            out.append(PageBreak())
        elif line.startswith("Kính gửi:"):
            rest = line.removeprefix("Kính gửi:").strip()
            items = []
            while i + 1 < len(lines) and lines[i + 1].startswith("- "):
                i += 1
                items.append(lines[i])
            out.append(_kinh_gui(rest, items, lay))
        elif line.startswith("= "):
            out.append(
                Paragraph(_markup(line[2:]), _style("c", 14, bold=True, align=TA_CENTER, lead=1.3, after=6))
            )
        else:
            out.append(Paragraph(_markup(line), para))
        i += 1
    return out


def _kinh_gui(rest: str, items: list[str], lay: Layout) -> Flowable:
    """`Kính gửi:` with one body on the same line (centred), or a list of `- ` items beside it."""
    if rest and not items:
        return Paragraph(f"Kính gửi: {escape(rest)}", _style("k1", 14, align=TA_CENTER, after=10))
    style = _style("k", 14, align=TA_LEFT, lead=1.22)
    cells = [Paragraph(escape(t), style) for t in ([rest] if rest else []) + items]
    label_w = lay.kinh_gui_indent + 25 * mm
    table = Table(
        [[Paragraph("Kính gửi:", _style("kl", 14, align=TA_LEFT)), cells]],
        colWidths=[label_w, lay.text_w - label_w],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), lay.kinh_gui_indent),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return table


def _footer(src: LetterSource, seed: int, lay: Layout) -> Flowable:
    left_w, right_w = lay.text_w * lay.footer_left, lay.text_w * (1 - lay.footer_left)
    left: list[Flowable] = []
    for i, line in enumerate(src.footer_left):
        if i == 0 and line.startswith("Nơi nhận"):
            left.append(Paragraph(escape(line), _style("nn", 12, bold=True, italic=True, align=TA_LEFT)))
        else:
            left.append(Paragraph(escape(line), _style("ni", lay.noi_nhan_size, align=TA_LEFT, lead=1.15)))
    seal_text = " ".join((*src.parent_lines, *src.issuer_lines))
    right = SignerBlock(src.signer_lines, src.signer_name, seal_text, seed)
    table = Table([[left or [Spacer(1, 1)], right]], colWidths=[left_w, right_w])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _page_number(canvas: object, doc: object) -> None:
    n = canvas.getPageNumber()  # type: ignore[attr-defined]
    canvas.saveState()  # type: ignore[attr-defined]
    canvas.setFont("Serif", 13)  # type: ignore[attr-defined]
    canvas.drawCentredString(PAGE_W / 2, PAGE_H - 12 * mm, str(n))  # type: ignore[attr-defined]
    canvas.restoreState()  # type: ignore[attr-defined]


def render_pdf(src: LetterSource, seed: int = 0) -> bytes:
    """The letter as a born-digital PDF with a text layer (deterministic for a source and seed).

    Seed 0 gives the canonical layout; other seeds vary it within the decree (see `Layout`).
    """
    lay = Layout.pick(seed)
    font_family()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=lay.margin_l,
        rightMargin=lay.margin_r,
        topMargin=lay.margin_t,
        bottomMargin=MARGIN_B,
        title=src.name,
        author="congvan samples",
        creator="congvan",
        invariant=True,
    )
    story: list[Flowable] = [_header(src, lay), *_title(src, lay), *_body(src, lay)]
    if src.footer_left or src.signer_lines or src.signer_name:
        story += [Spacer(1, 8), KeepTogether([_footer(src, seed, lay)])]
    doc.build(story, onLaterPages=_page_number)
    return buf.getvalue()


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(pdf))
