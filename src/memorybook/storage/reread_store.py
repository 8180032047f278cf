"""The SQL of reading stored records again (ingest/reread.py): a record keeps its id, key,
verbatim text and first locator; what was read from it is replaced."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, text

from memorybook.storage import schema as s
from memorybook.storage.archive_store import write_rows
from memorybook.storage.search_store import delete_name_keys
from memorybook.storage.search_tables import name_key

# What stays when a record is read again: its identity and the place it was first printed.
# The text is the same (the key is a hash of it) but is written again with the rest: it is
# stored in `verbatim` or in `packed` (record_codec) as the rows read again are built, and the
# two must go together.
KEPT = frozenset({"id", "key", "family", "source_id", "file", "idx", "line", "synthetic"})


def replace_readings(
    conn: Connection,
    columns: dict[str, Sequence[str]],
    records: Sequence[Sequence[Any]],
    events: Sequence[Sequence[Any]],
    name_keys: Sequence[Sequence[Any]],
    persons: Sequence[Sequence[Any]],
) -> None:
    """Rows as the importer builds them (tuples in `columns[table]` order, ids already the
    stored records' ids): the records' derived columns are updated, their events and name
    keys replaced, the names of each record's own person updated."""
    if not records:
        return
    rcols = list(columns["record"])
    changed = [c for c in rcols if c not in KEPT]
    at = {c: i for i, c in enumerate(rcols)}
    sql = text(
        "UPDATE record SET " + ", ".join(f'"{c}" = :{c}' for c in changed) + " WHERE id = :id"
    )
    conn.execute(sql, [{"id": r[at["id"]], **{c: r[at[c]] for c in changed}} for r in records])
    ids = [int(r[at["id"]]) for r in records]
    for i in range(0, len(ids), 500):
        conn.execute(delete(s.event).where(s.event.c.record_id.in_(ids[i : i + 500])))
    write_rows(conn, s.event, list(columns["event"]), events)
    delete_name_keys(conn, ids)
    write_rows(conn, name_key, columns["name_key"], name_keys)
    pcols = list(columns["person"])
    named = [c for c in pcols if c not in ("id", "key")]
    conn.execute(
        text("UPDATE person SET " + ", ".join(f'"{c}" = :{c}' for c in named) + " WHERE id = :id"),
        [{"id": p[pcols.index("id")], **{c: p[pcols.index(c)] for c in named}} for p in persons],
    )
