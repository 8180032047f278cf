"""The archive schema, one definition for every backend.

Records keep their verbatim text beside the parsed values; the flattened columns
(surname, birth years, death date, burial place …) exist for filters, statistics and the
search, and are always derived from the parsed values (see storage/record_codec.py for how
those are stored)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

# Every table's id is a 32-bit INTEGER on both backends. A larger number names no row, but
# PostgreSQL refuses it as a parameter of that type where SQLite just finds nothing: a lookup
# by a number that came from outside (a URL) checks it with `is_id` first.
MAX_ID = 2**31 - 1


def is_id(value: int) -> bool:
    """Whether `value` can be the id of a row."""
    return 0 < value <= MAX_ID


source = Table(
    "source",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String, nullable=False, unique=True),  # family key + version
    Column("family", String, nullable=False),  # one list across its versions
    Column("version", Integer, nullable=False, default=1),
    Column("title", Text, nullable=False),
    Column("kind", String, nullable=False),
    Column("format", String),
    Column("author", Text),
    Column("year", Integer),
    Column("url", Text),
    Column("licence", Text),
    Column("files_json", Text),  # [{"name", "sha256", "size", "encoding"}]
    Column("sha256", String),  # of the concatenated file digests: the version's identity
    Column("size", Integer),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("imported_at", String),
    Column("entry_count", Integer),
    Column("record_count", Integer),
    Column("report_json", Text),
    UniqueConstraint("family", "sha256", name="uq_source_family_digest"),
)

record = Table(
    "record",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String, nullable=False, unique=True),  # content hash: idempotent imports
    Column("family", String, nullable=False),
    Column("source_id", ForeignKey("source.id"), nullable=False),  # first version holding it
    Column("file", String, nullable=False),
    Column("idx", Integer, nullable=False),
    Column("line", Integer),
    Column("verbatim", Text, nullable=False),
    # The exact slice of the decoded file, where it differs from verbatim: archives written
    # since revision 0003_compact keep it as an edit of the verbatim text in `raw_edits`, older ones
    # as a full copy in `raw` (storage/record_codec.py reads both).
    Column("raw", Text),
    Column("raw_start", Integer),
    Column("raw_end", Integer),
    Column("context_json", Text),
    Column("fields_json", Text, nullable=False),  # values the spans do not give (record_codec)
    Column("spans_json", Text, nullable=False),
    Column("extra_json", Text),
    Column("warnings_json", Text),
    Column("parsed", Boolean, nullable=False, default=True),
    # Flattened, derived columns.
    Column("name", Text),  # the name as printed
    Column("surname", Text),
    Column("given_name", Text),
    Column("patronymic", Text),
    Column("sex", String(1)),
    Column("birth_edtf", String),
    Column("birth_from", Integer),
    Column("birth_to", Integer),
    Column("death_edtf", String),
    Column("death_date", Date),
    Column("death_year", Integer),
    Column("nationality", Text),
    Column("burial_place", Text),
    Column("burial_place_key", String),
    Column("residence", Text),
    Column("sentencing_body", Text),
    Column("body_key", String),
    Column("executed", Boolean),
    Column("rehab_year", Integer),
    Column("operation_key", String),
    Column("sort_key", Text),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("raw_edits", Text),
    # The printed nationality in the shared vocabulary's canonical form (`русская`, `русские`
    # -> `русский`; memorybook.vocab), or the printed word folded when the vocabulary does
    # not know it: what the facets count and the filters match (revision 0005).
    Column("nationality_key", Text),
    # The verbatim text, stored fields and spans compressed together (record_codec; revision
    # 0010): where set, `verbatim`, `fields_json` and `spans_json` are stored empty and the
    # reads (storage/packed_store.py) take them from here.
    Column("packed", LargeBinary),
)
# The filters by source and year of birth, and the statistics' selections by date of death.
# No index on (family, file, idx): the records of one list file are found through their
# locators (read_store.list_record_ids); none on sort_key: the browse order sorts every
# matching row whichever way (SQLite and PostgreSQL cannot take `sort_key IS NULL, sort_key,
# id` from it) and the site browses from its facet index (revision 0011).
Index("ix_record_source", record.c.source_id)
Index("ix_record_death_date", record.c.death_date)
Index("ix_record_birth_from", record.c.birth_from)

# A record belongs to every version of its list that prints it, at that version's locator.
record_locator = Table(
    "record_locator",
    metadata,
    Column("record_id", ForeignKey("record.id"), primary_key=True),
    Column("source_id", ForeignKey("source.id"), primary_key=True),
    Column("file", String, nullable=False),
    Column("idx", Integer, nullable=False),
    # Keyed by its primary key alone (revision 0009): no rowid, no second copy of the key.
    sqlite_with_rowid=False,
)
Index(
    "ix_locator_source_file_idx",
    record_locator.c.source_id,
    record_locator.c.file,
    record_locator.c.idx,
)

person = Table(
    "person",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String, nullable=False, unique=True),
    Column("surname", Text),
    Column("given_name", Text),
    Column("patronymic", Text),
    Column("sex", String(1)),
    # Set by linkage: a stored decision touches one of its records.
    Column("decided", Boolean, nullable=False, server_default=false()),
)

person_record = Table(
    "person_record",
    metadata,
    Column("person_id", ForeignKey("person.id"), primary_key=True),
    Column("record_id", ForeignKey("record.id"), primary_key=True),
    sqlite_with_rowid=False,  # revision 0009, as record_locator
)
Index("ix_person_record_record", person_record.c.record_id)

# The events each record tells of (birth, arrest, sentence …; ingest/events.py), keyed by
# their record and their place among its events (revision 0011). A row holds what the SQL
# selects on, compactly: the kind as a number (record_codec.EVENT_KINDS) and the bounds as day
# numbers (YYYYMMDD: ordered as the dates, the year is the number // 10000). The event's text
# values are in its record's packed payload, or, for a record stored plain (or packed before
# revision 0011), in `detail` (record_codec.read_event_detail). An event's person is its
# record's (person_record).
event = Table(
    "event",
    metadata,
    Column("record_id", ForeignKey("record.id"), primary_key=True, autoincrement=False),
    Column("seq", SmallInteger, primary_key=True, autoincrement=False),
    Column("kind", SmallInteger, nullable=False),
    Column("earliest", Integer),
    Column("latest", Integer),
    Column("detail", Text),
    sqlite_with_rowid=False,
)

place = Table(
    "place",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("normalised", Text, nullable=False),
    Column("kind", String, nullable=False),
    Column("lon", Float),
    Column("lat", Float),
    Column("address", Text),
    Column("description", Text),
    Column("source_id", ForeignKey("source.id")),
    Column("extra_json", Text),
)
Index("ix_place_normalised", place.c.normalised)

# House-level coordinates of last addresses (memorial-moscow/geocoded).
address_point = Table(
    "address_point",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("street", Text, nullable=False),
    Column("house", Text, nullable=False),
    Column("street_key", Text, nullable=False),
    Column("house_key", Text, nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("repressed", Integer),
    Column("source_id", ForeignKey("source.id")),
    UniqueConstraint("street_key", "house_key", name="uq_address_point"),
)

record_address = Table(
    "record_address",
    metadata,
    Column("record_id", ForeignKey("record.id"), primary_key=True),
    Column("address_point_id", ForeignKey("address_point.id"), nullable=False),
)

# The authored reference data (orders, operations, quotas, figures, bodies, persons),
# loaded from the package's YAML so the site and other tools read one place.
reference_item = Table(
    "reference_item",
    metadata,
    Column("kind", String, primary_key=True),
    Column("key", String, primary_key=True),
    Column("data_json", Text, nullable=False),
)

import_run = Table(
    "import_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", ForeignKey("source.id")),
    Column("format", String, nullable=False),
    Column("paths_json", Text, nullable=False),
    Column("started_at", String, nullable=False),
    Column("finished_at", String),
    Column("status", String, nullable=False),
    Column("report_json", Text),
)

# The facet columns of every record as arrays (storage/read_store.FacetIndex), stored by
# each import so that web workers load them at once instead of reading every record.
facet_blob = Table(
    "facet_blob",
    metadata,
    Column("name", String, primary_key=True),
    Column("chunk", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

# The compression dictionaries of packed records (record.packed), by the id zstandard gives
# each (derived from its content). Written by the import that trains one; never changed or
# deleted: the records written with a dictionary cannot be read without it.
codec_dict = Table(
    "codec_dict",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("data", LargeBinary, nullable=False),
)

# The archive's version: one row, its number raised by every write transaction
# (storage/engine.write_transaction), so that a reader can tell in one indexed read whether
# anything changed since it last counted.
archive_version = Table(
    "archive_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
)

# What the statistics and the home page count (memorybook.stats.summary), stored by the
# writes that change it (imports, linkage) for the version they commit.
archive_summary = Table(
    "archive_summary",
    metadata,
    Column("name", String, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("data_json", Text, nullable=False),
)

# The search package's tables (name keys, vocabulary index) are defined beside it in
# storage/search_tables.py on this same metadata, and record linkage's (runs, scored links,
# decisions, redirects) in storage/link_tables.py; importing them here registers them.
from memorybook.storage import link_tables, search_tables  # noqa: E402,F401
