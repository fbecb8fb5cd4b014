"""Letter sources: the human-editable text a sample letter is rendered from, and its label.

A source file `samples/letters/NAME.txt` holds the text of one văn bản hành chính (an official
document of Decree 30/2020) cut into the page zones the decree fixes, each opened by a marker:

    [header-left]    optional `parent: <cơ quan chủ quản>` lines (one per printed line), the issuing
                     body (capitals, bold),
                     `Số: <n>/<symbol>`, then for a công văn the `V/v ...` subject lines
    [header-right]   national motto (quốc hiệu), tagline (tiêu ngữ), `<Place>, ngày ...` date line
    [title]          for every type but công văn: type name (`QUYẾT ĐỊNH`) and subject lines;
                     a line that is only an urgency mark (`KHẨN`, `THƯỢNG KHẨN`, `HỎA TỐC`) is stamped
    [body]           one paragraph per line (blank lines are ignored); `Kính gửi:` followed by `- `
                     lines is the recipient block; `= TEXT` is a centred bold line; `**x**` is bold
    [footer-left]    the `Nơi nhận:` list (optional: some letters have none)
    [footer-right]   signer block: authority lines, post, an empty line (space for the signature and
                     the seal), full name
    [page-break]     (inside [body]) forces the next paragraph onto a new page

Lines starting with `#` before the first marker are comments (provenance, notes).
The label `NAME.json` beside the source has the shape of `letter.schema.json`.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import CongvanError

LETTERS_DIR = Path(__file__).resolve().parent / "letters"
SECTIONS = ("header-left", "header-right", "title", "body", "footer-left", "footer-right")
URGENCY_MARKS = ("HỎA TỐC", "THƯỢNG KHẨN", "KHẨN")
PAGE_BREAK = "[page-break]"


class BadLetterSource(CongvanError):
    """A sample letter source that does not follow the section format above."""

    code = "bad-letter-source"
    exit_code = 2


@dataclass(frozen=True)
class LetterSource:
    """One letter cut into the zones of the page; every line NFC-normalised."""

    name: str
    parent_lines: tuple[str, ...]  # cơ quan chủ quản, as printed line by line
    issuer_lines: tuple[str, ...]
    number_line: str
    subject_lines: tuple[str, ...]  # the V/v lines of a công văn
    header_right: tuple[str, ...]
    urgency: str | None
    title: tuple[str, ...]  # type name and subject lines, urgency mark removed
    body: tuple[str, ...]  # paragraphs, PAGE_BREAK allowed
    footer_left: tuple[str, ...]
    signer_lines: tuple[str, ...]  # authority and post lines
    signer_name: str | None

    @property
    def parent_body(self) -> str | None:
        return " ".join(self.parent_lines) or None


def parse_source(text: str, name: str = "letter") -> LetterSource:
    """Parse the section format; raises `BadLetterSource` with a one-line reason."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for raw in unicodedata.normalize("NFC", text).splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]") and stripped[1:-1] in SECTIONS:
            current = stripped[1:-1]
            if current in sections:
                raise BadLetterSource(f"{name}: section [{current}] appears twice")
            sections[current] = []
        elif current is None:
            if stripped and not stripped.startswith("#"):
                raise BadLetterSource(f"{name}: text before the first [section] marker: {stripped[:40]!r}")
        else:
            sections[current].append(stripped)
    for required in ("header-left", "header-right", "body"):
        if required not in sections:
            raise BadLetterSource(f"{name}: missing section [{required}]")
    parent, issuer, number, subject = _split_header_left(sections["header-left"], name)
    title = [t for t in sections.get("title", []) if t]
    urgency = next((t for t in title if t in URGENCY_MARKS), None)
    signer = sections.get("footer-right", [])
    while signer and not signer[-1]:
        signer.pop()
    if "" in signer:
        gap = signer.index("")
        authority = [s for s in signer[:gap] if s]
        signer_name: str | None = " ".join(s for s in signer[gap:] if s) or None
    else:
        authority, signer_name = [s for s in signer if s], None
    return LetterSource(
        name=name,
        parent_lines=tuple(parent),
        issuer_lines=tuple(issuer),
        number_line=number,
        subject_lines=tuple(subject),
        header_right=tuple(t for t in sections["header-right"] if t),
        urgency=urgency,
        title=tuple(t for t in title if t not in URGENCY_MARKS),
        body=tuple(p for p in sections["body"] if p),
        footer_left=tuple(t for t in sections.get("footer-left", []) if t),
        signer_lines=tuple(authority),
        signer_name=signer_name,
    )


def _split_header_left(lines: list[str], name: str) -> tuple[list[str], list[str], str, list[str]]:
    lines = [t for t in lines if t]
    at = next((i for i, t in enumerate(lines) if t.startswith("Số")), None)
    if at is None:
        raise BadLetterSource(f"{name}: [header-left] has no 'Số:' line")
    parents: list[str] = []
    issuer: list[str] = []
    for t in lines[:at]:
        if t.startswith("parent:"):
            parents.append(t.removeprefix("parent:").strip())
        else:
            issuer.append(t)

    if not issuer:
        raise BadLetterSource(f"{name}: [header-left] names no issuing body above 'Số:'")
    return parents, issuer, lines[at], lines[at + 1 :]


def load_source(path: str | Path) -> LetterSource:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadLetterSource(f"cannot read letter source {p}: {exc}") from exc
    return parse_source(text, name=p.stem)


def load_label(path: str | Path) -> dict[str, Any]:
    """The label of a letter (a `NAME.json` path, or the `NAME.txt` source beside it)."""
    p = Path(path)
    if p.suffix != ".json":
        p = p.with_suffix(".json")
    try:
        label = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadLetterSource(f"cannot read label {p}: {exc}") from exc
    if not isinstance(label, dict):
        raise BadLetterSource(f"label {p} is not a JSON object")
    return label


def corpus(directory: str | Path = LETTERS_DIR) -> list[Path]:
    """Every letter source (`*.txt`) of a directory, sorted by name."""
    return sorted(Path(directory).glob("*.txt"))
