"""Record linkage: runs with their trained model, scored links, decisions, person redirects.

Revision ID: 0002_linkage
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_linkage"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_a", sa.String(), nullable=False),
        sa.Column("key_b", sa.String(), nullable=False),
        sa.Column("verdict", sa.String(), nullable=False),
        sa.Column("origin", sa.String(), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.String(), nullable=False),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("citation", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_link_decision_b", "link_decision", ["key_b"], unique=False)
    op.create_index(
        "ix_link_decision_pair", "link_decision", ["key_a", "key_b", "origin"], unique=False
    )
    op.create_table(
        "link_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.String(), nullable=False),
        sa.Column("finished_at", sa.String(), nullable=True),
        sa.Column("backend", sa.String(), nullable=False),
        sa.Column("use_source_identities", sa.Boolean(), nullable=False),
        sa.Column("thresholds_json", sa.Text(), nullable=False),
        sa.Column("model_json", sa.Text(), nullable=False),
        sa.Column("model_sha256", sa.String(), nullable=False),
        sa.Column("counts_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "person_redirect",
        sa.Column("old_key", sa.String(), nullable=False),
        sa.Column("new_key", sa.String(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["link_run.id"]),
        sa.PrimaryKeyConstraint("old_key"),
    )
    op.create_table(
        "record_link",
        sa.Column("record_a", sa.Integer(), nullable=False),
        sa.Column("record_b", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("gamma_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["record_a"], ["record.id"]),
        sa.ForeignKeyConstraint(["record_b"], ["record.id"]),
        sa.ForeignKeyConstraint(["run_id"], ["link_run.id"]),
        sa.PrimaryKeyConstraint("record_a", "record_b"),
    )
    op.create_index("ix_record_link_b", "record_link", ["record_b"], unique=False)
    op.create_index("ix_record_link_status", "record_link", ["status", "probability"], unique=False)
    # A plain ADD COLUMN (no table rebuild): person rows are referenced by events.
    op.add_column(
        "person",
        sa.Column("decided", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("person", "decided")
    op.drop_index("ix_record_link_status", table_name="record_link")
    op.drop_index("ix_record_link_b", table_name="record_link")
    op.drop_table("record_link")
    op.drop_table("person_redirect")
    op.drop_table("link_run")
    op.drop_index("ix_link_decision_pair", table_name="link_decision")
    op.drop_index("ix_link_decision_b", table_name="link_decision")
    op.drop_table("link_decision")
