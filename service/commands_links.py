"""Subcommands of `congvan` for links and pilots (registered by `service.commands`):

    congvan pilots import FILE          create or update pilots from CSV or JSON
    congvan pilots evaluate [--read]    suggestion quality over the labelled samples
    congvan links rebuild               redo every letter's links (after a registry change)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings

if TYPE_CHECKING:  # the store (SQLAlchemy, Alembic) loads only for the commands that use it
    from .db import Database

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def register(subparsers: Any) -> None:
    pilots = subparsers.add_parser("pilots", help="pilot records and their links to directives")
    pilots_sub = pilots.add_subparsers(dest="pilots_command", required=True)
    imp = pilots_sub.add_parser("import", help="create or update pilots from a CSV or JSON file")
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=cmd_pilots_import)
    ev = pilots_sub.add_parser("evaluate", help="how often the right pilot is the first suggestion, over the "
                                                "labelled samples (samples/pilot-links.json)")
    ev.add_argument("--letters", type=Path, default=SAMPLES / "letters")
    ev.add_argument("--pilots", type=Path, default=SAMPLES / "pilots.csv")
    ev.add_argument("--links", type=Path, default=SAMPLES / "pilot-links.json")
    ev.add_argument("--read", action="store_true",
                    help="read the letters with the real pipeline (text-layer PDFs), not their labels")
    ev.set_defaults(func=cmd_pilots_evaluate)

    links = subparsers.add_parser("links", help="the citation graph and the registry of bodies")
    links_sub = links.add_subparsers(dest="links_command", required=True)
    rebuild = links_sub.add_parser("rebuild", help="rebuild every letter's citations, bodies and suggestions")
    rebuild.set_defaults(func=cmd_links_rebuild)


def _database() -> Database:
    from .db import Database

    db = Database(Settings.from_env().database_url)
    db.migrate()
    return db


def cmd_pilots_import(args: argparse.Namespace) -> int:
    from .links import pilots

    records = pilots.parse_records(args.file.read_bytes(), args.file.name)
    db = _database()
    try:
        with db.write() as session:
            result = pilots.import_records(session, records)
    finally:
        db.dispose()
    print(f"{args.file}: {result['created']} created, {result['updated']} updated")
    return 0


def cmd_pilots_evaluate(args: argparse.Namespace) -> int:
    from .links.evaluate import evaluate, summary

    print(summary(evaluate(args.letters, args.pilots, args.links, read=args.read)))
    return 0


def cmd_links_rebuild(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from .links.hooks import link_letter
    from .models import LetterRow

    db = _database()
    try:
        with db.write() as session:
            ids = list(session.scalars(select(LetterRow.id).order_by(LetterRow.id)))
            for letter_id in ids:
                row = session.get(LetterRow, letter_id)
                if row is not None:
                    link_letter(session, row)
    finally:
        db.dispose()
    print(f"links rebuilt for {len(ids)} letters")
    return 0
