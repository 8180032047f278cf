"""The initial archive schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Explicit operations (rendered once by Alembic's autogenerate from storage/schema.py at this
revision), so later changes to the schema module never rewrite history.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("surname", sa.Text(), nullable=True),
        sa.Column("given_name", sa.Text(), nullable=True),
        sa.Column("patronymic", sa.Text(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "reference_item",
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("data_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key"),
    )
    op.create_table(
        "search_blob",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("chunk", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", "chunk"),
    )
    op.create_table(
        "search_vocab",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=1), nullable=False),
        sa.Column("norm", sa.Text(), nullable=False),
        sa.Column("lookup_keys", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("part", "norm", name="uq_search_vocab_part_norm"),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("family", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("licence", sa.Text(), nullable=True),
        sa.Column("files_json", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("imported_at", sa.String(), nullable=True),
        sa.Column("entry_count", sa.Integer(), nullable=True),
        sa.Column("record_count", sa.Integer(), nullable=True),
        sa.Column("report_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("family", "sha256", name="uq_source_family_digest"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "address_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("street", sa.Text(), nullable=False),
        sa.Column("house", sa.Text(), nullable=False),
        sa.Column("street_key", sa.Text(), nullable=False),
        sa.Column("house_key", sa.Text(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("repressed", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("street_key", "house_key", name="uq_address_point"),
    )
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("paths_json", sa.Text(), nullable=False),
        sa.Column("started_at", sa.String(), nullable=False),
        sa.Column("finished_at", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("normalised", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("extra_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_place_normalised", "place", ["normalised"], unique=False)
    op.create_table(
        "record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("family", sa.String(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("verbatim", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("raw_start", sa.Integer(), nullable=True),
        sa.Column("raw_end", sa.Integer(), nullable=True),
        sa.Column("context_json", sa.Text(), nullable=True),
        sa.Column("fields_json", sa.Text(), nullable=False),
        sa.Column("spans_json", sa.Text(), nullable=False),
        sa.Column("extra_json", sa.Text(), nullable=True),
        sa.Column("warnings_json", sa.Text(), nullable=True),
        sa.Column("parsed", sa.Boolean(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("surname", sa.Text(), nullable=True),
        sa.Column("given_name", sa.Text(), nullable=True),
        sa.Column("patronymic", sa.Text(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_edtf", sa.String(), nullable=True),
        sa.Column("birth_from", sa.Integer(), nullable=True),
        sa.Column("birth_to", sa.Integer(), nullable=True),
        sa.Column("death_edtf", sa.String(), nullable=True),
        sa.Column("death_date", sa.Date(), nullable=True),
        sa.Column("death_year", sa.Integer(), nullable=True),
        sa.Column("nationality", sa.Text(), nullable=True),
        sa.Column("burial_place", sa.Text(), nullable=True),
        sa.Column("burial_place_key", sa.String(), nullable=True),
        sa.Column("residence", sa.Text(), nullable=True),
        sa.Column("sentencing_body", sa.Text(), nullable=True),
        sa.Column("body_key", sa.String(), nullable=True),
        sa.Column("executed", sa.Boolean(), nullable=True),
        sa.Column("rehab_year", sa.Integer(), nullable=True),
        sa.Column("operation_key", sa.String(), nullable=True),
        sa.Column("sort_key", sa.Text(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_record_birth_from", "record", ["birth_from"], unique=False)
    op.create_index("ix_record_death_date", "record", ["death_date"], unique=False)
    op.create_index("ix_record_family_file_idx", "record", ["family", "file", "idx"], unique=False)
    op.create_index("ix_record_sort", "record", ["sort_key"], unique=False)
    op.create_index("ix_record_source", "record", ["source_id"], unique=False)
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("custom_label", sa.Text(), nullable=True),
        sa.Column("edtf", sa.String(), nullable=True),
        sa.Column("earliest", sa.Date(), nullable=True),
        sa.Column("latest", sa.Date(), nullable=True),
        sa.Column("printed", sa.Text(), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("place_key", sa.String(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("body_key", sa.String(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_event_kind_earliest", "event", ["kind", "earliest"], unique=False)
    op.create_index("ix_event_record", "event", ["record_id"], unique=False)
    op.create_table(
        "name_key",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("alt", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=1), nullable=False),
        sa.Column("norm", sa.Text(), nullable=False),
        sa.Column("printed", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
    )
    op.create_index("ix_name_key_part_norm", "name_key", ["part", "norm"], unique=False)
    op.create_index("ix_name_key_record", "name_key", ["record_id"], unique=False)
    op.create_table(
        "person_record",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.PrimaryKeyConstraint("person_id", "record_id"),
    )
    op.create_index("ix_person_record_record", "person_record", ["record_id"], unique=False)
    op.create_table(
        "record_address",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("address_point_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["address_point_id"],
            ["address_point.id"],
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.PrimaryKeyConstraint("record_id"),
    )
    op.create_table(
        "record_locator",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
        ),
        sa.PrimaryKeyConstraint("record_id", "source_id"),
    )
    op.create_index(
        "ix_locator_source_file_idx", "record_locator", ["source_id", "file", "idx"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_locator_source_file_idx", table_name="record_locator")
    op.drop_table("record_locator")
    op.drop_table("record_address")
    op.drop_index("ix_person_record_record", table_name="person_record")
    op.drop_table("person_record")
    op.drop_index("ix_name_key_record", table_name="name_key")
    op.drop_index("ix_name_key_part_norm", table_name="name_key")
    op.drop_table("name_key")
    op.drop_index("ix_event_record", table_name="event")
    op.drop_index("ix_event_kind_earliest", table_name="event")
    op.drop_table("event")
    op.drop_index("ix_record_source", table_name="record")
    op.drop_index("ix_record_sort", table_name="record")
    op.drop_index("ix_record_family_file_idx", table_name="record")
    op.drop_index("ix_record_death_date", table_name="record")
    op.drop_index("ix_record_birth_from", table_name="record")
    op.drop_table("record")
    op.drop_index("ix_place_normalised", table_name="place")
    op.drop_table("place")
    op.drop_table("import_run")
    op.drop_table("address_point")
    op.drop_table("source")
    op.drop_table("search_vocab")
    op.drop_table("search_blob")
    op.drop_table("reference_item")
    op.drop_table("person")
