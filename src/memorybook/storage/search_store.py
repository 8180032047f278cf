"""SQL of the name search: reading names and filter columns, storing keys and index blobs.

Everything here is SQLAlchemy Core so SQLite and PostgreSQL run the same statements; all
text comparison happens on keys normalised in Python (SQLite folds ASCII only)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    Table,
    bindparam,
    delete,
    insert,
    select,
    text,
)

from memorybook.storage.packed_store import unpacked
from memorybook.storage.schema import record, source
from memorybook.storage.search_tables import name_key, search_blob, search_vocab

_CHUNK = 64 * 1024 * 1024  # keep each blob well under SQLite's and PostgreSQL's 1 GB limits


def insert_name_keys(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(name_key), list(rows))


def delete_name_keys(conn: Connection, record_ids: Iterable[int]) -> None:
    """Forget the name keys of records read again (a re-import with another mapping)."""
    ids = list(record_ids)
    for i in range(0, len(ids), 500):
        conn.execute(delete(name_key).where(name_key.c.record_id.in_(ids[i : i + 500])))


def iter_name_keys(conn: Connection) -> Iterator[tuple[int, int, str, str]]:
    """(record_id, alt, part, norm) for every stored name part, by record."""
    stmt = select(name_key.c.record_id, name_key.c.alt, name_key.c.part, name_key.c.norm)
    # Per statement: Connection.execution_options() would change the connection for good.
    result = conn.execute(
        stmt.order_by(name_key.c.record_id, name_key.c.alt),
        execution_options={"stream_results": True, "yield_per": 20_000},
    )
    for row in result:
        yield row[0], row[1], row[2], row[3]


def iter_record_filters(conn: Connection) -> Iterator[tuple[Any, ...]]:
    """(id, birth_from, birth_to, death_year, nationality, burial_place_key, burial_place,
    family, source_id, birth_edtf, name, surname, given_name, patronymic) for every record,
    by id (the name columns say whether the record has a name to show)."""
    stmt = select(
        record.c.id,
        record.c.birth_from,
        record.c.birth_to,
        record.c.death_year,
        record.c.nationality,
        record.c.burial_place_key,
        record.c.burial_place,
        record.c.family,
        record.c.source_id,
        record.c.birth_edtf,
        record.c.name,
        record.c.surname,
        record.c.given_name,
        record.c.patronymic,
    ).order_by(record.c.id)
    for row in conn.execute(stmt, execution_options={"stream_results": True, "yield_per": 20_000}):
        yield tuple(row)


def source_keys(conn: Connection) -> dict[int, str]:
    return {r[0]: r[1] for r in conn.execute(select(source.c.id, source.c.key))}


def load_vocab(conn: Connection) -> dict[tuple[str, str], tuple[int, str]]:
    """(part, norm) -> (id, keys) for every stored distinct name."""
    stmt = select(
        search_vocab.c.id, search_vocab.c.part, search_vocab.c.norm, search_vocab.c.lookup_keys
    )
    return {(r[1], r[2]): (r[0], r[3]) for r in conn.execute(stmt)}


def clear_vocab(conn: Connection) -> None:
    """Forget every stored name's keys (they were computed by older code or table)."""
    conn.execute(delete(search_vocab))


def has_name_keys(conn: Connection) -> bool:
    return conn.execute(select(name_key.c.record_id).limit(1)).first() is not None


