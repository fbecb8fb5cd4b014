"""How much a directive concerns a pilot: a pure function of plain facts, shared by the
service (facts from the database) and the evaluation (facts from labelled samples).

Evidence, each 0..1, scored with rapidfuzz on folded text:
- name: the pilot's solution named in the directive's text, or in its letter's subject
  (a letter about one pilot: all its tasks concern that pilot) at 0.9 weight;
- bodies: the pilot's host or provider among the directive's parties, its letter's
  issuer or recipients (a parent body, `Tập đoàn VNPT` for `Viễn thông Gia Lai`, at half);
- letters: the pilot's solution named in a letter the directive's letter cites, or the
  pilot's notes naming the letter or one it cites.
A letter of another province that does not name the pilot's province gets 0.7 of the
name evidence: `Nền tảng giáo dục thông minh` in Nghệ An is not Gia Lai's pilot.
The score (0-100) weighs them 60/25/15: bodies and letters order and support a name,
but cannot make a suggestion alone (their 40 stays under the threshold).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..folding import fold_words

THRESHOLD = 50.0
OTHER_PROVINCE = 0.7  # name evidence from a letter of another province that does not name the pilot's
WEIGHTS = (60.0, 25.0, 15.0)
# Generic heads of a solution's name: a letter may write `phản ánh hiện trường` for
# `Hệ thống phản ánh hiện trường`.
_HEADS = ("he thong ", "nen tang ", "trung tam ", "giai phap ", "dich vu ", "ung dung ", "phan mem ")
# Brand words name the provider, not the solution.
_BRANDS = {"vnpt", "viettel", "mobifone", "fpt", "gia lai"}
_NUMBER = re.compile(r"\b\d{1,6}(?:/\d{4})?[/-][\wĐđ&.-]+")


@dataclass(frozen=True)
class PilotFacts:
    id: int
    solution: str
    body_ids: frozenset[int] = frozenset()  # host and provider
    parent_ids: frozenset[int] = frozenset()  # their parents
    note_numbers: frozenset[str] = frozenset()  # numbers of letters the notes name, as number keys
    province: str | None = None  # folded province of the host (or provider): pilots are local


@dataclass(frozen=True)
class DirectiveFacts:
    text: str
    subject: str = ""
    body_ids: frozenset[int] = frozenset()  # parties, letter issuer and recipients
    numbers: frozenset[str] = frozenset()  # the letter's own number key and the ones it cites
    cited_texts: tuple[str, ...] = field(default_factory=tuple)  # folded texts of the cited letters
    province: str | None = None  # folded province of the letter's issuer
    letter_text: str = ""  # folded text of the whole letter


@dataclass(frozen=True)
class Score:
    pilot_id: int
    score: float
    name: float
    bodies: float
    letters: float


def number_key(number: str) -> str:
    """`131/GLI-KDGP` → `131/GLIKDGP`: digits and folded symbol, for notes that name letters."""
    from .numbers import parse_number

    parsed = parse_number(number)
    if parsed is None:
        return fold_words(number)
    return f"{parsed.num}/{parsed.symbol_key.replace('-', '').replace('/', '')}"


def numbers_in(text: str) -> frozenset[str]:
    return frozenset(number_key(m.group(0)) for m in _NUMBER.finditer(text or ""))


def _acronyms(solution: str) -> list[str]:
    """`IOC`, `SOC`, `HIS`, `SmartCA`: distinctive marks of a product, brand names aside."""
    out = []
    for word in re.findall(r"[\w-]+", solution):
        inner_caps = sum(c.isupper() for c in word[1:])
        if len(word) >= 3 and (word.isupper() or inner_caps >= 1) and word.lower() not in _BRANDS:
            out.append(word)
    return out


def _core(solution: str) -> str:
    words = [w for w in fold_words(solution).split() if w not in _BRANDS]
    acr = {a.lower() for a in _acronyms(solution)}
    core = " ".join(w for w in words if w not in acr)
    return core.replace("gia lai", "").strip()


def name_strength(solution: str, text: str, folded_text: str | None = None) -> float:
    """0..1: how clearly `text` names the solution (its acronym, its name, or its name without the head)."""
    if not text:
        return 0.0
    folded = folded_text if folded_text is not None else fold_words(text)
    for acronym in _acronyms(solution):
        if re.search(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text) or (
                folded_text is not None and re.search(rf"\b{re.escape(acronym.lower())}\b", folded)):
            return 1.0
    core = _core(solution)
    if not core:
        return 0.0
    best = fuzz.partial_ratio(core, folded) if len(core) <= len(folded) else fuzz.ratio(core, folded)
    for head in _HEADS:
        if core.startswith(head) and len(core[len(head):].split()) >= 2:
            rest = core[len(head):]
            best = max(best, 0.97 * fuzz.partial_ratio(rest, folded))
    return max(0.0, min(1.0, (best - 80.0) / 15.0))


def score(pilot: PilotFacts, d: DirectiveFacts) -> Score:
    name = max(name_strength(pilot.solution, d.text), 0.9 * name_strength(pilot.solution, d.subject))
    if pilot.province and d.province and d.province != pilot.province \
            and f" {pilot.province} " not in f" {d.letter_text} ":
        name *= OTHER_PROVINCE  # the same solution piloted elsewhere is another pilot
    if pilot.body_ids & d.body_ids:
        bodies = 1.0
    elif pilot.parent_ids & d.body_ids:
        bodies = 0.5
    else:
        bodies = 0.0
    letters = 1.0 if pilot.note_numbers & d.numbers else 0.0
    for text in d.cited_texts:
        if letters >= 1.0:
            break
        letters = max(letters, name_strength(pilot.solution, text, folded_text=text))
    w_name, w_bodies, w_letters = WEIGHTS
    total = w_name * name + w_bodies * bodies + w_letters * letters
    return Score(pilot_id=pilot.id, score=round(total, 1), name=round(name, 2), bodies=bodies,
                 letters=round(letters, 2))


def rank(pilots: list[PilotFacts], d: DirectiveFacts) -> list[Score]:
    """Every pilot's score for the directive, best first (ties: lower id first)."""
    return sorted((score(p, d) for p in pilots), key=lambda s: (-s.score, s.pilot_id))
