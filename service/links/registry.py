"""The registry of bodies: canonical organisations, their aliases and abbreviations.

Seeded from `service/links/bodies.json` and grown from the letters: a name no entry
knows becomes a `learned` body. Names are compared folded and with short forms
expanded (`UBND tỉnh Gia Lai` = `Ủy ban nhân dân tỉnh Gia Lai`), then with rapidfuzz
for OCR slips. Names relative to a province (`Sở Y tế`, `UBND tỉnh`, `Các sở, ban,
ngành của tỉnh`) are completed with the province of the letter that writes them, so
`Sở Y tế` of a Gia Lai letter is not the Sở Y tế of Nghệ An. Group phrases (`Các sở,
ban, ngành ...`) stay groups (kind `group`), never one of the bodies in them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..folding import expand, fold
from .tables import Body, BodyAlias, BodySymbol

FUZZY_MIN = 90.0  # ratio of expanded keys: an OCR slip or two (and `close_names` word by word)
_STOPWORDS = frozenset({"va", "cua", "thuoc"})
# Posts in front of a body (`Giám đốc Sở Y tế`): the body is what follows.
_TITLES = re.compile(r"^(?:pho\s+)?(?:giam doc|chu tich|thu truong|bo truong|tong giam doc|"
                     r"chanh(?= van phong)|truong ban|truong phong)\s+")
_PROVINCIAL_UNIT = re.compile(r"^(so|cong an tinh|van phong uy ban nhan dan tinh)\b")
_PARENS = re.compile(r"\([^)]*\)")
# A group: `các` (or `toàn thể`) among the first words (`Ủy ban nhân dân các huyện ...`).
_GROUP = re.compile(r"^(?:\S+\s+){0,3}(?:cac|toan the)\s")
_NAMES_PROVINCE = re.compile(r"\btinh\s+(?!thanh\b)\w")
_PROVINCE_IN = re.compile(r"(?i)\btỉnh\s+(.+)$")


@dataclass(frozen=True)
class Context:
    """What a letter tells about relative names: the province it is written in."""

    province: str | None = None


def name_key(name: str) -> str:
    """Folded, expanded, without parentheses and leading posts: the form names are compared in."""
    key = expand(_PARENS.sub(" ", name))
    return _TITLES.sub("", key).strip()


def guess_kind(key: str) -> str:
    if _GROUP.match(key):
        return "group"
    rules = (
        (r"^uy ban nhan dan tinh\b", "province-ubnd"), (r"^uy ban nhan dan\b", "local-ubnd"),
        (r"^so\b", "so"), (r"^bo\b", "bo"), (r"^(chinh phu|thu tuong|van phong chinh phu)\b", "government"),
        (r"^(tap doan|tong cong ty|cong ty|vien thong|viettel|vnpt|chi nhanh)\b", "enterprise"),
        (r"\b(viettel|vnpt)\b", "enterprise"), (r"^(bo chinh tri|ban chap hanh|tinh uy|thanh uy)\b", "party"),
    )
    for pattern, kind in rules:
        if re.search(pattern, key):
            return kind
    return "unit"


def province_of(name: str | None) -> str | None:
    """`Gia Lai` of `Ủy ban nhân dân tỉnh Gia Lai` or `UBND TỈNH GIA LAI`."""
    if not name:
        return None
    m = _PROVINCE_IN.search(_PARENS.sub(" ", name).strip())
    if m is None:
        return None
    place = " ".join(m.group(1).split()).strip(" .,;")
    return place.title() if place.isupper() else place


def _relative(key: str) -> bool:
    """A name that needs its province: `so y te`, `uy ban nhan dan tinh`, `cac so ban nganh cua tinh`."""
    if _NAMES_PROVINCE.search(key):
        return False  # names its province already
    if _GROUP.match(key):
        return "trung uong" not in key and "toan quoc" not in key
    return key.endswith(" tinh") or bool(_PROVINCIAL_UNIT.match(key))


def qualified(name: str, ctx: Context) -> str:
    """`Sở Y tế` → `Sở Y tế tỉnh Gia Lai` in a Gia Lai letter; other names unchanged."""
    clean = " ".join(_PARENS.sub(" ", name).split()).strip(" ;,.")
    key = name_key(clean)
    if not ctx.province or not _relative(key):
        return clean
    base = re.sub(r"(?i)\s+(của\s+|thuộc\s+)?tỉnh$", "", clean)
    return f"{base} tỉnh {ctx.province}"


@cache
def seed_entries() -> tuple[dict[str, Any], ...]:
    raw = json.loads(resources.files("service.links").joinpath("bodies.json").read_text("utf-8"))
    return tuple(raw["bodies"])


_SEEDED: set[str] = set()  # databases (by URL) this process has seen seeded


def ensure_seeded(session: Session) -> None:
    """Add the shipped bodies the database lacks (idempotent; one query, then nothing, per process)."""
    url = str(session.get_bind().engine.url)
    if url in _SEEDED:
        return
    seeds = seed_entries()
    have = session.scalar(select(func.count()).select_from(Body).where(Body.origin == "seed")) or 0
    if have >= len(seeds):
        if not url.startswith("sqlite://") or len(url) > len("sqlite://"):
            _SEEDED.add(url)  # (an in-memory database is new at each engine: never memoised)
        return
    by_name: dict[str, Body] = {}
    for entry in seeds:
        key = name_key(entry["name"])
        body = session.scalars(select(Body).where(Body.key == key)).one_or_none()
        if body is None:
            body = Body(name=entry["name"], key=key, kind=entry["kind"], origin="seed")
            session.add(body)
        body.origin, body.kind = "seed", entry["kind"]
        body.province = entry.get("province")
        body.valid_from, body.valid_to = entry.get("valid_from"), entry.get("valid_to")
        session.flush()
        by_name[entry["name"]] = body
        for alias in [entry["name"], *entry.get("aliases", [])]:
            _add_alias(session, body, alias)
        for prefix in entry.get("symbols", []):
            if session.get(BodySymbol, (body.id, prefix)) is None:
                session.add(BodySymbol(body_id=body.id, prefix=prefix, letters=0))
    for entry in seeds:
        body = by_name[entry["name"]]
        if entry.get("parent") in by_name:
            body.parent_id = by_name[entry["parent"]].id
        if entry.get("successor") in by_name:
            body.successor_id = by_name[entry["successor"]].id
    session.flush()


def _add_alias(session: Session, body: Body, alias: str) -> None:
    key = name_key(alias)[:500]
    table = _alias_keys(session)
    if key and key not in table:
        session.add(BodyAlias(body_id=body.id, alias=alias[:500], key=key))
        session.flush()
        table[key] = body.id


def _alias_keys(session: Session) -> dict[str, int]:
    """Every alias key → body id, read once per session (a session is one short transaction)."""
    table = session.info.get("body_aliases")
    if table is None:
        table = {k: b for k, b in session.execute(select(BodyAlias.key, BodyAlias.body_id))}
        session.info["body_aliases"] = table
    return table  # type: ignore[no-any-return]


def find(session: Session, name: str | None, ctx: Context = Context()) -> Body | None:
    """The registry entry a name means, or None."""
    if not name or not name.strip():
        return None
    table = _alias_keys(session)
    full = qualified(name, ctx)
    for candidate in dict.fromkeys([name_key(full), name_key(name)]):
        if candidate in table:
            return session.get(Body, table[candidate])
    key = name_key(full)
    if len(key) < 6 or _GROUP.match(key):
        return None  # short names and groups: exact only, a fuzzy guess would be another body
    for candidate, _score, _i in process.extract(key, list(table), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN,
                                                 limit=5):
        if close_names(key, candidate):
            return session.get(Body, table[candidate])
    return None


def close_names(a: str, b: str) -> bool:
    """Two folded names that differ only by OCR slips: same head word (`so` is never `bo`), word
    for word at most one character apart (two in long words), so `ha nam` is never `ha noi`."""
    ta = [t for t in a.split() if t not in _STOPWORDS]
    tb = [t for t in b.split() if t not in _STOPWORDS]
    if not ta or len(ta) != len(tb) or ta[0] != tb[0]:
        return False
    pairs = zip(ta, tb, strict=True)
    return all(Levenshtein.distance(x, y) <= (1 if max(len(x), len(y)) <= 6 else 2) for x, y in pairs)


def resolve(session: Session, name: str | None, ctx: Context = Context()) -> Body | None:
    """The registry entry for a name, learning a new one when none fits."""
    body = find(session, name, ctx)
    if body is not None or not name or not name.strip():
        return body
    full = qualified(name, ctx)
    key = name_key(full)
    if len(key) < 3:
        return None
    body = Body(name=full[:500], key=key[:500], kind=guess_kind(key), origin="learned",
                province=province_of(full) or (ctx.province if _relative(name_key(name)) else None))
    session.add(body)
    session.flush()
    _add_alias(session, body, full)
    return body


def learn_symbol(session: Session, body: Body, prefix: str | None) -> None:
    if not prefix:
        return
    row = session.get(BodySymbol, (body.id, prefix[:100]))
    if row is None:
        session.add(BodySymbol(body_id=body.id, prefix=prefix[:100], letters=1))
    else:
        row.letters += 1


def same_body(session: Session, a: Body | None, b: Body | None) -> bool | None:
    """Whether two entries are one organisation; None when it cannot be told.

    A renamed body and its successor are one (letters before and after 1 July 2025);
    so are a unit and its parent (`Viettel` cited for a letter of `Viettel Gia Lai`).
    Learned names are loose, so only a clear difference counts against them."""
    if a is None or b is None:
        return None
    if a.id == b.id or a.successor_id == b.id or b.successor_id == a.id:
        return True
    if a.parent_id == b.id or b.parent_id == a.id:
        return None
    if a.province and b.province and fold(a.province) != fold(b.province):
        return False
    similarity = fuzz.token_set_ratio(a.key, b.key)
    if similarity >= 90:
        return True
    if (a.origin == "seed" and b.origin == "seed") or similarity < 60:
        return False
    return None


def context_for(session: Session, data: dict[str, Any]) -> Context:
    """The province of a letter: from its issuer, its parent body, or the issuer's registry entry."""
    for name in (data.get("issuer"), data.get("parent_body")):
        place = province_of(name)
        if place:
            return Context(province=place)
    issuer = find(session, data.get("issuer"))
    if issuer is not None and issuer.province:
        return Context(province=issuer.province)
    return Context(province=None)
