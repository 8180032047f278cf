"""The Spark path (local mode) gives the same links and persons as DuckDB.

One Spark session for the whole test (its start-up costs tens of seconds). The model is
trained once on DuckDB and scored by both backends: the national-scale path is scoring, and
a stored model must reproduce a run on either backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from memorybook.linkage.engine import Backend, predict, score
from memorybook.linkage.record import LinkRecord
from memorybook.linkage.run import assemble
from memorybook.linkage.source_rows import has_name, link_record
from memorybook.storage import link_store
from memorybook.storage.engine import open_archive
from memorybook.storage.migrate import upgrade

from . import small

pyspark = pytest.importorskip("pyspark")


@pytest.fixture
def small_sqlite(tmp_path: Path) -> Iterator[Engine]:
    """The small lists on SQLite only: Spark scores the records once they are read, and
    reading them from PostgreSQL is covered by the other linkage tests (on both backends);
    this is the slowest linkage test, so it runs once."""
    engine = open_archive(str(tmp_path / "small.sqlite"))
    upgrade(engine)
    small.build(engine, tmp_path)
    yield engine
    engine.dispose()


@pytest.mark.slow
def test_spark_scores_and_clusters_like_duckdb(small_sqlite: Engine) -> None:
    engine = small_sqlite
    with engine.connect() as conn:
        records = [link_record(r) for r in link_store.link_rows(conn) if has_name(r)]
    duck = score(records, backend="duckdb", threshold=0.01)
    spark = score(records, backend="spark", threshold=0.01, trained=duck.model_json)
    assert [(p.a, p.b) for p in spark.pairs] == [(p.a, p.b) for p in duck.pairs]
    for d, s in zip(duck.pairs, spark.pairs, strict=True):
        assert s.probability == pytest.approx(d.probability, abs=1e-9)
        assert s.gamma == d.gamma
    by_id = {r.id: r for r in records}
    ids = sorted(by_id)
    dc, _, _ = assemble(ids, by_id, duck.pairs, {}, {}, 0.99)
    sc, _, _ = assemble(ids, by_id, spark.pairs, {}, {}, 0.99)
    assert sc.members == dc.members
    assert any(len(m) > 1 for m in dc.members)
    # The national-scale path: pairs and clusters stay in the engine (Splink's clustering on
    # the record ids), on Spark with the same trained model as on DuckDB.
    assert _engine_clusters(records, "duckdb", duck.model_json) == _engine_clusters(
        records, "spark", duck.model_json
    )


def _engine_clusters(
    records: list[LinkRecord], backend: Backend, trained: dict[str, Any]
) -> set[frozenset[int]]:
    with predict(records, backend=backend, trained=trained) as prediction:
        rows = prediction.clusters(0.99).to_pylist()
    by_cluster: dict[object, set[int]] = {}
    for row in rows:
        by_cluster.setdefault(row["cluster_id"], set()).add(row["unique_id"])
    clusters = {frozenset(c) for c in by_cluster.values()}
    assert any(len(c) > 1 for c in clusters)
    return clusters
