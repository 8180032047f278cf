"""The SQL of persons as the site and the search read them, beside the linkage library's
own reads (`link_store`): which person each record belongs to and how many records that
person has, the records' sources and printed context, and the link runs to cite.
SQLAlchemy Core only, so SQLite and PostgreSQL answer alike."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Connection, func, select

from memorybook.storage import read_store as rs
from memorybook.storage import schema as s
from memorybook.storage.link_tables import link_run

_CHUNK = 900  # bound parameters per statement (SQLite's limit is far above, PostgreSQL too)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    seq = list(dict.fromkeys(int(i) for i in ids))
    for i in range(0, len(seq), _CHUNK):
        yield seq[i : i + _CHUNK]


def persons_of_records(conn: Connection, record_ids: Sequence[int]) -> dict[int, tuple[str, int]]:
    """record id -> (its person's id, how many records that person has). A record that no
    person holds yet (imported after the last linkage run, or by an older importer) is
    missing from the answer."""
    ids = list(dict.fromkeys(int(i) for i in record_ids))
    if not ids:
        return {}
    # One statement with the list as one parameter (json_each on SQLite, an array on
    # PostgreSQL): a name search asks this for each of its up to 1,000 candidates, and
    # SQLAlchemy building and reading a 900-parameter IN cost more than the query.
    sql = (
        "SELECT pr.record_id, p.key, (SELECT COUNT(*) FROM person_record n"
        " WHERE n.person_id = pr.person_id) FROM person_record pr"
        " JOIN person p ON p.id = pr.person_id WHERE " + rs.in_list(conn, "pr.record_id", "ids")
    )
    rows = rs.fetch_all(conn, sql, {"ids": ids})
    return {int(rid): (str(key), int(n)) for rid, key, n in rows}


def record_persons(conn: Connection) -> tuple[Any, Any]:
    """Every placed record's id (ascending) and its person's id, as two int64 arrays, read
    in one streamed statement (the web keeps them in memory per archive version, so that a
    name search folds its 1,000 candidates by person without a statement per page)."""
    import numpy as np

    sql = (
        "SELECT pr.record_id, pr.person_id FROM person_record pr"
        " JOIN person p ON p.id = pr.person_id ORDER BY pr.record_id, pr.person_id"
    )
    raw = conn.connection.dbapi_connection
    if isinstance(raw, sqlite3.Connection):
        # Straight through the driver: 0.2 s for 300,000 records instead of 0.8 s through
        # SQLAlchemy's rows (the web loads this before it serves).
        flat = np.fromiter(chain.from_iterable(raw.execute(sql)), dtype=np.int64)
    else:
        # PostgreSQL: the rows as binary COPY, read by numpy in one go, and sorted by numpy
        # (the pairs are unique): through SQLAlchemy's streamed rows, and the server sorting
        # them in its 4 MB of work_mem on disk, this took most of a worker's start-up at
        # 3,000,000 records.
        unsorted = sql.replace("SELECT pr.record_id, pr.person_id", _PG_PAIR)
        flat = _pg_bigint_rows(raw, unsorted.split(" ORDER BY ")[0], 2).reshape(-1, 2)
        flat = flat[np.lexsort((flat[:, 1], flat[:, 0]))]
    pairs = flat.reshape(-1, 2)
    return np.ascontiguousarray(pairs[:, 0]), np.ascontiguousarray(pairs[:, 1])


_PG_PAIR = "SELECT CAST(pr.record_id AS bigint), CAST(pr.person_id AS bigint)"
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def _pg_bigint_rows(raw: Any, sql: str, columns: int) -> Any:
    """The rows of `sql` (`columns` bigint columns, none null) flattened into one int64
    array, read as `COPY (sql) TO STDOUT (FORMAT binary)`: a header, then per row a field
    count and each field's length and big-endian value, then a trailer (PostgreSQL's COPY
    binary format), which numpy reads as one structured array."""
    import numpy as np

    data = bytearray()
    with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT binary)") as copy:
        for block in copy:
            data += block
    if not data.startswith(_COPY_SIGNATURE):
        raise ValueError("not PostgreSQL's binary COPY format")
    start = 19 + int.from_bytes(data[15:19], "big")  # signature, flags, header extension
    fields = [("n", ">i2")]
    for i in range(columns):
        fields += [(f"len{i}", ">i4"), (f"v{i}", ">i8")]
    rows = np.frombuffer(memoryview(data)[start : len(data) - 2], dtype=np.dtype(fields))
    if len(rows) and (
        (rows["n"] != columns).any() or any((rows[f"len{i}"] != 8).any() for i in range(columns))
    ):
        raise ValueError("a row that is not all non-null bigints")
    flat = np.empty(len(rows) * columns, np.int64)
    for i in range(columns):
        flat[i::columns] = rows[f"v{i}"]
    return flat


def person_keys(conn: Connection, person_ids: Sequence[int]) -> dict[int, str]:
    """Person id -> its public key (`p-…`), for the few persons a page shows."""
    ids = list(dict.fromkeys(int(i) for i in person_ids))
    if not ids:
        return {}
    sql = "SELECT id, key FROM person WHERE " + rs.in_list(conn, "id", "ids")
    return {int(i): str(k) for i, k in rs.fetch_all(conn, sql, {"ids": ids})}


def record_sources(conn: Connection, record_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """record id -> what a page needs to cite it in words: source id and format, the file
    and index it was printed at, its printed context (a Politburo list's date, page and
    entry number) and the name shown for it."""
    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(record_ids):
        q = (
            select(
                s.record.c.id, s.record.c.name, s.record.c.file, s.record.c.idx,
                s.record.c.context_json, s.record.c.birth_edtf, s.record.c.death_edtf,
                s.record.c.source_id, s.source.c.format, s.source.c.title,
            )
            .join(s.source, s.source.c.id == s.record.c.source_id)
            .where(s.record.c.id.in_(chunk))
        )  # fmt: skip
        for row in conn.execute(q):
            m = dict(row._mapping)
            raw = m.pop("context_json")
            try:
                m["context"] = json.loads(raw) if raw else {}
            except ValueError:
                m["context"] = {}
            out[int(m["id"])] = m
    return out


def review_counts(conn: Connection, record_ids: Sequence[int]) -> dict[int, int]:
    """record id -> how many possible matches (links waiting for review) touch it."""
    ids = list(dict.fromkeys(int(i) for i in record_ids))
    if not ids:
        return {}
    # By the records' own indexes (`status || ''` keeps SQLite from walking every link in
    # review through the status index instead: a record page asks this for one record).
    side = "SELECT {c} AS rid FROM record_link WHERE {ids} AND status || '' = 'review'"
    sql = (
        "SELECT rid, COUNT(*) FROM ("
        + side.format(c="record_a", ids=rs.in_list(conn, "record_a", "ids"))
        + " UNION ALL "
        + side.format(c="record_b", ids=rs.in_list(conn, "record_b", "ids"))
        + ") AS touched GROUP BY rid"
    )
    return {int(rid): int(n) for rid, n in rs.fetch_all(conn, sql, {"ids": ids})}


def run_info(conn: Connection, run_id: int | None = None) -> dict[str, Any] | None:
    """A finished linkage run (the latest by default) without its model: id, when it
    started and finished, the backend, the model's sha256."""
    cols = (
        link_run.c.id, link_run.c.started_at, link_run.c.finished_at, link_run.c.backend,
        link_run.c.model_sha256, link_run.c.use_source_identities,
    )  # fmt: skip
    q = select(*cols).where(link_run.c.finished_at.is_not(None))
    if run_id is not None:
        if not s.is_id(run_id):
            return None
        q = q.where(link_run.c.id == run_id)
    row = conn.execute(q.order_by(link_run.c.id.desc()).limit(1)).first()
    return dict(row._mapping) if row else None


def record_count(conn: Connection, family: str | None = None) -> int:
    q = select(func.count()).select_from(s.record)
    if family is not None:
        q = q.where(s.record.c.family == family)
    return int(conn.execute(q).scalar() or 0)


def families(conn: Connection) -> list[str]:
    """The source families of the archive's records, in the order they were imported."""
    q = select(s.record.c.family, func.min(s.record.c.id)).group_by(s.record.c.family)
    return [str(f) for f, _ in sorted(conn.execute(q), key=lambda r: int(r[1]))]
