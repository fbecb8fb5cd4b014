"""Links: registry of bodies, citation graph, pilot records and their links to directives.

Revision ID: 0002_links
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_links"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def BODY_FK() -> sa.ForeignKey:  # noqa: N802 (reads as a constant in the tables)
    return sa.ForeignKey("bodies.id", ondelete="SET NULL")


def upgrade() -> None:
    op.create_table(
        "bodies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("key", sa.String(500), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("province", sa.String(100), nullable=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("bodies.id"), nullable=True),
        sa.Column("successor_id", sa.Integer, sa.ForeignKey("bodies.id"), nullable=True),
        sa.Column("valid_from", sa.String(10), nullable=True),
        sa.Column("valid_to", sa.String(10), nullable=True),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "body_aliases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body_id", sa.Integer, sa.ForeignKey("bodies.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("alias", sa.String(500), nullable=False),
        sa.Column("key", sa.String(500), nullable=False, unique=True),
    )
    op.create_table(
        "body_symbols",
        sa.Column("body_id", sa.Integer, sa.ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("prefix", sa.String(100), primary_key=True),
        sa.Column("letters", sa.Integer, nullable=False),
    )
    op.create_table(
        "letter_bodies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("body_id", sa.Integer, sa.ForeignKey("bodies.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("position", sa.Integer, nullable=True),
        sa.Column("name", sa.String(500), nullable=False),
    )
    op.create_table(
        "letter_numbers",
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("num", sa.String(20), nullable=False, index=True),
        sa.Column("symbol_key", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("issuer_body_id", sa.Integer, BODY_FK(), nullable=True),
    )
    op.create_table(
        "citations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("number", sa.String(200), nullable=False),
        sa.Column("num", sa.String(20), nullable=True, index=True),
        sa.Column("symbol_key", sa.String(200), nullable=True),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("date", sa.String(10), nullable=True),
        sa.Column("doc_type", sa.String(100), nullable=True),
        sa.Column("issuer", sa.String(500), nullable=True),
        sa.Column("issuer_body_id", sa.Integer, BODY_FK(), nullable=True),
        sa.Column("target_id", sa.Integer, sa.ForeignKey("letters.id", ondelete="SET NULL"), nullable=True,
                  index=True),
        sa.Column("score", sa.Float, nullable=True),
    )
    op.create_table(
        "pilots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("solution", sa.String(500), nullable=False),
        sa.Column("provider", sa.String(500), nullable=True),
        sa.Column("host_body", sa.String(500), nullable=True),
        sa.Column("provider_body_id", sa.Integer, BODY_FK(), nullable=True),
        sa.Column("host_body_id", sa.Integer, BODY_FK(), nullable=True),
        sa.Column("start", sa.String(10), nullable=True),
        sa.Column("end", sa.String(10), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "pilot_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pilot_id", sa.Integer, sa.ForeignKey("pilots.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", TZ, nullable=True),
        sa.UniqueConstraint("pilot_id", "letter_id", "position"),
    )


def downgrade() -> None:
    for table in ("pilot_links", "pilots", "citations", "letter_numbers", "letter_bodies", "body_symbols",
                  "body_aliases", "bodies"):
        op.drop_table(table)
