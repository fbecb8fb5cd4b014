"""Initial schema: keys, jobs, letters, directives, corrections, audit log, pages.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ, nullable=True),
    )
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("pipeline_version", sa.String(40), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("extracted", sa.JSON, nullable=False),
        sa.Column("number", sa.String(200), nullable=True, index=True),
        sa.Column("symbol", sa.String(200), nullable=True),
        sa.Column("doc_type", sa.String(100), nullable=True),
        sa.Column("doc_type_key", sa.String(100), nullable=True, index=True),
        sa.Column("issuer", sa.String(500), nullable=True),
        sa.Column("issuer_key", sa.String(500), nullable=True, index=True),
        sa.Column("date", sa.String(10), nullable=True),
        sa.Column("date_min", sa.String(10), nullable=True, index=True),
        sa.Column("date_max", sa.String(10), nullable=True, index=True),
        sa.Column("signer_name", sa.String(200), nullable=True),
        sa.Column("page_count", sa.Integer, nullable=False),
        sa.Column("doc_text", sa.Text, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("filename", sa.String(500), nullable=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("state", sa.String(10), nullable=False, index=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("pages_done", sa.Integer, nullable=False),
        sa.Column("pages_total", sa.Integer, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("crashes", sa.Integer, nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("heartbeat_at", TZ, nullable=True),
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id"), nullable=True),
        sa.Column("submitted_by", sa.String(200), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("started_at", TZ, nullable=True),
        sa.Column("finished_at", TZ, nullable=True),
    )
    op.create_table(
        "directives",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("ordinal", sa.String(40), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("deadline", sa.String(10), nullable=True, index=True),
        sa.Column("assignees", sa.JSON, nullable=False),
        sa.Column("cooperating", sa.JSON, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.UniqueConstraint("letter_id", "position"),
    )
    op.create_table(
        "directive_parties",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("directive_id", sa.Integer, sa.ForeignKey("directives.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("key", sa.String(500), nullable=False, index=True),
    )
    op.create_table(
        "corrections",
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("field", sa.String(40), primary_key=True),
        sa.Column("value", sa.JSON, nullable=True),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id"), nullable=False, index=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("field", sa.String(40), nullable=True),
        sa.Column("old", sa.JSON, nullable=True),
        sa.Column("new", sa.JSON, nullable=True),
    )
    op.create_table(
        "pages",
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("path", sa.String(300), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
    )
    _append_only_audit_log()


def _append_only_audit_log() -> None:
    """The database itself refuses to change history, whatever code runs against it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION congvan_audit_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION congvan_audit_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )


def downgrade() -> None:
    for table in ("pages", "audit_log", "corrections", "directive_parties", "directives", "jobs",
                  "letters", "api_keys"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS congvan_audit_append_only()")
