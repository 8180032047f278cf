"""Tables of the name search (owned by the search package's design; SQL stays in storage).

Placeholder until the search index lands: one row per (record, name part, key kind, key)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text

from memorybook.storage.schema import metadata

name_key = Table(
    "name_key",
    metadata,
    Column("record_id", ForeignKey("record.id"), nullable=False),
    Column("part", String(1), nullable=False),  # s surname, g given name, p patronymic
    Column("kind", String, nullable=False),  # norm, latin:<scheme>, dm, ...
    Column("key", Text, nullable=False),
)
Index("ix_name_key_key", name_key.c.key, name_key.c.part)
Index("ix_name_key_record", name_key.c.record_id)
