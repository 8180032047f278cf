"""Read queries of the web archive and the statistics (the SQL behind every page).

Every function takes an open `Connection` and returns plain dicts, lists and tuples. Callers
wrap expensive reads in `time_limit(conn, seconds)`: SQLite's progress handler interrupts a
statement that runs past its deadline and `QueryTimeout` is raised instead."""

from __future__ import annotations

import json
import sqlite3
import time
from array import array
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from memorybook.ingest.entry import ENTRY_KEYS
from memorybook.storage import packed_store, search_store
from memorybook.storage.record_codec import (
    EVENT_KINDS,
    day_of,
    decode_fields,
    decode_raw,
    decode_spans,
    read_event_detail,
)
from memorybook.storage.schema import facet_blob


class QueryTimeout(Exception):
    """A read ran past its time limit and was interrupted."""


def _dbapi(conn: Connection) -> Any:
    return conn.connection.dbapi_connection


_DEADLINES: dict[int, list[float]] = {}


@contextmanager
def time_limit(conn: Connection, seconds: float) -> Iterator[None]:
    """Interrupt any statement on `conn` that is still running `seconds` from now. Limits
    nest: the earliest deadline in force wins. SQLite: a progress handler checks the clock;
    PostgreSQL: `statement_timeout` for the statements inside, in a savepoint so that the
    transaction goes on after a cancelled statement."""
    raw = _dbapi(conn)
    if conn.dialect.name == "postgresql":
        with _pg_time_limit(conn, id(raw), seconds):
            yield
        return
    if not isinstance(raw, sqlite3.Connection):
        yield
        return
    stack = _DEADLINES.setdefault(id(raw), [])
    stack.append(time.monotonic() + seconds)
    if len(stack) == 1:
        raw.set_progress_handler(lambda: 1 if time.monotonic() > min(stack) else 0, 2000)
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as exc:
        if "interrupted" in str(exc):
            raise QueryTimeout(f"query ran past {seconds:.2f} s") from None
        raise
    finally:
        stack.pop()
        if not stack:
            _DEADLINES.pop(id(raw), None)
            raw.set_progress_handler(None, 0)


@contextmanager
def _pg_time_limit(conn: Connection, key: int, seconds: float) -> Iterator[None]:
    """A savepoint and `SET LOCAL statement_timeout`, sent as one simple-protocol message
    (two statements, no parameters: psycopg never prepares it), and on the way out the
    release and the enclosing limit as one more: two round trips per limited block where
    SQLAlchemy's nested transaction and two separate SETs took four (a page's reads are a few
    milliseconds on PostgreSQL, so these trips were a fifth of a name search's database
    work). A cancelled statement rolls back to the savepoint, which also restores the
    enclosing limit (SET LOCAL is transactional), and the transaction goes on."""
    from sqlalchemy.exc import DBAPIError

    stack = _DEADLINES.setdefault(key, [])
    stack.append(time.monotonic() + seconds)
    savepoint = f"memorybook_limit_{len(stack)}"  # nested limits nest their savepoints
    try:
        left_ms = max(1, int((min(stack) - time.monotonic()) * 1000))
        conn.exec_driver_sql(f"SAVEPOINT {savepoint}; SET LOCAL statement_timeout = {left_ms}")
        try:
            yield
        except BaseException as exc:
            _pg_rollback_to(conn, savepoint)
            if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) == "57014":
                raise QueryTimeout(f"query ran past {seconds:.2f} s") from None  # query_canceled
            raise
        if len(stack) > 1:  # the enclosing limit again, for what runs after this block
            left_ms = max(1, int((min(stack[:-1]) - time.monotonic()) * 1000))
            restore = f"SET LOCAL statement_timeout = {left_ms}"
        else:
            restore = "SET LOCAL statement_timeout TO DEFAULT"
        conn.exec_driver_sql(f"RELEASE SAVEPOINT {savepoint}; {restore}")
    finally:
        stack.pop()
        if not stack:
            _DEADLINES.pop(key, None)


