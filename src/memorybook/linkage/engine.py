"""The engine behind one interface: train a Splink model and score record pairs, on DuckDB
(the default) or Spark (local mode, for national scale).

`score(records, kind, backend)` returns the trained model (Splink's JSON) and the scored
pairs: record ids, match probability, match weight and the comparison vector (the gamma
level of each comparison). `predict(...)` keeps the pairs in the engine instead (a columnar
table, or clusters computed there) for national scale. DuckDB runs with capped memory, a
spill folder and a set number of threads (`duckdb_api`). Nothing here touches the archive."""

from __future__ import annotations

import contextlib
import itertools
import logging
import math
import os
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from memorybook.errors import ConfigurationError, LinkageFailed
from memorybook.linkage.features import feature_table
from memorybook.linkage.record import LinkRecord

Backend = Literal["duckdb", "spark"]
Kind = Literal["ours", "baseline"]
SEED = 1937
U_PAIRS = 1e6
EM_PAIRS = 2e6  # a sample of the blocked pairs is enough for EM at national scale


@dataclass
class ScoredPair:
    a: int  # record ids, a < b
    b: int
    probability: float
    weight: float
    gamma: dict[str, str]  # comparison -> the label of the level the pair fell in


@dataclass
class Scored:
    model_json: dict[str, Any]
    pairs: list[ScoredPair] = field(default_factory=list)
    comparisons: list[str] = field(default_factory=list)


def _quiet() -> None:
    for name in ("splink", "py4j", "pyspark"):
        logging.getLogger(name).setLevel(logging.ERROR)


# DuckDB's own default takes 80 % of the machine's memory and every core: a linkage run
# shares the machine (with the web archive, with other runs), so it is capped and spills
# to a temporary folder instead. MEMORYBOOK_LINK_MEMORY / MEMORYBOOK_LINK_THREADS override.
DUCKDB_MEMORY = "1500MB"


def duckdb_api(
    memory_limit: str | None = None, threads: int | None = None, temp_dir: str | None = None
) -> Any:
    """Splink's DuckDB backend on an in-memory connection with capped memory, a thread count
    (default: the machine's cores) and a spill folder (`temp_dir`, else a new path under the
    system's temporary folder that DuckDB creates only when it spills and removes when the
    connection closes; a folder made beforehand would be left behind by every run)."""
    import duckdb
    from splink import DuckDBAPI

    memory = memory_limit or os.environ.get("MEMORYBOOK_LINK_MEMORY") or DUCKDB_MEMORY
    n = threads or int(os.environ.get("MEMORYBOOK_LINK_THREADS") or 0) or os.cpu_count() or 1
    if temp_dir is None:
        temp_dir = os.path.join(
            tempfile.gettempdir(), f"memorybook-duckdb-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        )
    con = duckdb.connect(config={"memory_limit": memory, "threads": n, "temp_directory": temp_dir})
    return DuckDBAPI(connection=con)


def _db_api(backend: Backend) -> Any:
    if backend == "duckdb":
        return duckdb_api()
    if backend == "spark":
        from memorybook.linkage.spark import spark_api

        return spark_api()
    raise ConfigurationError(f"unknown linkage backend {backend!r} (duckdb or spark)")


@contextlib.contextmanager
def _engine_failures() -> Iterator[None]:
    """Failures of the engine become one `LinkageFailed` line for the user."""
    import duckdb
    from splink.internals.exceptions import SplinkException

    try:
        yield
    except (SplinkException, duckdb.Error, RuntimeError, ValueError, OSError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise LinkageFailed(f"linkage could not run: {first}") from exc


@dataclass
class Prediction:
    """A trained model and its scored pairs, still in the engine (DuckDB or Spark): read
    them as a columnar table, or cluster them there, without a Python object per pair."""

    model_json: dict[str, Any]
    comparisons: list[str]
    linker: Any = None
    frame: Any = None  # Splink's table of the pairs at or above the threshold
    records: Any = None  # Splink's table of the records (the nodes of the clustering)

    def pairs_table(self) -> Any:
        """The pairs as a pyarrow Table: unique_id_l, unique_id_r, match_probability,
        match_weight and the match weight of each comparison (mw_<comparison>)."""
        import pyarrow as pa

        if self.frame is None:
            return pa.table({})
        cols = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"] + [
            f"mw_{c}" for c in self.comparisons
        ]
        with _engine_failures():
            return self._select(self.frame, cols)

    def clusters(self, threshold: float) -> Any:
        """Connected components of the pairs at or above `threshold`, computed by the engine
        (Splink's clustering): a pyarrow Table of unique_id and cluster_id, every record
        of the run included. No decisions and no constraints: `run.assemble` applies those
        for the archive."""
        import pyarrow as pa

        if self.frame is None:
            return pa.table({"unique_id": pa.array([], pa.int64()), "cluster_id": []})
        from splink.clustering import cluster_pairwise_predictions_at_threshold

        with _engine_failures():
            # On the record ids alone: the linker's own clustering joins every column of
            # the records back to the clusters (3 of its 4.4 CPU-s at 2 M records).
            clustered = cluster_pairwise_predictions_at_threshold(
                self.records, self.frame, self.linker._db_api, node_id_column_name="unique_id",
                threshold_match_probability=threshold,
            )  # fmt: skip
            try:
                return self._select(clustered, ["unique_id", "cluster_id"])
            finally:
                clustered.drop_table_from_database_and_remove_from_cache()

    def _select(self, frame: Any, columns: list[str]) -> Any:
        from splink.internals.pipeline import CTEPipeline

        pipeline = CTEPipeline()
        pipeline.enqueue_sql(
            f"select {', '.join(columns)} from {frame.physical_name}", "__memorybook_select"
        )
        out = self.linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)
        try:
            return out.as_pyarrow_table()
        finally:
            out.drop_table_from_database_and_remove_from_cache()

    def close(self) -> None:
        if self.frame is not None:
            self.frame.drop_table_from_database_and_remove_from_cache()
            self.frame = None

    def __enter__(self) -> Prediction:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def score(
    records: Sequence[LinkRecord],
    *,
    kind: Kind = "ours",
    backend: Backend = "duckdb",
    threshold: float = 0.01,
    db_api: Any = None,
    trained: dict[str, Any] | None = None,
    table: Any = None,
) -> Scored:
    """Train on `records` (Fellegi–Sunter) and score their blocked pairs; or, given a
    `trained` model (Splink's JSON, as a run stores it), score with it unchanged: a stored
    run reproduced, or the same model on another backend. `table` is the records' feature
    table when the caller built it already (`features.feature_table`; `records` is then
    not read). Failures of the engine become one `LinkageFailed` line for the user."""
    with predict(
        records, kind=kind, backend=backend, threshold=threshold, db_api=db_api,
        trained=trained, table=table,
    ) as prediction:  # fmt: skip
        return _scored(prediction)


