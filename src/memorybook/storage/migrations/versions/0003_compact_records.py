"""Compact records: the raw slice as an edit of the verbatim text; the index
name_key (part, norm), which no query uses (the name index is built from name_key in record
order), goes; name_key's `printed` is no longer written (the record holds the printed name).
A table `facet_blob` holds the facet index each import stores.

On PostgreSQL every text column gets the "C" collation: text then compares and sorts by code
point, as SQLite's BINARY does, so both backends give the same order, the same MIN() and
the same facet ties whatever locale the database was created with.

Revision ID: 0003_compact
Revises: 0002_linkage
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_compact"
down_revision = "0002_linkage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("record", sa.Column("raw_edits", sa.Text(), nullable=True))
    op.drop_index("ix_name_key_part_norm", table_name="name_key")
    op.create_table(
        "facet_blob",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("chunk", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", "chunk"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _collate_c(bind)


def _collate_c(bind: sa.engine.Connection) -> None:
    rows = bind.exec_driver_sql(
        "SELECT table_name, column_name, data_type, character_maximum_length"
        " FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND data_type IN ('text', 'character varying')"
        " AND (collation_name IS NULL OR collation_name <> 'C')"
    ).all()
    for table, column, kind, length in rows:
        new = "text" if kind == "text" else f"varchar({length})" if length else "varchar"
        bind.exec_driver_sql(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {new} COLLATE "C"'
        )


def downgrade() -> None:
    op.drop_table("facet_blob")
    op.create_index("ix_name_key_part_norm", "name_key", ["part", "norm"])
    _raw_edits_back_into_raw(op.get_bind())
    # A plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): a batch copy of the table would drop
    # `record`, which the foreign keys of its events and keys refuse once it holds rows.
    op.execute("ALTER TABLE record DROP COLUMN raw_edits")


def _raw_edits_back_into_raw(bind: sa.engine.Connection) -> None:
    """The older schema reads a record's raw slice from `raw` alone: write it there in full
    for the records that keep it as an edit, so that going down loses nothing."""
    from memorybook.storage.record_codec import decode_raw

    record = sa.table(
        "record", sa.column("id"), sa.column("verbatim"), sa.column("raw"), sa.column("raw_edits")
    )
    rows = bind.execute(
        sa.select(record.c.id, record.c.verbatim, record.c.raw_edits).where(
            record.c.raw_edits.is_not(None), record.c.raw.is_(None)
        )
    ).all()
    updates = [{"rid": rid, "raw": decode_raw(verbatim, edits)} for rid, verbatim, edits in rows]
    if updates:
        bind.execute(
            sa.update(record)
            .where(record.c.id == sa.bindparam("rid"))
            .values(raw=sa.bindparam("raw")),
            updates,
        )
