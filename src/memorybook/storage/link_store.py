"""The SQL of record linkage: what the matcher reads, the one write of a run, decisions, and
the person reads of the library API. SQLAlchemy Core only, so SQLite and PostgreSQL answer
alike."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from memorybook.storage import packed_store
from memorybook.storage import schema as s
from memorybook.storage.archive_store import insert_many, max_id
from memorybook.storage.link_tables import link_decision, link_run, person_redirect, record_link
from memorybook.storage.record_codec import EVENT_KIND_CODE, EVENT_KINDS, day_of

# ---- what the matcher reads --------------------------------------------------------------

LINK_COLUMNS = (
    "id", "key", "family", "file", "idx", "name", "surname", "given_name", "patronymic",
    "birth_from", "birth_to", "death_date", "context_json", "extra_json", "synthetic",
)  # fmt: skip


def link_rows(conn: Connection, record_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Every record (or those given) with what linkage compares, and its dated events
    (arrest, sentence, list approval, execution) as exact days where the source gives one."""
    cols = [s.record.c[c] for c in LINK_COLUMNS]
    q = select(*cols).order_by(s.record.c.id)
    if record_ids is not None:
        q = q.where(s.record.c.id.in_(list(record_ids)))
    rows = [dict(r._mapping) for r in conn.execute(q)]
    events: dict[int, dict[str, Any]] = defaultdict(dict)
    kinds = [EVENT_KIND_CODE[k] for k in ("arrest", "sentence", "execution", "sanction")]
    q = select(s.event.c.record_id, s.event.c.kind, s.event.c.earliest, s.event.c.latest).where(
        s.event.c.kind.in_(kinds), s.event.c.earliest == s.event.c.latest
    )
    if record_ids is not None:
        q = q.where(s.event.c.record_id.in_(list(record_ids)))
    for rid, kind, earliest, _ in conn.execute(q.order_by(s.event.c.record_id, s.event.c.seq)):
        events[int(rid)].setdefault(EVENT_KINDS[kind], day_of(earliest))
    for row in rows:
        row["events"] = events.get(int(row["id"]), {})
    return rows


# ---- decisions -------------------------------------------------------------------------------


def decisions(conn: Connection) -> list[dict[str, Any]]:
    q = select(link_decision).order_by(link_decision.c.decided_at, link_decision.c.id)
    return [dict(r._mapping) for r in conn.execute(q)]


def upsert_decision(conn: Connection, row: dict[str, Any]) -> bool:
    """Store a decision; the pair and origin identify it, a newer one replaces the older.
    Returns False when exactly this decision was stored already."""
    where = and_(
        link_decision.c.key_a == row["key_a"],
        link_decision.c.key_b == row["key_b"],
        link_decision.c.origin == row["origin"],
    )
    old = conn.execute(select(link_decision).where(where)).first()
    if old is not None:
        same = all(old._mapping[k] == row.get(k) for k in ("verdict", "who", "why", "citation"))
        if same and (row["origin"] == "source" or old._mapping["decided_at"] == row["decided_at"]):
            return False
        conn.execute(delete(link_decision).where(where))
    conn.execute(insert(link_decision).values(**row))
    return True


