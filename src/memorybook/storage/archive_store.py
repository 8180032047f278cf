"""Writes and reads of sources, records, events and places (the SQL of the importer)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, update

from memorybook.storage import schema as s


def find_source_version(conn: Connection, family: str, digest: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(s.source).where(s.source.c.family == family, s.source.c.sha256 == digest)
    ).first()
    return dict(row._mapping) if row else None


def latest_source_version(conn: Connection, family: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(s.source).where(s.source.c.family == family).order_by(s.source.c.version.desc())
    ).first()
    return dict(row._mapping) if row else None


def source_by_key(conn: Connection, key: str) -> dict[str, Any]:
    row = conn.execute(select(s.source).where(s.source.c.key == key)).one()
    return dict(row._mapping)


def format_sources(conn: Connection, format_name: str) -> list[dict[str, Any]]:
    """Every source version of a format: key, family, its files and the reading options it
    was imported with (None where the archive did not keep them)."""
    rows = conn.execute(
        select(s.source.c.key, s.source.c.family, s.source.c.files_json, s.source.c.report_json)
        .where(s.source.c.format == format_name)
        .order_by(s.source.c.id)
    )
    out = []
    for key, family, files_json, report_json in rows:
        report = json.loads(report_json) if report_json else {}
        out.append(
            {
                "key": key,
                "family": family,
                "files": json.loads(files_json) if files_json else [],
                "reading": report.get("reading"),
            }
        )
    return out


def family_readings(conn: Connection, family: str) -> dict[int, Any]:
    """The reading options each version of a family was imported with, by source id (None
    where the archive did not keep them)."""
    rows = conn.execute(
        select(s.source.c.id, s.source.c.report_json).where(s.source.c.family == family)
    )
    return {int(i): (json.loads(r) if r else {}).get("reading") for i, r in rows}


def newest_holding_source(conn: Connection, record_ids: Sequence[int]) -> dict[int, int]:
    """For each record, the newest source version (highest id) that locates it."""
    loc = s.record_locator
    found: dict[int, int] = {}
    for i in range(0, len(record_ids), 900):
        chunk = list(record_ids[i : i + 900])
        rows = conn.execute(
            select(loc.c.record_id, func.max(loc.c.source_id))
            .where(loc.c.record_id.in_(chunk))
            .group_by(loc.c.record_id)
        )
        found.update({int(r): int(v) for r, v in rows})
    return found


def next_source_version(conn: Connection, family: str) -> int:
    v = conn.execute(
        select(func.max(s.source.c.version)).where(s.source.c.family == family)
    ).scalar()
    return int(v or 0) + 1


def _insert_returning_id(conn: Connection, table: Table, row: dict[str, Any]) -> int:
    pk = conn.execute(insert(table).values(**row)).inserted_primary_key
    assert pk is not None
    return int(pk[0])


def insert_source(conn: Connection, row: dict[str, Any]) -> int:
    return _insert_returning_id(conn, s.source, row)


def update_source(conn: Connection, source_id: int, **values: Any) -> None:
    conn.execute(update(s.source).where(s.source.c.id == source_id).values(**values))


def max_id(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.max(table.c.id))).scalar() or 0)


def sync_id_sequences(conn: Connection, *tables: Table) -> None:
    """After rows were written with explicit ids (the importer assigns record and person ids
    itself), move PostgreSQL's id sequences past them so later inserts without an id never
    collide. SQLite takes max(rowid) + 1 by itself."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
            f' GREATEST((SELECT MAX(id) FROM "{table.name}"), 1))'
        )


# SQLite's page cache while an import writes (the connection's default is 64 MiB). At a
# national size the unique keys and the event and name indexes take ~1 GB; a cache that holds
# them turns random index inserts into memory writes instead of pages evicted to the write-ahead
# log and read back (bench/national.py; README "National scale"). An upper bound, not an
# allocation: a small import uses what it touches. MEMORYBOOK_IMPORT_CACHE_MB overrides it.
IMPORT_CACHE_MB = 1024


@contextmanager
def bulk_write(conn: Connection) -> Iterator[None]:
    """Settings for an import's transaction, restored afterwards (the connection is pooled)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    mb = int(os.environ.get("MEMORYBOOK_IMPORT_CACHE_MB") or IMPORT_CACHE_MB)
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{mb * 1024}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before or -65536)}")


@contextmanager
def indexes_deferred(conn: Connection, tables: Sequence[str]) -> Iterator[None]:
    """SQLite: the secondary indexes of `tables` dropped for a bulk write and created again
    at its end, in the caller's transaction (an error rolls the drop back with the rest).
    Unique constraints stay: they are the table's own. PostgreSQL keeps its indexes (dropping
    one locks the table against readers for the whole import)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    marks = ", ".join("?" * len(tables))
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks}) ORDER BY name",
        tuple(tables),
    ).all()
    for name, _ in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.exec_driver_sql(sql)


