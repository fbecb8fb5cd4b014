"""One letter as the page shows it: rows of values, each tied to its boxes on the scan.

A row is what a clerk corrects in one go (a scalar, a list edited one item per
line, one field of a task or citation); an item is what can be clicked (one value,
or one entry of a list). Every evidence region becomes a box tied to the item
whose JSON pointer is the longest prefix of the region's pointer.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from .geometry import PageView
from .labels import FIELD_NAMES, field_label, vn_date

HEADER_FIELDS = ("number", "symbol", "doc_type", "issuer", "parent_body", "place", "date", "subject",
                 "urgency")
LIST_FIELDS = ("recipients", "distribution")
NAME_LISTS = ("assignees", "cooperating")
DATE_KEYS = ("date", "deadline")
LONG_KEYS = ("subject", "text")


def slug(pointer: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", pointer.lower()).strip("-") or "root"


@dataclass
class Box:
    pointer: str
    page: int
    x: float
    y: float
    w: float
    h: float
    low: bool
    text: str
    confidence: float | None
    item: str = ""  # id of the item this box belongs to


@dataclass
class Item:
    pointer: str
    text: str
    boxes: list[Box] = field(default_factory=list)
    shown: str = ""  # the text as displayed (dates as dd/mm/yyyy); `text` is what the form edits

    @property
    def display(self) -> str:
        return self.shown or self.text

    @property
    def id(self) -> str:
        return "v-" + slug(self.pointer)

    @property
    def low(self) -> bool:
        return any(b.low for b in self.boxes)


@dataclass
class Row:
    pointer: str  # what a correction of this row replaces
    label: str
    items: list[Item]
    kind: str  # text, long, lines, date
    value: str  # the current value as the edit form shows it
    corrected: bool = False
    link: str | None = None  # for citations: the cited letter, when it is in the register

    @property
    def id(self) -> str:
        return "f-" + slug(self.pointer)

    @property
    def low(self) -> bool:
        return any(i.low for i in self.items)


@dataclass
class Section:
    title: str
    rows: list[Row]
    key: str


def _kind(key: str, value: Any) -> str:
    if isinstance(value, list) or key in LIST_FIELDS or key in NAME_LISTS:
        return "lines"
    if key in DATE_KEYS:
        return "date"
    return "long" if key in LONG_KEYS else "text"


def _row(pointer: str, label: str, value: Any, corrected: bool) -> Row:
    key = pointer.rsplit("/", 1)[-1]
    kind = _kind(key, value)
    if kind == "lines":
        values = [str(v) for v in value or []]
        items = [Item(f"{pointer}/{i}", v) for i, v in enumerate(values)]
        return Row(pointer, label, items, kind, "\n".join(values), corrected)
    text = "" if value is None else str(value)
    item = Item(pointer, text, shown=vn_date(text) if kind == "date" and text else "")
    return Row(pointer, label, [item], kind, text, corrected)


def build_sections(data: dict[str, Any], citations: dict[int, str | None]) -> list[Section]:
    """`citations`: index of a reference → URL of the cited letter when it is in the register."""
    corrected = set(data.get("corrected_fields") or [])
    general = [_row(f"/{k}", FIELD_NAMES[k], data.get(k), k in corrected) for k in HEADER_FIELDS]
    sections = [Section("Thông tin chung", general, "chung"),
                Section("Kính gửi", [_row("/recipients", "Kính gửi", data.get("recipients"),
                                          "recipients" in corrected)], "kinh-gui")]
    refs = []
    for i, ref in enumerate(data.get("references") or []):
        for key in ("number", "date", "issuer"):
            row = _row(f"/references/{i}/{key}", field_label(f"/references/{i}/{key}"), ref.get(key),
                       "references" in corrected)
            if key == "number":
                row.link = citations.get(i)
            refs.append(row)
    sections.append(Section("Văn bản viện dẫn", refs, "vien-dan"))
    tasks = []
    for i, task in enumerate(data.get("tasks") or []):
        for key in ("text", "assignees", "deadline", "cooperating"):
            tasks.append(_row(f"/tasks/{i}/{key}", field_label(f"/tasks/{i}/{key}"), task.get(key),
                              "tasks" in corrected))
    sections.append(Section("Nhiệm vụ", tasks, "nhiem-vu"))
    signer = data.get("signer") or {}
    sections.append(Section("Người ký", [
        _row(f"/signer/{k}", FIELD_NAMES[k], signer.get(k), "signer" in corrected)
        for k in ("authority", "position", "name")], "nguoi-ky"))
    sections.append(Section("Nơi nhận", [_row("/distribution", "Nơi nhận", data.get("distribution"),
                                              "distribution" in corrected)], "noi-nhan"))
    return sections


def attach_boxes(sections: list[Section], evidence: dict[str, list[dict[str, Any]]],
                 pages: list[PageView]) -> list[Box]:
    """Boxes of every region on a known page, each tied to an item (longest pointer prefix)."""
    items = {item.pointer: item for s in sections for r in s.rows for item in r.items}
    rows = {row.pointer: row for s in sections for row in s.rows}
    known_pages = {p.number for p in pages}
    boxes = []
    for pointer, regions in evidence.items():
        owner = _owner(pointer, items, rows)
        for region in regions:
            x0, y0, x1, y1 = (float(v) for v in region["bbox"])
            if region["page"] not in known_pages or x1 <= x0 or y1 <= y0:
                continue
            box = Box(pointer, region["page"], x0, y0, x1 - x0, y1 - y0, bool(region.get("low_confidence")),
                      region.get("text") or "", region.get("confidence"))
            if owner is not None:
                box.item = owner.id
                owner.boxes.append(box)
            boxes.append(box)
    return boxes


def _owner(pointer: str, items: dict[str, Item], rows: dict[str, Row]) -> Item | None:
    probe = pointer
    while probe:
        if probe in items:
            return items[probe]
        if probe in rows and rows[probe].items:  # e.g. a region for a whole list
            return rows[probe].items[0]
        probe = probe.rsplit("/", 1)[0]
    return None


def correction_patch(data: dict[str, Any], pointer: str, raw: str) -> dict[str, Any]:
    """The PATCH body that sets the value at `pointer` (as the form sent it) in the served letter."""
    parts = [p for p in pointer.split("/") if p]
    if not parts:
        raise ValueError("no field named")
    top = parts[0]
    if len(parts) == 1:
        return {top: _parse(top, data.get(top), raw)}
    value = copy.deepcopy(data.get(top))
    if value is None and top == "signer":
        value = {}
    node: Any = value
    for part in parts[1:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = _parse(last, node[int(last)], raw)
    else:
        node[last] = _parse(last, node.get(last), raw)
    return {top: value}


def _parse(key: str, current: Any, raw: str) -> Any:
    if _kind(key, current) == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    text = " ".join(raw.split())
    return text or None
