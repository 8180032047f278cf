"""Compact events: a row keeps what the SQL selects on, its text values go with the record.

An event row was 14 columns (its text values, a role always "primary", a person always the
record's) on a rowid with two indexes beside it: ~435 of the 1,808 bytes per entry of a
synthetic national list (300,000 entries). It is now keyed by (record_id, seq), WITHOUT
ROWID on SQLite, with the kind as a number and the bounds as day numbers (YYYYMMDD). The
text values (dates as EDTF and as printed, places, bodies, descriptions and their keys) are
slices and copies of the record's own values: imports since this revision keep them in the
record's packed payload (storage/record_codec.py), where the compression finds them in the
verbatim text; a plain record, and every record upgraded here, keeps them in `detail` (JSON).
An event's person is its record's (person_record), so `person_id`, its index and `role` go.

Two indexes of `record` that no query needs go too (~107 bytes per entry): (family, file,
idx), whose one reader now goes through the locators' index, and sort_key, which no browse
query can take its order from.

The downgrade rebuilds the old table (the details from `detail` or the payload, the person
from person_record) and packs the payloads again without the events' details.

Revision ID: 0011_compact_events
Revises: 0010_packed_records
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_compact_events"
down_revision = "0010_packed_records"
branch_labels = None
depends_on = None

KINDS = (
    "birth", "arrest", "sentence", "execution", "death", "burial", "rehabilitation",
    "sanction", "custom",
)  # fmt: skip
DETAIL = (
    "edtf", "printed", "place", "place_key", "body", "body_key", "description", "custom_label",
)  # fmt: skip


def _text() -> sa.Text:
    # Every text column compares by code point on PostgreSQL, as on SQLite (revision 0003).
    return sa.Text(collation="C" if op.get_bind().dialect.name == "postgresql" else None)


def _string() -> sa.String:
    return sa.String(collation="C" if op.get_bind().dialect.name == "postgresql" else None)


def _compact(name: str) -> None:
    op.create_table(
        name,
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("earliest", sa.Integer(), nullable=True),
        sa.Column("latest", sa.Integer(), nullable=True),
        sa.Column("detail", _text(), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["record.id"]),
        sa.PrimaryKeyConstraint("record_id", "seq"),
        sqlite_with_rowid=False,
    )


def _wide(name: str) -> sa.Table:
    return op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("role", _string(), nullable=False),
        sa.Column("kind", _string(), nullable=False),
        sa.Column("custom_label", _text(), nullable=True),
        sa.Column("edtf", _string(), nullable=True),
        sa.Column("earliest", sa.Date(), nullable=True),
        sa.Column("latest", sa.Date(), nullable=True),
        sa.Column("printed", _text(), nullable=True),
        sa.Column("place", _text(), nullable=True),
        sa.Column("place_key", _string(), nullable=True),
        sa.Column("body", _text(), nullable=True),
        sa.Column("body_key", _string(), nullable=True),
        sa.Column("description", _text(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["record_id"], ["record.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    _compact("event_new")
    kind = "CASE kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KINDS)) + " END"
    if pg:
        day = "CAST(to_char({0}, 'YYYYMMDD') AS INTEGER)"
        detail = f"json_build_array({', '.join(DETAIL)})::text"
    else:
        day = "CAST(replace({0}, '-', '') AS INTEGER)"
        detail = f"json_array({', '.join(DETAIL)})"
    # An event of an unknown kind would make `kind` NULL and stop the upgrade: nothing is lost.
    op.execute(
        "INSERT INTO event_new (record_id, seq, kind, earliest, latest, detail)"
        " SELECT record_id, row_number() OVER (PARTITION BY record_id ORDER BY id) - 1,"
        f" {kind}, {day.format('earliest')}, {day.format('latest')},"
        f" CASE WHEN COALESCE({', '.join(DETAIL)}) IS NULL THEN NULL ELSE {detail} END"
        " FROM event ORDER BY record_id, id"
    )
    op.drop_table("event")
    op.rename_table("event_new", "event")
    # Indexes no query needs (storage/schema.py says why).
    op.drop_index("ix_record_family_file_idx", table_name="record")
    op.drop_index("ix_record_sort", table_name="record")


def _wide_rows(bind: sa.Connection) -> list[dict[str, object]]:
    """The old table's rows: details from `detail` or the record's payload, the person from
    person_record, ids in the order of (record, seq) as the imports gave them."""
    import datetime as dt
    import json

    from memorybook.storage.packed_store import packed_event_details

    def day(n: int | None) -> dt.date | None:
        return None if n is None else dt.date(n // 10000, n // 100 % 100, n % 100)

    packed = packed_event_details(bind)
    person = {
        int(r): int(p)
        for r, p in bind.exec_driver_sql("SELECT record_id, person_id FROM person_record")
    }
    rows = []
    events = bind.exec_driver_sql(
        "SELECT record_id, seq, kind, earliest, latest, detail FROM event ORDER BY record_id, seq"
    )
    for n, (rid, seq, kind, earliest, latest, detail) in enumerate(events, start=1):
        if detail is not None:
            values = json.loads(detail)
        else:
            held = packed.get(int(rid)) or []
            values = (held[seq] if seq < len(held) else None) or []
        rows.append(
            {
                "id": n, "record_id": rid, "person_id": person.get(int(rid)), "role": "primary",
                "kind": KINDS[kind], "earliest": day(earliest), "latest": day(latest),
                **{k: (values[i] if i < len(values) else None) for i, k in enumerate(DETAIL)},
            }
        )  # fmt: skip
    return rows


def downgrade() -> None:
    from memorybook.storage.packed_store import repack_without_event_details

    bind = op.get_bind()
    op.create_index("ix_record_family_file_idx", "record", ["family", "file", "idx"])
    op.create_index("ix_record_sort", "record", ["sort_key"])
    table = _wide("event_old")
    rows = _wide_rows(bind)
    for i in range(0, len(rows), 5000):
        bind.execute(table.insert(), rows[i : i + 5000])
    op.drop_table("event")
    op.rename_table("event_old", "event")
    op.create_index("ix_event_record", "event", ["record_id"])
    op.create_index("ix_event_person", "event", ["person_id"])
    if bind.dialect.name == "postgresql":  # move the id sequence past the ids written
        bind.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('event', 'id'),"
            " GREATEST((SELECT MAX(id) FROM event), 1))"
        )
    # Older readers take a payload for (verbatim, fields, spans) alone.
    repack_without_event_details(bind)