def insert_vocab(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    for i in range(0, len(rows), 20_000):
        conn.execute(insert(search_vocab), list(rows[i : i + 20_000]))


def write_blobs(conn: Connection, blobs: dict[str, bytes], table: Table = search_blob) -> None:
    """Replace the blobs of `table` (name, chunk, data), chunked under the backends' limits."""
    conn.execute(delete(table))
    rows = []
    for name, data in blobs.items():
        view = memoryview(data)
        for n, start in enumerate(range(0, max(len(data), 1), _CHUNK)):
            rows.append({"name": name, "chunk": n, "data": bytes(view[start : start + _CHUNK])})
            if len(rows) >= 8:
                conn.execute(insert(table), rows)
                rows = []
    if rows:
        conn.execute(insert(table), rows)


def read_blob(conn: Connection, name: str, table: Table = search_blob) -> bytes | None:
    """One persisted blob (its chunks joined), or None."""
    stmt = select(table.c.data).where(table.c.name == name)
    chunks = [bytes(r[0]) for r in conn.execute(stmt.order_by(table.c.chunk))]
    return b"".join(chunks) if chunks else None


def read_blobs(conn: Connection, table: Table = search_blob) -> dict[str, bytes]:
    parts: dict[str, list[bytes]] = {}
    stmt = select(table.c.name, table.c.data).order_by(table.c.name, table.c.chunk)
    for name, data in conn.execute(stmt):
        parts.setdefault(name, []).append(bytes(data))
    return {k: v[0] if len(v) == 1 else b"".join(v) for k, v in parts.items()}


_FETCH_COLUMNS = (
    record.c.id, record.c.name, record.c.birth_edtf, record.c.file, record.c.idx,
    record.c.surname, record.c.given_name, record.c.patronymic, record.c.birth_from,
    record.c.birth_to,
)  # fmt: skip
# An expanding IN is rendered again for every call; a page of results is small, so one
# statement per page size (compiled once, cached by SQLAlchemy) saves a millisecond a query.
_FETCH = select(*_FETCH_COLUMNS).where(record.c.id.in_(bindparam("ids", expanding=True)))
_FIXED = 32


@lru_cache(maxsize=_FIXED)
def _fetch_fixed(n: int) -> Select[Any]:
    return select(*_FETCH_COLUMNS).where(record.c.id.in_([bindparam(f"id{i}") for i in range(n)]))


class Shown(NamedTuple):
    """What a search hit shows of its record (`fetch_records`)."""

    id: int
    name: str | None
    birth_edtf: str | None
    file: str
    idx: int
    surname: str | None
    given_name: str | None
    patronymic: str | None
    birth_from: int | None
    birth_to: int | None


_SQLITE_FETCH = (
    f"SELECT {', '.join(Shown._fields)} FROM record WHERE id IN (SELECT value FROM json_each(?))"
)


def fetch_records(engine_or_conn: Engine | Connection, ids: Sequence[int]) -> dict[int, Any]:
    """Display fields of the given records: name, birth_edtf, file, idx, names, birth years."""
    if not ids:
        return {}
    if isinstance(engine_or_conn, Connection):
        raw = engine_or_conn.connection.dbapi_connection
        if isinstance(raw, sqlite3.Connection):
            # Straight through the driver, the ids as one JSON parameter: a name search
            # fetches its up to 1,000 candidates, and SQLAlchemy's expanding IN and row
            # objects cost more than the query (a fifth of a search page).
            rows = raw.execute(_SQLITE_FETCH, (json.dumps([int(i) for i in ids]),))
            return {r[0]: Shown(*r) for r in rows}
    params: dict[str, Any]
    if len(ids) <= _FIXED:
        stmt, params = _fetch_fixed(len(ids)), {f"id{i}": v for i, v in enumerate(ids)}
    else:
        stmt, params = _FETCH, {"ids": list(ids)}
    if isinstance(engine_or_conn, Engine):
        with engine_or_conn.connect() as conn:
            return {r[0]: r for r in conn.execute(stmt, params)}
    return {r[0]: r for r in engine_or_conn.execute(stmt, params)}


# The characters Python's str.strip() removes (str.isspace), for the same test in SQL.
_SPACE = "".join(c for c in map(chr, range(0x110000)) if c.isspace())


def _blank_name(trim: str) -> str:
    """SQL true where record r's shown name is blank: its printed name, or else its parts
    (a search hit's name, `Searcher._hits`), with every space character trimmed."""
    parts = "coalesce(r.surname, '') || coalesce(r.given_name, '') || coalesce(r.patronymic, '')"
    return (
        f"(CASE WHEN r.name IS NOT NULL AND r.name <> '' THEN {trim}(r.name, :space)"
        f" ELSE {trim}({parts}, :space) END) = ''"
    )


# The ids that are no record, or a record with a blank name: usually none, so the statement
# returns nothing while it looks at every candidate.
_SQLITE_UNNAMED = (
    "SELECT j.value FROM json_each(:ids) j LEFT JOIN record r ON r.id = j.value"
    " WHERE r.id IS NULL OR " + _blank_name("trim")
)
_PG_UNNAMED = text(
    "SELECT j.id FROM unnest(CAST(:ids AS bigint[])) AS j(id) LEFT JOIN record r ON r.id = j.id"
    " WHERE r.id IS NULL OR " + _blank_name("btrim")
)


def unnamed_records(conn: Connection, ids: Sequence[int]) -> set[int]:
    """Those of `ids` that are no record or a record without a name to show (an entry
    without a printed name is never a name search's hit). One statement that returns only
    those, usually none: a name search page ranks up to 1,000 candidates and reads the rows
    of the 20 it shows."""
    if not ids:
        return set()
    want = [int(i) for i in ids]
    raw = conn.connection.dbapi_connection
    if isinstance(raw, sqlite3.Connection):
        rows = raw.execute(_SQLITE_UNNAMED, {"ids": json.dumps(want), "space": _SPACE})
        return {int(r[0]) for r in rows}
    return {int(r[0]) for r in conn.execute(_PG_UNNAMED, {"ids": want, "space": _SPACE})}


def iter_record_names(conn: Connection) -> Iterator[dict[str, Any]]:
    """Names and filter columns of every record (for building evaluation sets)."""
    stmt = select(
        record.c.id, record.c.file, record.c.idx, record.c.name, record.c.surname,
        record.c.given_name, record.c.patronymic, record.c.extra_json, record.c.birth_from,
        record.c.birth_to, record.c.death_year, record.c.nationality, record.c.burial_place,
        record.c.family, record.c.verbatim, record.c.packed,
    ).order_by(record.c.id)  # fmt: skip
    for row in conn.execute(stmt):
        yield unpacked(conn, row._mapping)


def insert_plain_source(conn: Connection, key: str, family: str, title: str,
                        synthetic: bool = False) -> int:  # fmt: skip
    """A source row for archives written without the importer (tests, synthetic benches)."""
    res = conn.execute(
        insert(source).values(
            key=key, family=family, version=1, title=title, kind="list", synthetic=synthetic
        )
    )
    pk = res.inserted_primary_key
    assert pk is not None
    return int(pk[0])


_RECORD_DEFAULTS: dict[str, Any] = {
    "fields_json": "{}", "spans_json": "{}", "parsed": True, "synthetic": False,
}  # fmt: skip


def insert_plain_records(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk-insert records given as column dicts (id, key, family, source_id, file, idx,
    verbatim, name, surname, …); unparsed JSON columns get empty objects."""
    batch = [{**_RECORD_DEFAULTS, **r} for r in rows]
    for i in range(0, len(batch), 20_000):
        conn.execute(insert(record), batch[i : i + 20_000])
