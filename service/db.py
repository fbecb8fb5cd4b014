"""Engine, sessions and migrations, for SQLite (default) and PostgreSQL alike.

SQLite is opened in WAL mode with a busy timeout, and every write transaction
starts with `BEGIN IMMEDIATE`: the web process and the worker processes write the
same file, and a deferred transaction that upgrades to a write lock fails at once
instead of waiting. Read-only sessions (`read_session`) keep a plain deferred BEGIN.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .errors import DatabaseUnavailable

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    if parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    busy = busy_seconds()
    engine = create_engine(url, connect_args={"timeout": busy, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={round(busy * 1000)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def busy_seconds() -> float:
    """How long a SQLite writer waits for another's lock (`CONGVAN_DB_BUSY_SECONDS`, default 30)."""
    try:
        value = float(os.environ.get("CONGVAN_DB_BUSY_SECONDS", "30"))
    except ValueError:
        return 30.0
    return value if value > 0 else 30.0


def _unavailable(exc: OperationalError) -> DatabaseUnavailable:
    reason = str(exc.orig).splitlines()[0][:200] if exc.orig else type(exc).__name__
    return DatabaseUnavailable(f"the database is busy or unavailable ({reason}); nothing was changed, "
                               "try again in a moment")


class Database:
    """One engine and its session factories; one per process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        self._read = sessionmaker(self.engine.execution_options(sqlite_begin="DEFERRED"),
                                  expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction committed on success, rolled back on any exception.

        A lock held past the busy timeout, or a database gone away, is `DatabaseUnavailable`
        (503 / one line), not a bare OperationalError (a 500 with no body)."""
        try:
            with self._write() as session, session.begin():
                yield session
        except OperationalError as exc:
            raise _unavailable(exc) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with self._read() as session, session.begin():
                yield session
        except OperationalError as exc:
            raise _unavailable(exc) from exc

    def migrate(self) -> None:
        """Bring the schema to the newest revision (idempotent; run at every start)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "heads")  # features add revisions on branches of their own
        except OperationalError as exc:
            raise DatabaseUnavailable(f"cannot open the database: {exc.orig}") from exc

    def dispose(self) -> None:
        self.engine.dispose()
