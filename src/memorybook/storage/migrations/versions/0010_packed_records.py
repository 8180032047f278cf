"""Packed records: a record's verbatim text, stored fields and spans compressed together with
a dictionary trained on its import (`record.packed`, the dictionaries in `codec_dict`;
storage/record_codec.py). Records written before keep their columns and read as before.

Revision ID: 0010_packed_records
Revises: 0009_keyed_tables
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_packed_records"
down_revision = "0009_keyed_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("record", sa.Column("packed", sa.LargeBinary(), nullable=True))
    op.create_table(
        "codec_dict",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    # Packed records back into their columns first: nothing is lost by going down.
    from memorybook.storage.packed_store import unpack_all_in_place

    unpack_all_in_place(op.get_bind())
    op.drop_table("codec_dict")
    # A plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): a batch copy of the table would drop
    # `record`, which the foreign keys of its events and keys refuse.
    op.execute("ALTER TABLE record DROP COLUMN packed")
