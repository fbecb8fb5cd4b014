"""Evidence regions for a span of a view, found by bisection.

`TextView.regions` scans every word of the view for each value; a letter asks for ~30
values, so over a few hundred words that is most of the extraction time. Cutting the view
down to the words around the span first (the words are in text order) gives the same
regions for a fraction of the cost.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .model import Region
from .textview import TextView

_STARTS: dict[int, tuple[TextView, list[int], list[int]]] = {}


def regions(view: TextView, start: int, end: int) -> list[Region]:
    """The same as `view.regions(start, end)`, faster on long views."""
    if end <= start:
        return []
    cached = _STARTS.get(id(view))
    if cached is None or cached[0] is not view:
        if len(_STARTS) > 16:
            _STARTS.clear()
        cached = (view, [w.start for w in view.words], [w.end for w in view.words])
        _STARTS[id(view)] = cached
    _, starts, ends = cached
    lo = bisect_right(ends, start)  # first word that ends after `start`
    hi = bisect_left(starts, end)  # words that start before `end`
    if lo >= hi:
        return []
    return TextView(view.text, view.words[lo:hi], view.line_starts).regions(start, end)
