"""Alembic environment: the archive's engine comes from memorybook, never from an ini file."""

from __future__ import annotations

from alembic import context

from memorybook.storage.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through memorybook.storage.migrate.upgrade()")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
