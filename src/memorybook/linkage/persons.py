"""Persons as the site and other tools read them (see the package docstring)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection

from memorybook.linkage.explain import explain
from memorybook.linkage.source_rows import link_record
from memorybook.storage import link_store as store
from memorybook.text.normalise import norm_word

# Fields shown side by side; where the records' values differ they are a disagreement.
COMPARED_FIELDS = (
    "surname", "given_name", "patronymic", "birth_edtf", "death_edtf", "nationality",
    "burial_place",
)  # fmt: skip


def person_of_record(conn: Connection, record_id: int) -> str | None:
    """The id of the person a record belongs to."""
    return store.person_key_of_record(conn, record_id)


def resolve(conn: Connection, person_id: str) -> str | None:
    """The current id for a person id: itself, the person it merged into (following
    redirects), or None when it never existed."""
    seen = set()
    key: str | None = person_id
    while key is not None and key not in seen:
        if store.person_row(conn, key) is not None:
            return key
        seen.add(key)
        key = store.redirect_of(conn, key)
    return None


def _same(values: Sequence[Any]) -> bool:
    normed = {" ".join(norm_word(w) for w in str(v).split()) for v in values if v is not None}
    return len(normed) <= 1


def person(conn: Connection, person_id: str) -> dict[str, Any] | None:
    """Everything a person page shows: the records (verbatim, with source and locator),
    the links between them with probability and explanation (Russian and English), the
    decisions, and the fields where the records disagree. Follows redirects (`id` is the
    current id, `requested` the one asked for)."""
    key = resolve(conn, person_id)
    if key is None:
        return None
    row = store.person_row(conn, key)
    assert row is not None
    records = store.person_records(conn, int(row["id"]))
    ids = [int(r["id"]) for r in records]
    found = store.links_of(conn, ids)
    others = {int(x) for link in found for x in (link["record_a"], link["record_b"])}
    link_recs = {
        int(r["id"]): link_record(r) for r in store.link_rows(conn, sorted(set(ids) | others))
    }
    members = set(ids)
    links = []
    for link in found:
        a, b = int(link["record_a"]), int(link["record_b"])
        gamma = json.loads(link["gamma_json"])
        entry = {
            "records": [a, b],
            "status": link["status"],
            "probability": link["probability"],
            "gamma": gamma,
            "within_person": a in members and b in members,
        }
        if a in link_recs and b in link_recs:
            entry["explanation"] = explain(
                link_recs[a], link_recs[b], gamma, link["probability"]
            ).as_dict()
        links.append(entry)
    keys = [str(r["key"]) for r in records]
    decisions = store.decisions_touching(conn, keys)
    disagreements = {}
    for f in COMPARED_FIELDS:
        values = [r.get(f) for r in records]
        if len(records) > 1 and not _same(values):
            disagreements[f] = [{"record": int(r["id"]), "value": r.get(f)} for r in records]
    run = store.latest_run(conn)
    return {
        "id": key,
        "requested": person_id,
        "decided": bool(row["decided"]),
        "records": [
            {
                "id": int(r["id"]),
                "key": r["key"],
                "source": r["source_title"],
                "family": r["family"],
                "locator": {"file": r["file"], "index": int(r["idx"])},
                "verbatim": r["verbatim"],
                "name": r["name"],
                **{f: r.get(f) for f in COMPARED_FIELDS},
            }
            for r in records
        ],
        "links": links,
        "decisions": decisions,
        "disagreements": disagreements,
        "model": {"run": run["id"], "sha256": run["model_sha256"]} if run else None,
    }


def person_counts(
    conn: Connection, *, family: str | None = None, record_ids: Sequence[int] | None = None
) -> dict[str, int]:
    """{"records": n, "persons": m}: over the archive, one source family, or a set of records."""
    return store.person_counts(conn, family=family, record_ids=record_ids)


def persons_json(conn: Connection) -> Iterator[dict[str, Any]]:
    """The rows of `memorybook persons --json`."""
    for key, decided, locs in store.iter_persons(conn):
        yield {
            "person": key,
            "records": [{"file": f, "index": i} for f, i in locs],
            "decided": decided,
        }


def trained_model(conn: Connection, run_id: int | None = None) -> dict[str, Any] | None:
    """The trained Splink model of a run (the latest by default), with its sha256: what a
    person page cites, and what reproduces the run (`splink.Linker(df, model)`)."""
    if run_id is None:
        run = store.latest_run(conn)
        if run is None:
            return None
        run_id = int(run["id"])
    return store.model_of_run(conn, run_id)