def predict(
    records: Sequence[LinkRecord],
    *,
    kind: Kind = "ours",
    backend: Backend = "duckdb",
    threshold: float = 0.01,
    db_api: Any = None,
    trained: dict[str, Any] | None = None,
    table: Any = None,
) -> Prediction:
    """As `score`, but the pairs stay in the engine (`Prediction`): national scale, where a
    Python object per pair would cost more than the linkage itself. Close it when done.
    On DuckDB the feature table is copied into DuckDB's own (compressed, capped, spillable)
    storage: a caller that passes `table` and keeps no reference to it lets it go."""
    from splink import Linker

    from memorybook.linkage import model as m
    from memorybook.linkage.training import anchor_pairs

    with _engine_failures():
        _quiet()
        settings = m.our_settings() if kind == "ours" else m.baseline_settings()
        if table is None:
            table = feature_table(records)
        if table.num_rows < 2:
            return Prediction(model_json={}, comparisons=[])
        api = db_api if db_api is not None else _db_api(backend)
        anchors = anchor_pairs(table) if trained is None and kind == "ours" else None
        registered = _register(api, table)
        del table
        linker = Linker(registered, settings, log_level=None)
        if trained is not None:
            fresh = linker.misc.save_model_to_json()
            linker = Linker(registered, _with_parameters(fresh, trained), log_level=None)
        else:
            _train(linker, kind, anchors)
        model_json = linker.misc.save_model_to_json()
        comparisons = [c["output_column_name"] for c in model_json["comparisons"]]
        frame = _predict(linker, registered, threshold)
        return Prediction(
            model_json=model_json, comparisons=comparisons, linker=linker, frame=frame,
            records=registered,
        )  # fmt: skip


def _predict(linker: Any, registered: Any, threshold: float) -> Any:
    """Score the blocked pairs; on DuckDB the pairs are blocked one rule at a time first
    (`linkage.blocking`: Splink's one statement holds every rule's join at once)."""
    from splink import DuckDBAPI

    from memorybook.linkage.blocking import register_blocked_pairs

    blocked = None
    if isinstance(linker._db_api, DuckDBAPI):
        blocked = register_blocked_pairs(linker, registered.physical_name)
    try:
        return linker.inference.predict(threshold_match_probability=threshold)
    finally:
        if blocked is not None:
            blocked.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)


_TABLES = itertools.count(1)