def record_keys(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    ids = list(ids)
    for i in range(0, len(ids), 900):
        q = select(s.record.c.id, s.record.c.key).where(s.record.c.id.in_(ids[i : i + 900]))
        out.update({int(a): str(b) for a, b in conn.execute(q)})
    return out


def record_ids_by_key(conn: Connection, keys: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    keys = list(keys)
    for i in range(0, len(keys), 900):
        q = select(s.record.c.key, s.record.c.id).where(s.record.c.key.in_(keys[i : i + 900]))
        out.update({str(a): int(b) for a, b in conn.execute(q)})
    return out


def record_by_locator(conn: Connection, file: str, index: int) -> list[int]:
    q = (
        select(s.record_locator.c.record_id)
        .where(s.record_locator.c.file == file, s.record_locator.c.idx == index)
        .distinct()
    )
    return [int(r) for (r,) in conn.execute(q)]


# ---- persons as they stand -----------------------------------------------------------------


def person_state(conn: Connection) -> tuple[dict[int, str], dict[str, int]]:
    """(record id -> person key, person key -> person id)."""
    q = select(s.person_record.c.record_id, s.person.c.key, s.person.c.id).join(
        s.person, s.person.c.id == s.person_record.c.person_id
    )
    of_record: dict[int, str] = {}
    ids: dict[str, int] = {}
    for rid, key, pid in conn.execute(q):
        of_record[int(rid)] = str(key)
        ids[str(key)] = int(pid)
    for key, pid in conn.execute(select(s.person.c.key, s.person.c.id)):
        ids.setdefault(str(key), int(pid))
    return of_record, ids


# ---- the one write of a run ----------------------------------------------------------------


def start_run(conn: Connection, row: dict[str, Any]) -> int:
    pk = conn.execute(insert(link_run).values(**row)).inserted_primary_key
    assert pk is not None
    return int(pk[0])


def finish_run(conn: Connection, run_id: int, **values: Any) -> None:
    conn.execute(update(link_run).where(link_run.c.id == run_id).values(**values))


def replace_links(conn: Connection, rows: list[dict[str, Any]]) -> None:
    conn.execute(delete(record_link))
    insert_many(conn, record_link, rows)


def links_unchanged(conn: Connection, rows: list[dict[str, Any]]) -> bool:
    """Whether the stored links are exactly these (then a run leaves them alone)."""
    cols = ("record_a", "record_b", "status", "probability", "gamma_json")
    q = select(*[record_link.c[c] for c in cols])
    stored = {(r[0], r[1]): tuple(r) for r in conn.execute(q)}
    if len(stored) != len(rows):
        return False
    for row in rows:
        old = stored.get((row["record_a"], row["record_b"]))
        if old is None or tuple(row[c] for c in cols) != old:
            return False
    return True


def apply_persons(
    conn: Connection,
    persons: Sequence[dict[str, Any]],
    redirects: dict[str, str],
    run_id: int,
) -> dict[str, int]:
    """Make the archive's persons exactly `persons` ({key, records, decided, names}),
    touching only what changed: new persons get new ids, records that moved change their
    person (and their events follow), persons left empty are removed and redirect."""
    of_record, ids = person_state(conn)
    next_id = max(max_id(conn, s.record), max_id(conn, s.person)) + 1
    counts = {"created": 0, "moved": 0, "removed": 0, "updated": 0}
    decided_now = {
        str(k): bool(d) for k, d in conn.execute(select(s.person.c.key, s.person.c.decided))
    }
    wanted = {p["key"] for p in persons}
    new_rows = []
    for p in persons:
        if p["key"] not in ids:
            ids[p["key"]] = next_id
            next_id += 1
            new_rows.append(
                {"id": ids[p["key"]], "key": p["key"], "decided": p["decided"], **p["names"]}
            )
        elif decided_now.get(p["key"]) != p["decided"]:
            conn.execute(
                update(s.person).where(s.person.c.key == p["key"]).values(decided=p["decided"])
            )
            counts["updated"] += 1
    insert_many(conn, s.person, new_rows)
    counts["created"] = len(new_rows)
    moves: list[tuple[int, int]] = []
    for p in persons:
        pid = ids[p["key"]]
        for rid in p["records"]:
            if of_record.get(rid) != p["key"]:
                moves.append((rid, pid))
    for i in range(0, len(moves), 900):
        chunk = moves[i : i + 900]
        rids = [r for r, _ in chunk]
        conn.execute(delete(s.person_record).where(s.person_record.c.record_id.in_(rids)))
        insert_many(conn, s.person_record, [{"record_id": r, "person_id": p} for r, p in chunk])
    counts["moved"] = len(moves)
    gone = [k for k in ids if k not in wanted]
    # A person id stays reachable: redirects point at the person that now holds its record;
    # redirects that pointed at a person now gone follow on; a key back in use needs none.
    for old, new in redirects.items():
        conn.execute(delete(person_redirect).where(person_redirect.c.old_key == old))
        conn.execute(insert(person_redirect).values(old_key=old, new_key=new, run_id=run_id))
    for old, new in redirects.items():
        conn.execute(
            update(person_redirect).where(person_redirect.c.new_key == old).values(new_key=new)
        )
    if wanted:
        live = list(wanted)
        for i in range(0, len(live), 900):
            conn.execute(
                delete(person_redirect).where(person_redirect.c.old_key.in_(live[i : i + 900]))
            )
    for i in range(0, len(gone), 900):
        gone_ids = [ids[k] for k in gone[i : i + 900]]
        conn.execute(delete(s.person).where(s.person.c.id.in_(gone_ids)))
    counts["removed"] = len(gone)
    return counts


# ---- reads for the library API -------------------------------------------------------------


def person_key_of_record(conn: Connection, record_id: int) -> str | None:
    q = (
        select(s.person.c.key)
        .join(s.person_record, s.person.c.id == s.person_record.c.person_id)
        .where(s.person_record.c.record_id == record_id)
    )
    return conn.execute(q).scalar()


def redirect_of(conn: Connection, key: str) -> str | None:
    return conn.execute(
        select(person_redirect.c.new_key).where(person_redirect.c.old_key == key)
    ).scalar()


def person_row(conn: Connection, key: str) -> dict[str, Any] | None:
    row = conn.execute(select(s.person).where(s.person.c.key == key)).first()
    return dict(row._mapping) if row else None


def person_records(conn: Connection, person_id: int) -> list[dict[str, Any]]:
    q = (
        select(
            s.record.c.id, s.record.c.key, s.record.c.family, s.record.c.file, s.record.c.idx,
            s.record.c.verbatim, s.record.c.name, s.record.c.surname, s.record.c.given_name,
            s.record.c.patronymic, s.record.c.sex, s.record.c.birth_edtf, s.record.c.death_edtf,
            s.record.c.nationality, s.record.c.residence, s.record.c.burial_place,
            s.record.c.context_json, s.source.c.title.label("source_title"), s.record.c.packed,
        )
        .join(s.person_record, s.person_record.c.record_id == s.record.c.id)
        .join(s.source, s.source.c.id == s.record.c.source_id)
        .where(s.person_record.c.person_id == person_id)
        .order_by(s.record.c.id)
    )  # fmt: skip
    return [packed_store.unpacked(conn, r._mapping) for r in conn.execute(q)]


def links_of(conn: Connection, record_ids: Sequence[int]) -> list[dict[str, Any]]:
    ids = list(record_ids)
    q = select(record_link).where(
        or_(record_link.c.record_a.in_(ids), record_link.c.record_b.in_(ids))
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def decisions_touching(conn: Connection, keys: Sequence[str]) -> list[dict[str, Any]]:
    ks = list(keys)
    q = select(link_decision).where(
        or_(link_decision.c.key_a.in_(ks), link_decision.c.key_b.in_(ks))
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def latest_run(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(
        select(link_run).where(link_run.c.finished_at.is_not(None)).order_by(link_run.c.id.desc())
    ).first()
    return dict(row._mapping) if row else None


def review_queue(conn: Connection, limit: int | None = None) -> list[dict[str, Any]]:
    q = (
        select(record_link)
        .where(record_link.c.status == "review")
        .order_by(record_link.c.probability.desc(), record_link.c.record_a, record_link.c.record_b)
    )
    if limit:
        q = q.limit(limit)
    return [dict(r._mapping) for r in conn.execute(q)]


def iter_persons(conn: Connection) -> Iterator[tuple[str, bool, list[tuple[str, int]]]]:
    """(person key, decided, [(file, index) of each record]) for every person, ordered by
    each person's first record."""
    q = (
        select(s.person.c.key, s.person.c.decided, s.record.c.id, s.record.c.file, s.record.c.idx)
        .join(s.person_record, s.person_record.c.person_id == s.person.c.id)
        .join(s.record, s.record.c.id == s.person_record.c.record_id)
        .order_by(s.person.c.id, s.record.c.id)
    )
    current: str | None = None
    decided = False
    locs: list[tuple[str, int]] = []
    for key, dec, _rid, file, idx in conn.execute(q):
        if key != current:
            if current is not None:
                yield current, decided, locs
            current, decided, locs = key, bool(dec), []
        locs.append((str(file), int(idx)))
    if current is not None:
        yield current, decided, locs


def person_counts(
    conn: Connection, family: str | None = None, record_ids: Sequence[int] | None = None
) -> dict[str, int]:
    """How many records and how many distinct persons (of a source family or a set)."""
    q = select(
        func.count(s.person_record.c.record_id), func.count(s.person_record.c.person_id.distinct())
    )
    if family is not None:  # the join only where the family is asked for (the home page's
        # count of the whole archive reads person_record alone)
        q = q.select_from(
            s.person_record.join(s.record, s.record.c.id == s.person_record.c.record_id)
        ).where(s.record.c.family == family)
    else:
        q = q.select_from(s.person_record)
    if record_ids is not None:
        ids = list(record_ids)
        if len(ids) > 30000:
            raise ValueError("count persons of at most 30,000 records at once")
        q = q.where(s.record.c.id.in_(ids))
    n_records, n_persons = conn.execute(q).one()
    return {"records": int(n_records or 0), "persons": int(n_persons or 0)}


def model_of_run(conn: Connection, run_id: int) -> dict[str, Any] | None:
    if not s.is_id(run_id):
        return None
    row = conn.execute(
        select(link_run.c.model_json, link_run.c.model_sha256).where(link_run.c.id == run_id)
    ).first()
    if row is None:
        return None
    return {"model": json.loads(row[0]), "sha256": row[1]}


def decided_flags(conn: Connection) -> dict[str, bool]:
    return {str(k): bool(d) for k, d in conn.execute(select(s.person.c.key, s.person.c.decided))}
