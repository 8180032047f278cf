"""Records read again when a new version of a source reads the same entries otherwise.

A CSV imported with a wrong `--map` and again with the right one holds the same printed rows:
they are the same records (same content keys, same ids, so links and decisions on them
stay) and the new version reads them under its mapping; a second set of records would show
every person twice. Each record is read as the newest version that holds it says; formats
without reading options never re-read anything."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from memorybook.ingest.formats.base import RawEntry, SourceFormat
from memorybook.ingest.rows import (
    EVENT_COLUMNS,
    NAME_KEY_COLUMNS,
    PERSON_COLUMNS,
    RECORD_COLUMNS,
    BatchContext,
    BatchRows,
    build_batch,
)
from memorybook.storage import archive_store as store
from memorybook.storage import reread_store

COLUMNS: dict[str, Sequence[str]] = {
    "record": RECORD_COLUMNS,
    "event": EVENT_COLUMNS,
    "name_key": NAME_KEY_COLUMNS,
    "person": PERSON_COLUMNS,
}


class Rereader:
    def __init__(
        self, conn: Connection, fmt: SourceFormat, family: str, reading: dict[str, Any]
    ) -> None:
        self.reading = reading
        # Only formats that take reading options, and only when a version read otherwise.
        self.by_source = store.family_readings(conn, family) if fmt.reading_options else {}
        self.active = any(r != reading for r in self.by_source.values())

    def stale(self, conn: Connection, record_ids: Sequence[int]) -> set[int]:
        """The records whose newest version read them under other options."""
        if not self.active or not record_ids:
            return set()
        newest = store.newest_holding_source(conn, record_ids)
        return {rid for rid, sid in newest.items() if self.by_source.get(sid) != self.reading}

    def reread(
        self, conn: Connection, ctx: BatchContext, items: list[tuple[RawEntry, str, int]]
    ) -> BatchRows:
        """Read these stored records again (entry, key, stored id) and replace what was read."""
        rows = build_batch(ctx, items)
        reread_store.replace_readings(
            conn, COLUMNS, rows.records, rows.events, rows.name_keys, rows.persons
        )
        return rows