def _register(api: Any, table: Any) -> Any:
    """The feature table as Splink's input. DuckDB: copied into a DuckDB table first (DuckDB
    would otherwise scan the caller's pyarrow table in place, keeping it alive). Spark: read
    from a Parquet file (`spark.records_frame`), not handed over as local rows."""
    from splink import DuckDBAPI

    if not isinstance(api, DuckDBAPI):
        if type(api).__name__ == "SparkAPI":
            from memorybook.linkage.spark import records_frame

            return api.register(records_frame(api.spark, table))
        return api.register(table)
    con = api.duckdb_con
    name = f"__memorybook_records_{next(_TABLES)}"
    con.register(f"{name}_arrow", table)
    try:
        con.execute(f"create table {name} as select * from {name}_arrow")
    finally:
        con.unregister(f"{name}_arrow")
    return api.register(name)


def _scored(prediction: Prediction) -> Scored:
    """Python objects per pair (the archive's run keeps each link with its evidence)."""
    comparisons = prediction.comparisons
    out = Scored(model_json=prediction.model_json, comparisons=comparisons)
    if prediction.frame is None:
        return out
    levels = _level_weights(prediction.model_json)
    table_out = prediction.pairs_table()
    data = table_out.to_pydict()
    for i in range(table_out.num_rows):
        a, b = int(data["unique_id_l"][i]), int(data["unique_id_r"][i])
        out.pairs.append(
            ScoredPair(
                a=min(a, b),
                b=max(a, b),
                probability=float(data["match_probability"][i]),
                weight=float(data["match_weight"][i]),
                gamma={c: _level_of(levels[c], data[f"mw_{c}"][i]) for c in comparisons},
            )
        )
    out.pairs.sort(key=lambda p: (p.a, p.b))
    return out


def _train(linker: Any, kind: Kind, anchors: Any) -> None:
    """The prior from deterministic rules, u by random sampling; then our m-probabilities
    from anchor pairs (`linkage.training`), the baseline's by EM."""
    from memorybook.linkage import model as m
    from memorybook.linkage.training import estimate_m_from_anchors

    deterministic = m.OUR_DETERMINISTIC if kind == "ours" else m.BASELINE_DETERMINISTIC
    linker.training.estimate_probability_two_random_records_match(list(deterministic), recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=SEED)
    if kind == "ours":
        estimate_m_from_anchors(linker, anchors=anchors)
        return
    for rule in m.BASELINE_TRAINING:
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=EM_PAIRS)


def _with_parameters(fresh: dict[str, Any], trained: dict[str, Any]) -> dict[str, Any]:
    """The trained model's parameters on settings written in this backend's SQL dialect (a
    saved model keeps the SQL of the backend that trained it)."""
    out = dict(fresh)
    out["probability_two_random_records_match"] = trained["probability_two_random_records_match"]
    comps = []
    for f, t in zip(fresh["comparisons"], trained["comparisons"], strict=True):
        if f["output_column_name"] != t["output_column_name"]:
            raise ValueError("the stored model does not match this version's comparisons")
        levels = []
        for fl, tl in zip(f["comparison_levels"], t["comparison_levels"], strict=True):
            level = dict(fl)
            for k in ("m_probability", "u_probability"):
                if k in tl:
                    level[k] = tl[k]
            levels.append(level)
        comps.append({**f, "comparison_levels": levels})
    out["comparisons"] = comps
    return out


def _level_weights(model_json: dict[str, Any]) -> dict[str, list[tuple[str, float | None]]]:
    """Each comparison's levels in order: (label, match weight), None for the null level."""
    out: dict[str, list[tuple[str, float | None]]] = {}
    for comp in model_json.get("comparisons", []):
        levels: list[tuple[str, float | None]] = []
        for lvl in comp["comparison_levels"]:
            label = str(lvl.get("label_for_charts") or lvl["sql_condition"])
            if lvl.get("is_null_level"):
                levels.append((label, None))
                continue
            mp, up = lvl.get("m_probability"), lvl.get("u_probability")
            w = math.log2(mp / up) if mp and up else 0.0
            levels.append((label, w))
        out[comp["output_column_name"]] = levels
    return out


def _level_of(levels: list[tuple[str, float | None]], weight: float | None) -> str:
    """The comparison level a pair fell in, recovered from its match weight (Splink 5 keeps
    the weights, not the gamma columns). The first level with that weight wins; the null
    level has weight 0 and comes first, so only a level whose m equals its u is ambiguous."""
    if weight is None:
        return levels[0][0]
    for label, w in levels:
        if w is None:
            if abs(weight) < 1e-12:
                return label
            continue
        if abs(w - weight) < 1e-9:
            return label
    return levels[-1][0]
