"""Record linkage: records of one person, within and across sources, become a Person.

Engine: Splink 5 (Fellegi–Sunter, trained by EM) on DuckDB by default or Spark local mode
(`linkage.engine`), with comparisons built from what the archive knows about names and dates
(`linkage.features`, `linkage.model`); constrained clustering, stable person ids and
redirects (`linkage.cluster`); decisions (`linkage.decisions`); evaluation
(`python3 -m memorybook.linkage.evaluate`).

Library API (every function takes an open SQLAlchemy `Connection`):

    link_archive(engine, backend="duckdb", use_source_identities=True) -> LinkReport
        one run; writes once; a run on an unchanged archive writes nothing.
    person_of_record(conn, record_id) -> person id ("p-<record key>")
    resolve(conn, person_id) -> current person id (follows redirects of merged persons) | None
    person(conn, person_id) -> {
        "id", "requested", "decided",
        "records": [{id, key, source, family, locator, verbatim, name, surname, …}],
        "links": [{records: [a, b], status: accepted|review|cut|decided, probability,
                   gamma: {comparison: level}, explanation: {ru, en, parts}}],
        "decisions": [{key_a, key_b, verdict, origin, who, decided_at, why, citation}],
        "disagreements": {field: [{record, value}, …]},   # e.g. birth 1884 / 1885
        "model": {"run", "sha256"},                        # cite the trained model
    } | None
    person_counts(conn, family=None, record_ids=None) -> {"records": n, "persons": m}
    persons_json(conn) -> iterator of {"person", "records": [locator…], "decided"}
    trained_model(conn, run_id=None) -> {"model": Splink JSON, "sha256"}: reproduces a run

A person id is stable: it is "p-" + the content id of one of its records, kept across
re-linking while that person keeps that record; when persons merge, the ids that go
redirect (`resolve`)."""

from memorybook.linkage.persons import (
    person,
    person_counts,
    person_of_record,
    persons_json,
    resolve,
    trained_model,
)
from memorybook.linkage.run import LinkReport, Thresholds, link_archive

__all__ = [
    "LinkReport",
    "Thresholds",
    "link_archive",
    "person",
    "person_counts",
    "person_of_record",
    "persons_json",
    "resolve",
    "trained_model",
]
