"""`recipients`: the `Kính gửi:` list of a công văn, one body per item as printed.

The keyword is matched with rapidfuzz (`Kinh gui`, `Kính gùi`); the list follows on the
same line (`Kính gửi: Sở Tài chính.`) or on the next lines, with or without dashes, and
ends at the item closed by `.` or where the body text starts.
"""

from __future__ import annotations

from typing import Any

from .evidence import regions
from .listing import item_text, list_items, recipients_heading, split_inline
from .respelling import respelled
from .textview import TextView
from .views import Extraction, ZoneViews


def extract(views: ZoneViews, **context: Any) -> Extraction:
    out = Extraction()
    try:
        for view in _candidates(views):
            found = _recipients(view)
            if found:
                names, regions = zip(*found, strict=True)
                out.put("recipients", [respelled(n, r, views.whole.text) for n, r in found])
                for i, reg in enumerate(regions):
                    if reg:
                        out.evidence[f"/recipients/{i}"] = reg
                return out
    except Exception:  # extract/ never raises: a damaged text yields no recipients, not an error
        return Extraction()
    out.put("recipients", [])
    return out


def _candidates(views: ZoneViews) -> list[TextView]:
    return [v for v in (views.body, views.whole) if v.text.strip()]


def _recipients(view: TextView) -> list[tuple[str, list[Any]]]:
    text = view.text
    kw = recipients_heading(text)
    if kw is None:
        return []
    start = kw.end
    while start < len(text) and text[start] in " :;.\t":
        start += 1
    items, _ = list_items(text, start)
    out = []
    for item in items:
        for part in split_inline(text, item):
            name = item_text(text, part)
            if name and not name.startswith("("):
                out.append((name, regions(view, part.start, part.end)))
            elif name and out:  # a purpose tag `(để biết)` run onto its own line
                prev, reg = out[-1]
                out[-1] = (f"{prev}; {name}", reg + regions(view, part.start, part.end))
    return out
