"""Service subcommands of `congvan` (registered by `service.cli`):

    congvan serve [--host 127.0.0.1] [--port 8000] [--ingest-samples]
    congvan keys create --role ROLE --name NAME      prints the new key once
    congvan keys list
    congvan watch DIR                                the scanner's consumption folder
    congvan worker [--concurrency N]                 a Celery worker (CONGVAN_EXECUTOR=celery)

Each returns an exit code; failures raise `CongvanError` subclasses, which the
CLI prints as one line.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import commands_links
from .config import Settings
from .roles import Role

if TYPE_CHECKING:  # the store (SQLAlchemy, Alembic) loads only for the commands that use it
    from .db import Database

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "scans"
SCAN_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser("serve", help="run the HTTP API (OpenAPI at /docs)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--ingest-samples", action="store_true",
                       help="queue the files under samples/scans/ and print a new clerk key first")
    serve.set_defaults(func=cmd_serve)

    keys = subparsers.add_parser("keys", help="API keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    create = keys_sub.add_parser("create", help="create a key and print it (shown only this once)")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--name", required=True)
    create.set_defaults(func=cmd_keys_create)
    listing = keys_sub.add_parser("list", help="list keys (names and roles, never the keys)")
    listing.set_defaults(func=cmd_keys_list)

    watch = subparsers.add_parser("watch", help="ingest every file dropped into DIR")
    watch.add_argument("dir", type=Path)
    watch.add_argument("--poll", type=float, default=2.0, help="seconds between looks at DIR")
    watch.set_defaults(func=cmd_watch)
    worker = subparsers.add_parser("worker", help="run jobs from the broker (CONGVAN_EXECUTOR=celery); "
                                   "start one per machine, against the same broker, database and files")
    worker.add_argument("--concurrency", type=int, default=0,
                        help="OCR processes (default CONGVAN_WORKERS, one per core)")
    worker.set_defaults(func=cmd_worker)
    commands_links.register(subparsers)  # pilots and links subcommands live with their feature


def _database(settings: Settings) -> Database:
    from .db import Database

    db = Database(settings.database_url)
    db.migrate()
    return db


def cmd_keys_create(args: argparse.Namespace) -> int:
    from .auth import create_key

    db = _database(Settings.from_env())
    try:
        print(create_key(db, args.role, args.name))
    finally:
        db.dispose()
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    from .auth import list_keys

    db = _database(Settings.from_env())
    try:
        for key in list_keys(db):
            state = "revoked" if key["revoked"] else "active"
            print(f"{key['name']}\t{key['role']}\t{key['created_at']}\t{state}")
    finally:
        db.dispose()
    return 0


def ingest_samples(settings: Settings, folder: Path = SAMPLES) -> int:
    """Queue the sample scans through the same intake as uploads; they are read once the server runs."""
    from .auth import create_key
    from .filestore import FileStore
    from .intake import check_size, submit

    db = _database(settings)
    try:
        files = _scans(folder)
        if not files:  # rendered under the data directory, not into the source tree
            rendered = settings.data_dir / "sample-scans"
            if not _scans(rendered):
                _render_samples(rendered)
            files = _scans(rendered)
        for path in files:
            data = path.read_bytes()
            check_size(data, path.name, settings.limits)
            sub = submit(db, FileStore(settings.files_dir), data, path.name, "samples")
            print(f"{path.name}: job {sub.job} ({'already ingested' if sub.duplicate else sub.state})")
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        key = create_key(db, Role.CLERK.value, f"clerk-{stamp}")
        print(f"clerk API key (shown once): {key}")
        return len(files)
    finally:
        db.dispose()


def _scans(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES)


def _render_samples(folder: Path) -> None:
    """A fresh clone has letter sources but no scans: render them once with the sample generator."""
    try:
        from samples.generate import render_scan
        from samples.source import corpus
    except ImportError:
        print(f"no sample scans under {folder}", file=sys.stderr)
        return
    folder.mkdir(parents=True, exist_ok=True)
    sources = corpus()
    print(f"rendering {len(sources)} sample letters into {folder} ...", flush=True)
    for source in sources:
        try:
            (folder / f"{source.stem}.pdf").write_bytes(render_scan(source, fmt="pdf"))
        except Exception as exc:  # one bad sample source must not stop the service from starting
            print(f"{source.name}: not rendered ({exc})", file=sys.stderr)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .api import create_app

    settings = Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.ingest_samples:
        ingest_samples(settings)
    print(f"serving on http://{args.host}:{args.port} (API docs at /docs)", flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from .watch import run_watch

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print(f"watching {args.dir} (done/ and failed/ beside the files); Ctrl-C to stop", flush=True)
    run_watch(args.dir, Settings.from_env(), stop, poll_seconds=args.poll)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import os

    from .celery_app import app

    settings = Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # No migration here: tasks only come from a web process, which migrates when it starts
    # (several workers starting together would only contend for the schema lock).
    concurrency = args.concurrency if args.concurrency > 0 else settings.workers
    # Celery's prefork pool; each process loads the models once (service.celery_app._init_process).
    app.worker_main(["worker", "--loglevel", "INFO", "--pool", "prefork", "--concurrency", str(concurrency),
                     "--queues", settings.queue, "--hostname", f"congvan-{os.getpid()}@%h",
                     "--without-gossip", "--without-mingle"])
    return 0
