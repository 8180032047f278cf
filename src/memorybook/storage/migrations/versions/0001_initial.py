"""The initial archive schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

The first revision creates the tables exactly as `memorybook.storage.schema` defines them
at this revision; later revisions alter them step by step.
"""

from alembic import op

from memorybook.storage.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
