"""The citation graph of a letter as an SVG picture, drawn by hand (no graphviz).

Layered: cited letters in the columns left of the letter, letters citing it on the
right, pilots in a row below. Each box links to the web page of its letter
(`/van-ban/{id}`) or pilot (`/thi-diem/{id}`); placeholders (cited letters not
stored yet) are dashed and grey, pilots green, the letter itself gold.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

BOX_W, BOX_H = 240, 64
GAP_X, GAP_Y = 70, 22
MARGIN = 24
FONT = "DejaVu Sans, Arial, sans-serif"
CHARS = 32  # characters of 12 px text that fit a box
STYLE = {
    "letter": ('fill="#ffffff" stroke="#1f4e79" stroke-width="1.5"', "#1f4e79"),
    "centre": ('fill="#fff4d6" stroke="#b8860b" stroke-width="2.5"', "#7a5500"),
    "placeholder": ('fill="#f4f4f4" stroke="#999999" stroke-width="1.2" stroke-dasharray="6 4"', "#666666"),
    "pilot": ('fill="#e8f5e9" stroke="#2e7d32" stroke-width="1.5"', "#1b5e20"),
}


def _clip(text: str | None, width: int = 32) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrap(text: str, width: int) -> list[str]:
    """Two lines at most, cut between words."""
    first, rest = "", ""
    for word in text.split():
        if not rest and len(f"{first} {word}".strip()) <= width:
            first = f"{first} {word}".strip()
        else:
            rest = f"{rest} {word}".strip()
    return [first or _clip(text, width), _clip(rest, width) if rest else " "]


def _lines(node: dict[str, Any]) -> list[str]:
    if node["kind"] == "pilot":
        return [*_wrap(node.get("solution") or "", CHARS - 2), f"thử nghiệm: {node.get('status')}"]
    number = node.get("number") or "(chưa có số)"
    date = node.get("date") or "ngày ?"
    second = f"{date} — chưa lưu" if node["kind"] == "placeholder" else date
    return [_clip(number, CHARS - 2), second, _clip(node.get("issuer") or "", CHARS)]


def render(graph: dict[str, Any]) -> str:
    nodes = graph["nodes"]
    letters = [n for n in nodes if n["kind"] != "pilot"]
    pilots = [n for n in nodes if n["kind"] == "pilot"]
    layers = sorted({n["layer"] for n in letters}) or [0]
    columns = {layer: [n for n in letters if n["layer"] == layer] for layer in layers}
    tallest = max(len(c) for c in columns.values()) if columns else 1
    pos: dict[str, tuple[float, float]] = {}
    for i, layer in enumerate(layers):
        column = columns[layer]
        top = MARGIN + (tallest - len(column)) * (BOX_H + GAP_Y) / 2
        for j, node in enumerate(column):
            pos[node["id"]] = (MARGIN + i * (BOX_W + GAP_X), top + j * (BOX_H + GAP_Y))
    width: float = MARGIN * 2 + len(layers) * BOX_W + (len(layers) - 1) * GAP_X
    pilot_top = MARGIN + tallest * (BOX_H + GAP_Y) + GAP_Y * 2
    centre_x = MARGIN + layers.index(0) * (BOX_W + GAP_X) if 0 in layers else MARGIN
    row_w = len(pilots) * BOX_W + max(0, len(pilots) - 1) * GAP_Y
    start = max(MARGIN, centre_x + BOX_W / 2 - row_w / 2)
    for k, node in enumerate(pilots):
        pos[node["id"]] = (start + k * (BOX_W + GAP_Y), pilot_top)
    width = max(width, start + row_w + MARGIN)
    height = (pilot_top + BOX_H + MARGIN) if pilots else (MARGIN * 2 + tallest * (BOX_H + GAP_Y) - GAP_Y)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" font-size="12">',
           "<title>" + escape(f"Letter {graph['letter']}: citation graph") + "</title>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
           'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    for edge in graph["edges"]:
        if edge["from"] not in pos or edge["to"] not in pos:
            continue
        (x1, y1), (x2, y2) = pos[edge["from"]], pos[edge["to"]]
        if edge["kind"] == "concerns":
            dash = ' stroke-dasharray="2 3"' if edge.get("state") == "suggested" else ""
            out.append(f'<line x1="{x1 + BOX_W / 2:.0f}" y1="{y1 + BOX_H:.0f}" x2="{x2 + BOX_W / 2:.0f}" '
                       f'y2="{y2:.0f}" stroke="#2e7d32" stroke-width="1.4"{dash} marker-end="url(#arrow)"/>')
        elif abs(x1 - x2) < 1:  # both in one column: a curve beside it, away from the centre
            side = -1 if x1 < pos.get(f"letter:{graph['letter']}", (x1, 0))[0] else 1
            edge_x = x1 if side < 0 else x1 + BOX_W
            bend = edge_x + side * GAP_X * 0.45
            out.append(f'<path d="M {edge_x:.0f} {y1 + BOX_H / 2:.0f} C {bend:.0f} {y1 + BOX_H / 2:.0f} '
                       f'{bend:.0f} {y2 + BOX_H / 2:.0f} {edge_x:.0f} {y2 + BOX_H / 2:.0f}" fill="none" '
                       'stroke="#555" stroke-width="1.3" marker-end="url(#arrow)"/>')
        else:  # a citing letter (right) points at the letter it cites (left)
            out.append(f'<line x1="{x1:.0f}" y1="{y1 + BOX_H / 2:.0f}" x2="{x2 + BOX_W:.0f}" '
                       f'y2="{y2 + BOX_H / 2:.0f}" stroke="#555" stroke-width="1.3" '
                       'marker-end="url(#arrow)"/>')
    for node in nodes:
        x, y = pos[node["id"]]
        kind = "centre" if node["kind"] == "letter" and node["layer"] == 0 else node["kind"]
        box, ink = STYLE[kind]
        parts = [f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" {box}/>']
        for i, line in enumerate(_lines(node)):
            weight = ' font-weight="bold"' if i == 0 else ""
            parts.append(f'<text x="{x + 10:.0f}" y="{y + 19 + i * 17:.0f}" fill="{ink}"{weight}>'
                         f"{escape(line)}</text>")
        tip = escape(node.get("subject") or node.get("solution") or node.get("number") or "")
        body = f"<title>{tip}</title>" + "".join(parts)
        href = node.get("href")
        out.append(f"<a href={quoteattr(href)}>{body}</a>" if href else f"<g>{body}</g>")
    out.append("</svg>")
    return "\n".join(out)
