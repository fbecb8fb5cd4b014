"""Text folding for search: what a clerk types without diacritics finds the letter.

`fold("Chuyển đổi SỐ")` is `"chuyen doi so"`: NFD, combining marks dropped,
`đ` → `d`, lower case, runs of space collapsed. Names of bodies are also
expanded from their short forms (`Sở TT&TT` → `so thong tin va truyen thong`)
with the table in `abbreviations.json`, shipped with the package.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources

_SPACE = re.compile(r"\s+")
# Punctuation separates words for matching; `&` and `-` are kept inside
# abbreviation keys, which are replaced before this runs.
_PUNCT = re.compile(r"[^\w\s]")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACE.sub(" ", stripped.lower()).strip()


def fold_words(text: str) -> str:
    """Folded, with punctuation turned to spaces: the form search compares."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", fold(text))).strip()


@cache
def _abbreviations() -> tuple[re.Pattern[str], dict[str, str]]:
    raw = json.loads(resources.files("service").joinpath("abbreviations.json").read_text("utf-8"))
    table = {fold(k): fold(v) for k, v in raw.items() if not k.startswith("_")}
    # Longest first so `ubmttq` is not read as `ub` + `mttq`; a key only matches a whole word.
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w&-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w&-])")
    return pattern, table


def expand(text: str) -> str:
    """Folded words with every known short name replaced by its full form."""
    pattern, table = _abbreviations()
    folded = fold(text)
    return fold_words(pattern.sub(lambda m: table[m.group(1)], folded))