def _pg_rollback_to(conn: Connection, savepoint: str) -> None:
    """Back to the block's savepoint after an error inside it; when the connection itself is
    gone, the error that is being raised says more than this one."""
    with suppress(Exception):  # the caller re-raises the original error
        conn.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {savepoint}; RELEASE SAVEPOINT {savepoint}")


def _rows(
    conn: Connection, sql: str, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(text(sql), dict(params or {}))]


def _pg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _in(conn: Connection, column: str, param: str) -> str:
    """`column` is one of the values of the list parameter `param` (see `_list_param`): a
    JSON array unpacked by json_each on SQLite (one parameter however long the list), an
    array on PostgreSQL."""
    if _pg(conn):
        return f"{column} = ANY(:{param})"
    return f"{column} IN (SELECT value FROM json_each(:{param}))"


def _list_param(conn: Connection, values: Sequence[Any]) -> Any:
    return list(values) if _pg(conn) else json.dumps(list(values))


def in_list(conn: Connection, column: str, param: str) -> str:
    """`_in` for the other stores: `column` is one of the values of list parameter `param`
    (passed as a Python list to `fetch_all`)."""
    return _in(conn, column, param)


def fetch_all(conn: Connection, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of a read as tuples, list parameters (see `in_list`) as Python lists. On
    SQLite straight through the driver: the hot reads of a search page, where SQLAlchemy's
    row objects cost more than the query."""
    raw = _dbapi(conn)
    if isinstance(raw, sqlite3.Connection):
        bound = {k: json.dumps(v) if isinstance(v, list) else v for k, v in params.items()}
        return raw.execute(sql, bound).fetchall()
    return [tuple(r) for r in conn.execute(text(sql), params)]


def _loads(value: str | None, default: Any) -> Any:
    if not value:
        return default
    try:
        return json.loads(value)
    except ValueError:
        return default


# ---- the archive as a whole ----------------------------------------------------------------


def archive_counts(conn: Connection) -> dict[str, int]:
    row = conn.execute(
        text(
            "SELECT (SELECT COUNT(*) FROM record) AS records,"
            " (SELECT COUNT(*) FROM person) AS persons,"
            " (SELECT COUNT(*) FROM source) AS sources,"
            " (SELECT COUNT(*) FROM place WHERE lon IS NOT NULL) AS places,"
            " (SELECT COUNT(*) FROM address_point) AS addresses,"
            " (SELECT COUNT(*) FROM record WHERE death_year IS NOT NULL) AS with_death"
        )
    ).one()
    return {k: int(v or 0) for k, v in row._mapping.items()}


FILL_COLUMNS: tuple[str, ...] = (
    "surname",
    "given_name",
    "patronymic",
    "sex",
    "birth_edtf",
    "nationality",
    "residence",
    "sentencing_body",
    "death_edtf",
    "burial_place",
    "rehab_year",
)


def sources(conn: Connection) -> list[dict[str, Any]]:
    out = _rows(
        conn,
        "SELECT id, key, family, version, title, kind, format, author, year, url, licence,"
        " files_json, sha256, size, synthetic, imported_at, entry_count, record_count"
        " FROM source ORDER BY id",
    )
    for row in out:
        row["files"] = _loads(row.pop("files_json"), [])
    return out


def fill_rates(conn: Connection) -> dict[int, dict[str, Any]]:
    """Per source: how many records it holds and the share of them with each field filled."""
    sums = ", ".join(f"COUNT({c}) AS {c}" for c in FILL_COLUMNS)
    rows = _rows(
        conn,
        f"SELECT l.source_id AS source_id, COUNT(*) AS n, {sums}"
        " FROM record_locator l JOIN record r ON r.id = l.record_id GROUP BY l.source_id",
    )
    out: dict[int, dict[str, Any]] = {}
    for row in rows:
        n = int(row.pop("n") or 0)
        sid = int(row.pop("source_id"))
        out[sid] = {
            "records": n,
            "rates": {c: (round(int(row[c] or 0) / n, 4) if n else 0.0) for c in FILL_COLUMNS},
        }
    return out


def reference_items(conn: Connection, kind: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        text("SELECT key, data_json FROM reference_item WHERE kind = :k ORDER BY key"), {"k": kind}
    )
    out = []
    for key, data in rows:
        item = _loads(data, {})
        if isinstance(item, dict):
            item.setdefault("key", key)
            out.append(item)
    return out


# ---- one record ------------------------------------------------------------------------------

RECORD_COLUMNS = (
    "id, key, family, source_id, file, idx, line, verbatim, context_json, fields_json,"
    " spans_json, extra_json, warnings_json, parsed, name, surname, given_name, patronymic, sex,"
    " birth_edtf, birth_from, birth_to, death_edtf, death_date, death_year, nationality,"
    " burial_place, burial_place_key, residence, sentencing_body, body_key, executed, rehab_year,"
    " operation_key, synthetic, packed"
)


def record(conn: Connection, record_id: int) -> dict[str, Any] | None:
    rows = _rows(conn, f"SELECT {RECORD_COLUMNS} FROM record WHERE id = :id", {"id": record_id})
    if not rows:
        return None
    row = packed_store.unpacked(conn, rows[0])
    row["context"] = _loads(row.pop("context_json"), {})
    row["spans"] = spans = decode_spans(_loads(row.pop("spans_json"), {}), ENTRY_KEYS)
    stored = _loads(row.pop("fields_json"), {})
    row["fields"] = decode_fields(str(row["verbatim"] or ""), ENTRY_KEYS, stored, spans)
    row["extra"] = _loads(row.pop("extra_json"), {})
    row["warnings"] = _loads(row.pop("warnings_json"), [])
    if row.get("death_date") is not None:
        row["death_date"] = str(row["death_date"])
    return row


def iter_raw_slices(conn: Connection) -> Iterator[tuple[int, str, int, int, str, str]]:
    """(id, file, raw_start, raw_end, raw, verbatim) of every record: `raw` is the exact slice
    of the decoded source file the entry came from."""
    rows = conn.execute(
        text(
            "SELECT id, file, raw_start, raw_end, raw, raw_edits, verbatim, packed FROM record"
            " ORDER BY id"
        )
    )
    for rid, file, start, end, raw, edits, verbatim, packed in rows:
        text_ = packed_store.verbatim_of(conn, verbatim, packed)
        yield int(rid), file, start, end, decode_raw(text_, edits, raw), text_


def record_locators(conn: Connection, record_id: int) -> list[dict[str, Any]]:
    return _rows(
        conn,
        "SELECT l.source_id, l.file, l.idx, s.key AS source_key, s.title, s.author, s.year,"
        " s.url, s.licence, s.version, s.format FROM record_locator l"
        " JOIN source s ON s.id = l.source_id WHERE l.record_id = :id ORDER BY s.version",
        {"id": record_id},
    )


def record_events(conn: Connection, record_id: int) -> list[dict[str, Any]]:
    """The record's events, dated ones first by date, then in the order the entry tells of
    them: kind, custom_label, edtf, earliest, latest (ISO dates), printed, place, place_key,
    body, body_key, description."""
    rows = conn.execute(
        text("SELECT seq, kind, earliest, latest, detail FROM event WHERE record_id = :id"),
        {"id": record_id},
    ).all()
    if not rows:
        return []
    packed_details: list[Any] = []
    if any(r.detail is None for r in rows):  # the details in the record's payload
        packed = conn.execute(
            text("SELECT packed FROM record WHERE id = :id"), {"id": record_id}
        ).scalar()
        if packed is not None:
            packed_details = packed_store.event_details(conn, packed) or []
    out = []
    for seq, kind, earliest, latest, detail in sorted(
        rows, key=lambda r: (r.earliest is None, r.earliest or 0, r.seq)
    ):
        if detail is None and seq < len(packed_details):
            detail = packed_details[seq]
        d = read_event_detail(detail)
        first, last = day_of(earliest), day_of(latest)
        out.append(
            {
                "kind": EVENT_KINDS[kind],
                "custom_label": d["custom_label"],
                "edtf": d["edtf"],
                "earliest": first.isoformat() if first else None,
                "latest": last.isoformat() if last else None,
                **{k: d[k] for k in ("printed", "place", "place_key", "body", "body_key")},
                "description": d["description"],
            }
        )
    return out


def records_with_source_ids(conn: Connection) -> list[dict[str, Any]]:
    """Records whose source gives its own identifier for the person (the Politburo lists'
    person `id`: the site's editors gave one id to one person across lists), in record
    order: `{"record_id", "family", "locator": {"file", "index"}, "source_person_id"}`.
    Linkage imports these as the source's own, cited decisions."""
    rows = _rows(
        conn,
        "SELECT id, family, file, idx, extra_json FROM record"
        " WHERE extra_json LIKE '%\"source_person_id\"%' ORDER BY id",
    )
    out = []
    for row in rows:
        ident = _loads(row["extra_json"], {}).get("source_person_id")
        if ident is None:
            continue
        out.append(
            {
                "record_id": int(row["id"]),
                "family": row["family"],
                "locator": {"file": row["file"], "index": int(row["idx"])},
                "source_person_id": str(ident),
            }
        )
    return out


def list_record_ids(conn: Connection, family: str, file: str) -> list[int]:
    """The records imported from one file of a source family, in printed order (a Politburo
    list's reference item leads to its records this way). A record's file and place are
    those of the first version holding it: its locator in that version, found through the
    locators' index (source, file, index) rather than an index of every record's own."""
    rows = conn.execute(
        text(
            "SELECT r.id FROM source s JOIN record_locator l ON l.source_id = s.id"
            " JOIN record r ON r.id = l.record_id AND r.source_id = l.source_id"
            " WHERE s.family = :fam AND l.file = :file ORDER BY l.idx, r.id"
        ),
        {"fam": family, "file": file},
    )
    return [int(r[0]) for r in rows]


def places_by_key(conn: Connection, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not keys:
        return {}
    rows = _rows(
        conn,
        "SELECT key, name, kind, lon, lat, address FROM place WHERE " + _in(conn, "key", "keys"),
        {"keys": _list_param(conn, keys)},
    )
    return {r["key"]: r for r in rows}


def record_address(conn: Connection, record_id: int) -> dict[str, Any] | None:
    rows = _rows(
        conn,
        "SELECT a.street, a.house, a.lon, a.lat, a.repressed FROM record_address ra"
        " JOIN address_point a ON a.id = ra.address_point_id WHERE ra.record_id = :id",
        {"id": record_id},
    )
    return rows[0] if rows else None


# ---- search: filters, facets, pages ------------------------------------------------------------

# facet name -> (value column, label column)
FACETS: dict[str, tuple[str, str]] = {
    "birth_year": ("birth_from", "birth_from"),
    "death_year": ("death_year", "death_year"),
    # one value per nationality however it is printed (the canonical word is its own label)
    "nationality": ("nationality_key", "nationality_key"),
    "burial": ("burial_place_key", "burial_place"),
    "body": ("body_key", "sentencing_body"),
    "source": ("source_id", "source_id"),
    "sex": ("sex", "sex"),
}
INT_FACETS = frozenset({"birth_year", "death_year", "source"})
# Raised when a facet's column changes: an index stored by an older import is built again.
# 2: nationality counted by its canonical form (revision 0005).
FACET_INDEX_VERSION = 2


@dataclass(frozen=True, slots=True)
class Filters:
    """Exact-value filters of the search page; None means "any"."""

    values: tuple[tuple[str, str | int], ...] = ()

    @classmethod
    def of(cls, **given: str | int | None) -> Filters:
        return cls(tuple(sorted((k, v) for k, v in given.items() if v is not None and k in FACETS)))

    def as_dict(self) -> dict[str, str | int]:
        return dict(self.values)


@dataclass(slots=True)
class _Where:
    sql: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def clause(self) -> str:
        return (" WHERE " + " AND ".join(self.sql)) if self.sql else ""


def _where(filters: Filters, candidates: Sequence[int] | None, conn: Connection) -> _Where:
    w = _Where()
    for i, (name, value) in enumerate(filters.values):
        col = FACETS[name][0]
        if name == "birth_year":
            w.sql.append(f"birth_from = :f{i} AND birth_to = :f{i}")
        else:
            w.sql.append(f"{col} = :f{i}")
        w.params[f"f{i}"] = value
    if candidates is not None:
        w.sql.append(_in(conn, "id", "cand"))
        w.params["cand"] = _list_param(conn, candidates)
    return w


def count_records(conn: Connection, filters: Filters, candidates: Sequence[int] | None) -> int:
    w = _where(filters, candidates, conn)
    return int(
        conn.execute(text("SELECT COUNT(*) FROM record" + w.clause()), w.params).scalar() or 0
    )


# The browse order: by name; entries without a printed name after the named ones, in the
# order they were imported (their list's order).
BROWSE_ORDER = "sort_key IS NULL, sort_key, id"


def page_ids(conn: Connection, filters: Filters, limit: int, offset: int) -> list[int]:
    """Ids of the records matching the filters, in name order (the browse order); entries
    without a printed name come after the named ones, in the order of their list."""
    w = _where(filters, None, conn)
    w.params.update(n=limit, o=offset)
    sql = "SELECT id FROM record" + w.clause() + f" ORDER BY {BROWSE_ORDER} LIMIT :n OFFSET :o"
    return [int(i) for (i,) in conn.execute(text(sql), w.params)]


def filter_ids(conn: Connection, filters: Filters, candidates: Sequence[int]) -> set[int]:
    w = _where(filters, candidates, conn)
    return {int(i) for (i,) in conn.execute(text("SELECT id FROM record" + w.clause()), w.params)}


def facet_counts(
    conn: Connection, filters: Filters, candidates: Sequence[int] | None, top: int = 12
) -> dict[str, list[dict[str, Any]]]:
    """For each facet, the most frequent values among the matching records, with counts."""
    w = _where(filters, candidates, conn)
    out: dict[str, list[dict[str, Any]]] = {}
    for name, (col, label) in FACETS.items():
        extra = f"{col} IS NOT NULL"
        if name == "birth_year":
            extra += " AND birth_from = birth_to"
        where = w.clause() + (" AND " if w.sql else " WHERE ") + extra
        sql = (
            f"SELECT {col} AS value, MIN({label}) AS label, COUNT(*) AS n FROM record{where}"
            f" GROUP BY {col} ORDER BY n DESC, value LIMIT {int(top)}"
        )
        out[name] = [
            {"value": r["value"], "label": str(r["label"]), "count": int(r["n"])}
            for r in _rows(conn, sql, w.params)
        ]
    return out


def source_titles(conn: Connection) -> dict[int, str]:
    return {int(i): str(t) for i, t in conn.execute(text("SELECT id, title FROM source"))}


def display_rows(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    sql = (
        "SELECT id, name, surname, given_name, patronymic, birth_edtf, death_edtf,"
        " death_date, nationality, burial_place, burial_place_key, sentencing_body, source_id,"
        " file, idx, family, context_json FROM record WHERE " + _in(conn, "id", "ids")
    )
    raw = _dbapi(conn)
    if isinstance(raw, sqlite3.Connection):  # the hot path of every search page: no ORM layer
        cur = raw.execute(sql, {"ids": json.dumps(list(ids))})
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    else:
        rows = _rows(conn, sql, {"ids": _list_param(conn, ids)})
    for r in rows:
        if r["death_date"] is not None:
            r["death_date"] = str(r["death_date"])
    return {int(r["id"]): r for r in rows}


# ---- statistics ------------------------------------------------------------------------------


def ages_at_death(conn: Connection) -> list[dict[str, Any]]:
    return _rows(
        conn,
        "SELECT death_year - birth_from AS age, COUNT(*) AS n FROM record"
        " WHERE death_year IS NOT NULL AND birth_from IS NOT NULL AND birth_from = birth_to"
        " AND death_year >= birth_from GROUP BY age ORDER BY age",
    )


def birth_decades(conn: Connection) -> list[dict[str, Any]]:
    return _rows(
        conn,
        "SELECT (birth_from / 10) * 10 AS decade, COUNT(*) AS n FROM record"
        " WHERE birth_from IS NOT NULL AND birth_to IS NOT NULL AND birth_to - birth_from < 10"
        " GROUP BY decade ORDER BY decade",
    )


def sentencing_bodies(conn: Connection, top: int = 15) -> list[dict[str, Any]]:
    return _rows(
        conn,
        "SELECT COALESCE(body_key, sentencing_body) AS body, MIN(sentencing_body) AS label,"
        " COUNT(*) AS n FROM record WHERE sentencing_body IS NOT NULL"
        f" GROUP BY body ORDER BY n DESC, body LIMIT {int(top)}",
    )


# ---- facets in memory --------------------------------------------------------------------------


@dataclass(slots=True)
class _FacetColumn:
    codes: Any  # int32 per record row: 0 = no value, else 1 + position in `values`
    values: list[Any]  # distinct values in SQLite's order (ints by number, text by bytes)
    lookup: dict[Any, int]
    label_codes: Any  # int32 per record row: position in `labels` (len(labels) = NULL);
    labels: list[str]  # None when the label is the value itself. Labels in SQLite's order,
    # so that MIN(label) over the matching records is the smallest code among them.


class FacetIndex:
    """The facet columns of every record, held in memory once per process (the archive is
    read-only while it is served), so that a page's facets and filters over its candidates
    are a few array operations instead of one SQL statement per facet."""

    def __init__(self, ids: Any, columns: dict[str, _FacetColumn], browse: Any = None) -> None:
        self.ids = ids  # sorted record ids (int64)
        self.columns = columns
        self.size = int(ids.size)
        # Row positions in the browse order (ORDER BY sort_key, id), as SQLite sorts them.
        self.browse = browse

    @classmethod
    def load(cls, conn: Connection) -> FacetIndex:
        """The index the last import stored (a few array copies), else built from the records
        (archives written by hand or before revision 0003_compact)."""
        stored = cls.from_blobs(search_store.read_blobs(conn, facet_blob))
        if stored is not None and stored.matches(conn):
            return stored
        return cls.build(conn)

    @classmethod
    def build(cls, conn: Connection) -> FacetIndex:
        """From the records, streamed (memory stays near the size of the arrays, not of the
        rows: at 3 M records fetching all rows first took gigabytes)."""
        import numpy as np

        cols = sorted({c for pair in FACETS.values() for c in pair} | {"birth_to"})
        at = {c: i + 1 for i, c in enumerate(cols)}
        ti = at["birth_to"]
        ids = array("q")
        # Provisional codes in order of first sight, put in SQL order at the end.
        seen: dict[str, dict[Any, int]] = {name: {} for name in FACETS}
        seen_labels: dict[str, dict[Any, int]] = {name: {} for name in FACETS}
        codes = {name: array("i") for name in FACETS}
        label_codes = {name: array("i") for name in FACETS}
        plan = [
            (name, at[col], at[label], col == label, seen[name], seen_labels[name],
             codes[name].append, label_codes[name].append)
            for name, (col, label) in FACETS.items()
        ]  # fmt: skip
        sql = f"SELECT id, {', '.join(cols)} FROM record ORDER BY id"
        result = conn.execute(text(sql), execution_options={"stream_results": True})
        for part in result.partitions(50_000):
            for r in part:
                ids.append(r[0])
                for name, vi, li, same, vals, labs, put, put_label in plan:
                    v = r[vi]
                    if v is None or (name == "birth_year" and r[ti] != v):
                        put(0)
                    else:
                        code = vals.get(v)
                        if code is None:
                            code = vals[v] = len(vals) + 1
                        put(code)
                    if not same:
                        lab = r[li]
                        if lab is None:
                            put_label(-1)
                        else:
                            lc = labs.get(lab)
                            if lc is None:
                                lc = labs[lab] = len(labs)
                            put_label(lc)
        columns: dict[str, _FacetColumn] = {}
        for name, (col, label) in FACETS.items():
            values = sorted(seen[name], key=_sql_key)
            remap = np.zeros(len(values) + 1, dtype=np.int32)
            for i, v in enumerate(values):
                remap[seen[name][v]] = i + 1
            raw = np.frombuffer(codes[name], dtype=np.int32) if len(ids) else np.empty(0, np.int32)
            lab_codes = None
            labels: list[Any] = []
            if col != label:
                labels = sorted(seen_labels[name], key=_sql_key)
                lremap = np.full(len(labels) + 1, len(labels), dtype=np.int32)  # -1: no label
                for i, lab in enumerate(labels):
                    lremap[seen_labels[name][lab]] = i
                lraw = np.frombuffer(label_codes[name], dtype=np.int32) if len(ids) else raw
                lab_codes = lremap[lraw]
            columns[name] = _FacetColumn(
                remap[raw], values, {v: i + 1 for i, v in enumerate(values)}, lab_codes,
                [str(x) for x in labels],
            )  # fmt: skip
        id_arr = np.frombuffer(ids, dtype=np.int64).copy() if len(ids) else np.empty(0, np.int64)
        # The browse order as the database sorts it (BROWSE_ORDER: the same on both backends,
        # whose text compares alike), as row positions.
        ordered = np.fromiter(
            (
                int(i)
                for (i,) in conn.exec_driver_sql(f"SELECT id FROM record ORDER BY {BROWSE_ORDER}")
            ),
            dtype=np.int64,
            count=len(id_arr),
        )
        browse = np.searchsorted(id_arr, ordered).astype(np.int32)
        return cls(id_arr, columns, browse)

    def matches(self, conn: Connection) -> bool:
        """Whether the archive still holds the records this index was built from."""
        n, top = conn.execute(text("SELECT COUNT(*), MAX(id) FROM record")).one()
        last = int(self.ids[-1]) if self.size else None
        return int(n or 0) == self.size and (None if top is None else int(top)) == last

    def to_blobs(self) -> dict[str, bytes]:
        meta: dict[str, Any] = {"version": FACET_INDEX_VERSION, "size": self.size, "columns": {}}
        blobs: dict[str, bytes] = {"ids": self.ids.astype("int64").tobytes()}
        if self.browse is not None:
            blobs["browse"] = self.browse.astype("int32").tobytes()
        for name, col in self.columns.items():
            meta["columns"][name] = {"values": col.values, "labels": col.labels,
                                     "has_labels": col.label_codes is not None}  # fmt: skip
            blobs[f"{name}.codes"] = col.codes.astype("int32").tobytes()
            if col.label_codes is not None:
                blobs[f"{name}.labels"] = col.label_codes.astype("int32").tobytes()
        blobs["meta"] = json.dumps(meta, ensure_ascii=False).encode()
        return blobs

    @classmethod
    def from_blobs(cls, blobs: Mapping[str, bytes]) -> FacetIndex | None:
        import numpy as np

        if "meta" not in blobs:
            return None
        meta = json.loads(blobs["meta"])
        if meta.get("version") != FACET_INDEX_VERSION or set(meta["columns"]) != set(FACETS):
            return None
        columns = {}
        for name, m in meta["columns"].items():
            values = [_json_value(name, v) for v in m["values"]]
            columns[name] = _FacetColumn(
                np.frombuffer(blobs[f"{name}.codes"], dtype=np.int32),
                values,
                {v: i + 1 for i, v in enumerate(values)},
                np.frombuffer(blobs[f"{name}.labels"], dtype=np.int32) if m["has_labels"] else None,
                list(m["labels"]),
            )
        browse = np.frombuffer(blobs["browse"], dtype=np.int32) if "browse" in blobs else None
        return cls(np.frombuffer(blobs["ids"], dtype=np.int64), columns, browse)

    def positions(self, candidates: Sequence[int] | None) -> Any:
        """Row positions of the candidate ids that are records (all rows for None)."""
        import numpy as np

        if candidates is None:
            return np.arange(self.size)
        want = np.asarray(candidates, dtype=np.int64)
        pos = np.searchsorted(self.ids, want)
        pos[pos >= self.size] = 0
        return pos[self.ids[pos] == want] if self.size else pos[:0]

    def _mask(self, filters: Filters, pos: Any) -> Any:
        import numpy as np

        keep = np.ones(pos.size, dtype=bool)
        for name, value in filters.values:
            col = self.columns[name]
            code = col.lookup.get(_coerce(name, value), -1)
            keep &= col.codes[pos] == code
        return keep

    def filter_ids(self, filters: Filters, candidates: Sequence[int]) -> set[int]:
        pos = self.positions(candidates)
        return set(self.ids[pos[self._mask(filters, pos)]].tolist())

    def page_ids(self, filters: Filters, limit: int, offset: int) -> list[int]:
        """What `page_ids` answers, from memory: the matching records in browse order.

        In SQL a filter on a column without an index walks the sort-key index and reads
        every record row until the page is full: a rare value or a far page read the whole
        table (300 ms at 58,000 records, and it grows with the archive)."""
        import numpy as np

        if self.browse is None:
            raise LookupError("no browse order loaded")
        if not filters.values:
            order = self.browse[offset : offset + limit]
        else:
            keep = self._mask(filters, np.arange(self.size))
            order = self.browse[keep[self.browse]][offset : offset + limit]
        return [int(i) for i in self.ids[order].tolist()]

    def count(self, filters: Filters, candidates: Sequence[int] | None) -> int:
        pos = self.positions(candidates)
        return int(self._mask(filters, pos).sum())

    def facet_counts(
        self,
        filters: Filters,
        candidates: Sequence[int] | None,
        top: int = 12,
        positions: Any = None,
    ) -> dict[str, list[dict[str, Any]]]:
        """What `facet_counts` answers, from memory: same values, labels, counts and order.
        `positions`: the candidates' row positions, when the caller knows them (`ids` is
        every record in id order, as the name index holds them)."""
        import numpy as np

        pos = self.positions(candidates) if positions is None else positions
        if filters.values:
            pos = pos[self._mask(filters, pos)]
        out: dict[str, list[dict[str, Any]]] = {}
        for name, col in self.columns.items():
            codes = col.codes[pos]
            counts = np.bincount(codes, minlength=len(col.values) + 1)
            counts[0] = 0
            nonzero = np.flatnonzero(counts)
            # most frequent first, ties by value (codes follow the values' order)
            order = nonzero[np.lexsort((nonzero, -counts[nonzero]))][:top]
            if col.label_codes is None:
                labels = [str(col.values[c - 1]) for c in order.tolist()]
            else:  # the label is MIN(label) over the matching records, as in SQL
                first = np.full(len(col.values) + 1, len(col.labels), dtype=np.int32)
                np.minimum.at(first, codes, col.label_codes[pos])
                labels = [
                    col.labels[m] if m < len(col.labels) else "None" for m in first[order].tolist()
                ]
            out[name] = [
                {"value": col.values[c - 1], "label": lab, "count": int(counts[c])}
                for c, lab in zip(order.tolist(), labels, strict=True)
            ]
        return out


def _json_value(name: str, value: Any) -> Any:
    # JSON keeps ints and strings apart already; only the facet's declared kind is checked.
    return int(value) if name in INT_FACETS and isinstance(value, int | float) else value


def store_facet_index(conn: Connection) -> FacetIndex:
    """Build the facet index from the records and store it in the archive (the importer
    calls this at the end of every import, inside its transaction), so that every web
    worker loads it in a moment instead of reading every record."""
    index = FacetIndex.build(conn)
    search_store.write_blobs(conn, index.to_blobs(), facet_blob)
    return index


def _sql_key(value: Any) -> tuple[int, Any]:
    """SQLite's order of values: numbers before text, text by its UTF-8 bytes."""
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, str):
        return (1, value.encode())
    return (2, bytes(value))


def _coerce(name: str, value: str | int) -> Any:
    if name in INT_FACETS:
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    return value
