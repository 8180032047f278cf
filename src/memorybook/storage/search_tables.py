"""Tables of the name search (SQL for them lives in storage/search_store.py).

- `name_key`: one row per record × name part × printed form (the printed name is alt 0,
  aliases printed in parentheses alt 1, 2 …), with the normalised form. Written by the
  importer from `memorybook.search.keys.name_key_rows`.
- `search_vocab`: one row per distinct (part, normalised name) with all its lookup keys
  (romanisations, skeleton, Daitch–Mokotoff codes, equivalence groups), so keys are computed
  once per name and both backends read identical keys.
- `search_blob`: the persisted candidate index (numpy arrays, chunked), rebuilt by
  `memorybook.search.index.rebuild` after each import and loaded once per process."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from memorybook.storage.schema import metadata

name_key = Table(
    "name_key",
    metadata,
    Column("record_id", ForeignKey("record.id"), primary_key=True),
    Column("alt", Integer, primary_key=True, default=0),  # 0 printed name, 1.. aliases
    Column("part", String(1), primary_key=True),  # s surname, g given name, p patronymic
    Column("norm", Text, nullable=False),  # NFC, casefold, ё→е, look-alikes fixed
    Column("printed", Text),  # not written since revision 0003_compact: the record has the name
    # One b-tree in record order (revision 0009): the rows are read by record for the name
    # index and deleted by record; a rowid and a separate index on record_id held 41 bytes
    # per entry more and cost a second insert per row.
    sqlite_with_rowid=False,
)

search_vocab = Table(
    "search_vocab",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("part", String(1), nullable=False),
    Column("norm", Text, nullable=False),
    Column("lookup_keys", Text, nullable=False),  # space-separated "kind:value"
    UniqueConstraint("part", "norm", name="uq_search_vocab_part_norm"),
)

search_blob = Table(
    "search_blob",
    metadata,
    Column("name", String, primary_key=True),
    Column("chunk", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)
