"""Split the capital lines of the header's top left into bodies: parent body, then issuer.

Bold marks the issuer on paper; text has no weight, so the structure decides. A line
starts a new body when it opens with the name of a kind of body (`SỞ`, `PHÒNG`, `CHI
CỤC` ...) and the lines above already name a whole body. It continues the body above
when it opens with an administrative unit (`TỈNH GIA LAI` under `ỦY BAN NHÂN DÂN`), when
the line above ends in a connector (`VÀ`, `-`), or when the body above is only its kind
(`VĂN PHÒNG` / `CHÍNH PHỦ`). Kinds that are also field names (`VIỄN THÔNG`) start a body
only when a place name follows (`VIỄN THÔNG GIA LAI` under the VNPT group, but not the
second line of `TẬP ĐOÀN BƯU CHÍNH` / `VIỄN THÔNG VIỆT NAM`).
"""

from __future__ import annotations

from .casing import BODY_NOUNS, PLACE_NOUNS
from .fuzzy import fold
from .places import province_at

_WEAK_KINDS = ("vien thong", "buu dien", "viettel", "vnpt", "mobifone")
_KINDS = tuple(sorted({fold(n) for n in BODY_NOUNS} | {"ubnd", "hdnd"}, key=len, reverse=True))
_PLACES = tuple(fold(n) for n in PLACE_NOUNS)
_CONNECTOR_ENDS = ("va", "-", "–", ",", "cua", "thuoc")


def _starts_with(folded: str, prefixes: tuple[str, ...]) -> str | None:
    for p in prefixes:
        if folded == p or folded.startswith(p + " "):
            return p
    return None


def _opens_body(text: str) -> bool:
    folded = " ".join(fold(text).split())
    weak = _starts_with(folded, _WEAK_KINDS)
    if weak:
        rest = [w.strip(".,;:_-") for w in text.split()[len(weak.split()) :]]  # `GIA LAI.`: a speck
        place = province_at(rest, 0) if rest else None
        return place is not None and place[0] != "Việt Nam"
    return _starts_with(folded, _KINDS) is not None


def _only_kind(texts: list[str]) -> bool:
    folded = " ".join(fold(" ".join(texts)).split())
    return folded in _KINDS


def _names_place(texts: list[str]) -> bool:
    """Whether the lines hold an administrative unit already (`ĐẢNG BỘ TỈNH GIA LAI`)."""
    words = fold(" ".join(texts)).split()
    return any(_starts_with(" ".join(words[k:]), _PLACES) for k in range(len(words)))


def split_units(texts: list[str]) -> list[list[int]]:
    """Indices of `texts` grouped into bodies, top to bottom.

    Lines above the first line that names a body are dropped (stamps, handwriting),
    unless no line names a body, then all lines are one body.
    """
    units: list[list[int]] = []
    for i, text in enumerate(texts):
        folded = " ".join(fold(text).split())
        if not folded:
            continue
        if not units:
            # `ỦY` / `BAN NHÂN DÂN`: a kind broken over two lines opens a body too.
            joined = " ".join(texts[i : i + 2])
            if _opens_body(text) or _opens_body(joined) or not any(_opens_body(t) for t in texts[i + 1 :]):
                units.append([i])
            continue
        above = [texts[j] for j in units[-1]]
        has_place = _names_place(above)
        continues = (
            (_starts_with(folded, _PLACES) is not None and not (has_place and _opens_body(text)))
            or (fold(above[-1]).split() or [""])[-1] in _CONNECTOR_ENDS
            or folded.startswith(("va ", "- ", "– "))
            or _only_kind(above)
            or not _opens_body(" ".join(above))
            or not _opens_body(text)
        )
        if continues:
            units[-1].append(i)
        else:
            units.append([i])
    return units