def existing_record_ids(conn: Connection, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i in range(0, len(keys), 900):  # stay under SQLite's bound-parameter limit
        chunk = keys[i : i + 900]
        rows = conn.execute(select(s.record.c.key, s.record.c.id).where(s.record.c.key.in_(chunk)))
        found.update({k: int(v) for k, v in rows})
    return found


def write_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """The importer's bulk write: rows as tuples in `columns` order (dates as ISO text).

    PostgreSQL: one `COPY … FROM STDIN` per batch through psycopg 3, the fastest way in.
    SQLite: the INSERT compiled once per (table, columns) and run as one executemany on the
    driver's cursor (the sqlite3 module keeps it prepared for the whole batch)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        cols = ", ".join(f'"{c}"' for c in columns)
        raw: Any = conn.connection.dbapi_connection  # a psycopg.Connection
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cur = raw.cursor()
    try:
        cur.executemany(_positional_insert(table.name, tuple(columns)), rows)
    finally:
        cur.close()


@functools.lru_cache(maxsize=64)
def _positional_insert(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" * len(columns))})'


def insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert of dict rows that all have the same keys: on SQLite the statement is
    compiled once per (table, columns) and run as one DBAPI executemany; elsewhere through
    SQLAlchemy's batched executemany."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    sql, order = _compiled_insert(conn, table, frozenset(rows[0]))
    if len(order) == 1:
        params: list[tuple[Any, ...]] = [(_plain(r[order[0]]),) for r in rows]
    else:
        getter = itemgetter(*order)
        params = (
            [tuple(map(_plain, getter(r))) for r in rows]
            if _has_dates(table)
            else list(map(getter, rows))
        )
    conn.exec_driver_sql(sql, params)


def _has_dates(table: Table) -> bool:
    """Whether a table has date columns whose Python dates must become ISO text; the
    importer's hot tables pass dates as text already and skip the per-value conversion."""
    return table.name not in _DATES_AS_TEXT and any(
        c.type.python_type is dt.date for c in table.columns if _typed(c)
    )


def _typed(column: Any) -> bool:
    try:
        column.type.python_type  # noqa: B018
    except NotImplementedError:
        return False
    return True


# Tables whose rows the importer builds with dates already as ISO text.
_DATES_AS_TEXT = frozenset({"record", "event"})


_INSERTS: dict[tuple[str, str, frozenset[str]], tuple[str, tuple[str, ...]]] = {}


def _compiled_insert(
    conn: Connection, table: Table, keys: frozenset[str]
) -> tuple[str, tuple[str, ...]]:
    """The INSERT for these columns and the order its positional parameters take."""
    cache_key = (conn.dialect.name, table.name, keys)
    found = _INSERTS.get(cache_key)
    if found is None:
        compiled = insert(table).compile(dialect=conn.dialect, column_keys=sorted(keys))
        order = tuple(compiled.positiontup or ())
        if set(order) != keys:
            raise ValueError(f"{table.name}: cannot insert columns {sorted(keys - set(order))}")
        found = _INSERTS[cache_key] = (str(compiled), order)
    return found


def _plain(value: Any) -> Any:
    # Dates as ISO text: what SQLAlchemy's Date type stores in SQLite, without relying on
    # the sqlite3 module's deprecated default adapters.
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def upsert_places(conn: Connection, rows: Iterable[dict[str, Any]]) -> int:
    """Insert new places; for known keys fill in coordinates and address they lack."""
    known = {r.key: r for r in conn.execute(select(s.place))}
    n = 0
    for row in rows:
        old = known.get(row["key"])
        if old is None:
            conn.execute(insert(s.place).values(**row))
            n += 1
            continue
        patch = {
            k: row[k]
            for k in ("lon", "lat", "address", "description", "extra_json")
            if row.get(k) is not None and getattr(old, k) is None
        }
        if patch:
            conn.execute(update(s.place).where(s.place.c.key == row["key"]).values(**patch))
            n += 1
    return n


def start_import_run(conn: Connection, row: dict[str, Any]) -> int:
    return _insert_returning_id(conn, s.import_run, row)


def finish_import_run(conn: Connection, run_id: int, **values: Any) -> None:
    conn.execute(update(s.import_run).where(s.import_run.c.id == run_id).values(**values))


def replace_reference_items(
    conn: Connection, items: Iterable[tuple[str, str, Any]], kinds: Iterable[str] | None = None
) -> int:
    """Replace the reference items of `kinds` (all items when None) by `items`."""
    delete = s.reference_item.delete()
    if kinds is not None:
        delete = delete.where(s.reference_item.c.kind.in_(list(kinds)))
    conn.execute(delete)
    rows = [
        {"kind": kind, "key": key, "data_json": json.dumps(data, ensure_ascii=False, default=str)}
        for kind, key, data in items
    ]
    insert_many(conn, s.reference_item, rows)
    return len(rows)


def replace_reference_kind(
    conn: Connection, kind: str, items: Iterable[tuple[str, dict[str, Any]]]
) -> int:
    """Replace the items of one kind made from an import (e.g. the Politburo lists)."""
    return replace_reference_items(conn, ((kind, k, d) for k, d in items), kinds=[kind])


def source_record_contexts(conn: Connection, source_id: int) -> list[tuple[str, str | None]]:
    """(file, context_json) of every record of a source version, new or reused."""
    q = (
        select(s.record_locator.c.file, s.record.c.context_json)
        .join(s.record, s.record.c.id == s.record_locator.c.record_id)
        .where(s.record_locator.c.source_id == source_id)
        .order_by(s.record_locator.c.file, s.record_locator.c.idx)
    )
    return [(str(f), c) for f, c in conn.execute(q)]


def address_points(conn: Connection) -> dict[tuple[str, str], int]:
    rows = conn.execute(
        select(s.address_point.c.street_key, s.address_point.c.house_key, s.address_point.c.id)
    )
    return {(a, b): int(i) for a, b, i in rows}


def records_without_address(conn: Connection, family_prefix: str) -> list[tuple[int, str]]:
    q = (
        select(s.record.c.id, s.record.c.context_json)
        .where(s.record.c.family.startswith(family_prefix))
        .where(~s.record.c.id.in_(select(s.record_address.c.record_id)))
    )
    return [(int(i), c) for i, c in conn.execute(q)]
