"""The archive's version (raised by every write transaction) and the summary its statistics
and home page read (charts, persons, counts), stored per version by imports and linkage.

Revision ID: 0007_archive_summary
Revises: 0006_event_person
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_archive_summary"
down_revision = "0006_event_person"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every text column compares by code point on PostgreSQL (revision 0003_compact).
    collation = "C" if op.get_bind().dialect.name == "postgresql" else None
    version = op.create_table(
        "archive_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(version, [{"id": 1, "version": 1}])
    op.create_table(
        "archive_summary",
        sa.Column("name", sa.String(collation=collation), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data_json", sa.Text(collation=collation), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("archive_summary")
    op.drop_table("archive_version")
