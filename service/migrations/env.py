"""Alembic environment: always run programmatically by `service.db.migrate` with an
open connection in `config.attributes["connection"]` (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context

from service.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # Two processes starting at once (serve and watch) must not both create the tables.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(424242)")
    context.run_migrations()
