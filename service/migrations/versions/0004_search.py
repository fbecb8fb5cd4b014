"""Search: full-text indexes for `q` and small summary columns for lists.

`q` on letters and directives used LIKE over the folded text: a scan of every
page's OCR text, too slow at 10,000 letters. SQLite gets FTS5 tables kept in step
with the rows by triggers (any writer, any process); PostgreSQL gets GIN indexes
on `to_tsvector('simple', search_text)`. The folded text has no diacritics, so the
`simple` configuration (no stemming, no stop words) is what we want.

Lists read `subject`, `task_count` and `signer` from their own columns instead of
decoding each letter's whole JSON (evidence included).

Revision ID: 0004_search
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_search"
down_revision = "0001"
branch_labels = None
depends_on = None

FTS_TABLES = (("letters", "letters_fts"), ("directives", "directives_fts"))


def upgrade() -> None:
    with op.batch_alter_table("letters") as batch:
        batch.add_column(sa.Column("subject", sa.Text, nullable=True))
        batch.add_column(sa.Column("task_count", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("signer", sa.JSON, nullable=True))
    _backfill_summaries()
    if op.get_bind().dialect.name == "postgresql":
        for table, _fts in FTS_TABLES:
            op.execute(f"CREATE INDEX ix_{table}_search_fts ON {table} "
                       "USING gin (to_tsvector('simple', search_text))")
        return
    for table, fts in FTS_TABLES:
        op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', "
                   "content_rowid='id', tokenize='unicode61')")
        add_new = f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text);"
        drop_old = f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
        op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {add_new} END")
        op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {drop_old} END")
        op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_text ON {table} "
                   f"BEGIN {drop_old} {add_new} END")
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _backfill_summaries() -> None:
    bind = op.get_bind()
    letters = sa.table("letters", sa.column("id", sa.Integer), sa.column("data", sa.JSON),
                       sa.column("subject", sa.Text), sa.column("task_count", sa.Integer),
                       sa.column("signer", sa.JSON))
    for letter_id, data in bind.execute(sa.select(letters.c.id, letters.c.data)).all():
        data = data or {}
        bind.execute(letters.update().where(letters.c.id == letter_id).values(
            subject=data.get("subject"), task_count=len(data.get("tasks") or []), signer=data.get("signer")))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, _fts in FTS_TABLES:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_fts")
    else:
        for _table, fts in FTS_TABLES:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    with op.batch_alter_table("letters") as batch:
        batch.drop_column("signer")
        batch.drop_column("task_count")
        batch.drop_column("subject")
