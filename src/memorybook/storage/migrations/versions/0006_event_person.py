"""An index on event.person_id: linkage removes the persons it merges, and each removal
checks (foreign keys) that no event still points at the person; without the index SQLite
scanned every event for every person removed.

Revision ID: 0006_event_person
Revises: 0005_nationality_key
Create Date: 2026-11-28
"""

from alembic import op

revision = "0006_event_person"
down_revision = "0005_nationality_key"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_event_person", "event", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_event_person", table_name="event")
