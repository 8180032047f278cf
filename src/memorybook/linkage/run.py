"""One linkage run over the archive: read, score, cluster under constraints, write once.

Everything slow (feature building, training, scoring) happens before the write; the write
is one transaction, so a run that is killed leaves the previous persons exactly as they
were. A run whose result equals what is stored writes nothing at all."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Engine

from memorybook.linkage.cluster import Clusters, Edge, cluster, contradiction, person_keys
from memorybook.linkage.engine import Backend
from memorybook.linkage.record import LinkRecord
from memorybook.linkage.source_rows import has_name, link_record
from memorybook.stats import summary
from memorybook.storage import link_store as store
from memorybook.storage.engine import write_transaction

SOURCE_WHO = "the source's editors"


@dataclass(frozen=True)
class Thresholds:
    """Links at or above `accept` join persons; `review` ≤ p < `accept` wait for a human;
    lower ones are dropped."""

    accept: float = 0.99
    review: float = 0.5


DEFAULT_THRESHOLDS = Thresholds()


@dataclass
class LinkReport:
    run_id: int | None
    unchanged: bool
    records: int
    compared: int
    persons: int
    multi_record_persons: int
    accepted: int
    review: int
    cut: int
    decisions_used: int
    source_identities_used: bool
    model_sha256: str
    seconds: float
    persons_changed: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def source_decisions(records: Iterable[LinkRecord]) -> list[dict[str, Any]]:
    """The source's own identities as "same person" decisions, each with its citation:
    records sharing one identity are chained from the smallest record key."""
    groups: dict[str, list[LinkRecord]] = defaultdict(list)
    for r in records:
        if r.identity:
            groups[r.identity].append(r)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda r: r.key)
        first = members[0]
        for other in members[1:]:
            a, b = _pair(first.key, other.key)
            out.append(
                {
                    "key_a": a,
                    "key_b": b,
                    "verdict": "same",
                    "origin": "source",
                    "who": SOURCE_WHO,
                    "decided_at": "",
                    "why": "the source gives both entries one person id",
                    "citation": first.identity_citation,
                }
            )
    return out


def effective_decisions(
    stored: list[dict[str, Any]], derived_source: list[dict[str, Any]], use_source: bool
) -> dict[tuple[str, str], dict[str, Any]]:
    """One decision per pair: a human's latest wins over the source's assertion."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    if use_source:
        for d in derived_source:
            out[(d["key_a"], d["key_b"])] = d
    for d in sorted(
        (d for d in stored if d["origin"] == "human"), key=lambda d: (d["decided_at"], d["id"])
    ):
        out[(d["key_a"], d["key_b"])] = d
    return out


def _sha(model_json: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(model_json, sort_keys=True).encode()).hexdigest()


def settled(value: Any, digits: int = 10) -> Any:
    """The trained model with its numbers to `digits` significant digits. DuckDB sums in
    parallel, so two trainings on the same records differ in the last bits of a float
    (1e-15); the stored model and its checksum must not, or a re-run on an unchanged archive
    would record a new model."""
    if isinstance(value, float):
        return float(f"{value:.{digits}g}")
    if isinstance(value, dict):
        return {k: settled(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [settled(v, digits) for v in value]
    return value


def link_archive(
    engine: Engine,
    *,
    backend: Backend = "duckdb",
    use_source_identities: bool = True,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    progress: Callable[[str], None] | None = None,
) -> LinkReport:
    """`progress` is told each stage as it starts (reading, training and scoring,
    clustering, writing): set-up on the real lists takes minutes."""
    started = time.perf_counter()
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    say = progress or (lambda _stage: None)
    say("reading the records")
    with engine.connect() as conn:
        rows = store.link_rows(conn)
        stored = store.decisions(conn)
        old_person_of, _ = store.person_state(conn)
        previous = store.latest_run(conn)
    key_of = {int(r["id"]): str(r["key"]) for r in rows}
    id_of = {k: i for i, k in key_of.items()}
    records = {int(r["id"]): link_record(r) for r in rows if has_name(r)}
    derived = source_decisions(records.values())
    decisions = effective_decisions(stored, derived, use_source_identities)
    from memorybook.linkage.engine import score

    say(f"training the model and scoring pairs of {len(records):,} named records")
    scored = score(list(records.values()), backend=backend, threshold=thresholds.review)
    model = settled(scored.model_json)
    model_sha = _sha(model)

    say(f"grouping {len(scored.pairs):,} likely pairs into persons")
    clusters, decided_records, decided_pairs = assemble(
        key_of.keys(), records, scored.pairs, decisions, id_of, thresholds.accept
    )
    keys, redirects = person_keys(clusters.members, key_of, old_person_of)
    row_of = {int(r["id"]): r for r in rows}
    persons: list[dict[str, Any]] = []
    for key, members in zip(keys, clusters.members, strict=True):
        anchor = row_of[id_of.get(key[2:], members[0])]
        persons.append(
            {
                "key": key,
                "records": members,
                "decided": any(m in decided_records for m in members),
                "names": {k: anchor.get(k) for k in ("surname", "given_name", "patronymic")},
            }
        )
    link_rows = []
    for p in scored.pairs:
        if (p.a, p.b) in decided_pairs:
            status = "decided"
        elif (p.a, p.b) in clusters.cut:
            status = "cut"
        elif p.probability >= thresholds.accept:
            status = "accepted"
        else:
            status = "review"
        link_rows.append(
            {
                "record_a": p.a,
                "record_b": p.b,
                "status": status,
                "probability": round(p.probability, 6),
                "weight": round(p.weight, 4),
                "gamma_json": json.dumps(p.gamma, ensure_ascii=False, sort_keys=True),
            }
        )
    report = LinkReport(
        run_id=None,
        unchanged=False,
        records=len(rows),
        compared=len(records),
        persons=len(persons),
        multi_record_persons=sum(1 for p in persons if len(p["records"]) > 1),
        accepted=sum(1 for r in link_rows if r["status"] == "accepted"),
        review=sum(1 for r in link_rows if r["status"] == "review"),
        cut=sum(1 for r in link_rows if r["status"] == "cut"),
        decisions_used=len(decisions),
        source_identities_used=use_source_identities,
        model_sha256=model_sha,
        seconds=0.0,
    )
    say("writing the persons")
    with write_transaction(engine) as conn:
        stored_sources = {(d["key_a"], d["key_b"]) for d in stored if d["origin"] == "source"}
        same_as_before = (
            previous is not None
            and previous["model_sha256"] == model_sha
            and bool(previous["use_source_identities"]) == use_source_identities
            and json.loads(previous["thresholds_json"]) == asdict(thresholds)
            and {(d["key_a"], d["key_b"]) for d in derived} <= stored_sources
            and not redirects
            and _persons_unchanged(persons, old_person_of, conn)
            and store.links_unchanged(conn, link_rows)
        )
        if same_as_before:
            assert previous is not None
            report.unchanged = True
            report.run_id = int(previous["id"])
            summary.carry(conn)  # nothing counted changed
        else:
            run_id = store.start_run(
                conn,
                {
                    "started_at": started_at,
                    "backend": backend,
                    "use_source_identities": use_source_identities,
                    "thresholds_json": json.dumps(asdict(thresholds)),
                    "model_json": json.dumps(model, ensure_ascii=False, sort_keys=True),
                    "model_sha256": model_sha,
                },
            )
            for d in derived:
                store.upsert_decision(conn, d)
            for r in link_rows:
                r["run_id"] = run_id
            store.replace_links(conn, link_rows)
            report.persons_changed = store.apply_persons(conn, persons, redirects, run_id)
            report.run_id = run_id
            report.seconds = time.perf_counter() - started
            store.finish_run(
                conn,
                run_id,
                finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                counts_json=json.dumps(report.as_dict(), default=str),
            )
            # The persons counted again for this version (records, hence charts, unchanged).
            summary.refresh(conn, ("persons", "counts"))
    report.seconds = time.perf_counter() - started
    return report


def _persons_unchanged(
    persons: list[dict[str, Any]], old_person_of: dict[int, str], conn: Any
) -> bool:
    for p in persons:
        if any(old_person_of.get(r) != p["key"] for r in p["records"]):
            return False
    decided = store.decided_flags(conn)
    return all(decided.get(p["key"]) == p["decided"] for p in persons)


def assemble(
    all_ids: Iterable[int],
    records: dict[int, LinkRecord],
    pairs: Iterable[Any],
    decisions: dict[tuple[str, str], dict[str, Any]],
    id_of: dict[str, int],
    accept: float,
    *,
    constrained: bool = True,
) -> tuple[Clusters, set[int], set[tuple[int, int]]]:
    """Persons from scored pairs and decisions: (clusters, records a decision touches,
    pairs a decision settles). `constrained=False` is plain connected components (the
    baseline's clustering)."""
    edges: list[Edge] = []
    not_same: set[tuple[int, int]] = set()
    decided_records: set[int] = set()
    for (ka, kb), d in decisions.items():
        a, b = id_of.get(ka), id_of.get(kb)
        if a is None or b is None:
            continue  # a decision about records not (or no longer) in the archive
        decided_records.update((a, b))
        if d["verdict"] == "same":
            edges.append(
                Edge(min(a, b), max(a, b), 3.0 if d["origin"] == "human" else 2.0, d["origin"])
            )
        else:
            not_same.add((min(a, b), max(a, b)))
    decided_pairs = {
        (min(id_of[a], id_of[b]), max(id_of[a], id_of[b]))
        for a, b in decisions
        if a in id_of and b in id_of
    }
    for p in pairs:
        if p.probability >= accept and (p.a, p.b) not in decided_pairs:
            edges.append(Edge(p.a, p.b, p.probability, "model"))

    def cannot(x: int, y: int) -> bool:
        if not constrained:
            return False
        if (min(x, y), max(x, y)) in not_same:
            return True
        rx, ry = records.get(x), records.get(y)
        return rx is not None and ry is not None and contradiction(rx, ry) is not None

    return cluster(all_ids, edges, cannot), decided_records, decided_pairs
