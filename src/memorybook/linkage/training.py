"""Training our model without labels: m-probabilities from anchor pairs.

EM on lists that print little besides the name drifts: on the Politburo lists, whose
records carry only the name, the list's date, its region and its category, EM lumps
"same region" with "same person" and learns that one person is never on lists of two
regions (m = 0.0007), so every man moved from a region to the centre's list is lost.
Instead, the comparisons other than the names learn their m-probabilities from anchor
pairs: two records that share a full name (surname, given name and patronymic, all
printed in full) whose surname no other record of the run carries. Namesakes among such
pairs are rare enough not to matter, and nothing about an anchor depends on the dates,
places or categories whose m-probabilities it measures. The name comparisons keep their
fixed m-probabilities (anchors agree on the name by construction), u-probabilities come
from random sampling, and term-frequency adjustments from the run's own name counts.

Counts are smoothed (one pseudo-observation per level), so a level no anchor shows (e.g.
"executed before the list") gets a small m, not zero. A comparison that fewer than
MIN_OBSERVED anchors show at all (birth years, when only one source prints them) keeps the
prior m-probabilities the model states for it, if it states them."""

from __future__ import annotations

from typing import Any

ANCHOR_TABLE = "__memorybook_anchor_pairs"
MIN_OBSERVED = 50


def anchor_pairs(table: Any) -> Any:
    """Pairs of unique ids (lower first) of records whose surname is carried by exactly
    these two records, with one given name and patronymic printed in full in both."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = table.select(["unique_id", "sn", "gn", "pn"]).filter(pc.is_valid(table["sn"]))
    counts = t.group_by("sn").aggregate([("unique_id", "count")])
    rare = counts.filter(pc.equal(counts["unique_id_count"], 2)).select(["sn"])
    two = t.join(rare, "sn", join_type="inner")
    full = two.filter(pc.and_(pc.is_valid(two["gn"]), pc.is_valid(two["pn"])))
    grouped = full.group_by(["sn", "gn", "pn"]).aggregate(
        [("unique_id", "min"), ("unique_id", "max"), ("unique_id", "count")]
    )
    grouped = grouped.filter(pc.equal(grouped["unique_id_count"], 2))
    return pa.table(
        {
            "unique_id_l": grouped["unique_id_min"],
            "unique_id_r": grouped["unique_id_max"],
        }
    )


def estimate_m_from_anchors(
    linker: Any, table: Any = None, *, anchors: Any = None, smoothing: float = 1.0
) -> int:
    """Set the m-probability of every level that is not fixed from the anchor pairs of
    `table` (the registered feature table), or from `anchors` (`anchor_pairs(table)`,
    computed before the table went to the engine); returns the number of anchors used."""
    # Splink's own estimate_m_from_pairwise_labels leaves unseen levels at m = 1e-6 and
    # cannot smooth; its SQL pipeline is reused for the counts (`_anchor_counts`).
    if anchors is None:
        anchors = anchor_pairs(table)
    counts = _anchor_counts(linker, anchors) if anchors.num_rows else {}
    for comparison in linker._settings_obj.comparisons:
        levels = [
            cl for cl in comparison._comparison_levels_excluding_null if not cl._fix_m_probability
        ]
        if not levels:
            continue
        seen = counts.get(comparison.output_column_name, {})
        if sum(seen.values()) < MIN_OBSERVED:
            if all(cl._m_probability is not None for cl in levels):
                continue  # the model's prior
            # Nothing learned: the comparison says nothing (m = u), rather than Splink's
            # default m-probabilities, which would weigh levels by their order.
            for cl in levels:
                if cl.u_probability is not None:
                    cl.m_probability = cl.u_probability
            continue
        total = sum(seen.get(cl.comparison_vector_value, 0.0) + smoothing for cl in levels)
        for cl in levels:
            cl.m_probability = (seen.get(cl.comparison_vector_value, 0.0) + smoothing) / total
    return int(anchors.num_rows)


def _anchor_counts(linker: Any, anchors: Any) -> dict[str, dict[int, float]]:
    """How many anchor pairs fall in each level of each comparison."""
    from splink.internals.block_from_labels import block_from_labels
    from splink.internals.comparison_vector_values import compute_comparison_vector_values_sql
    from splink.internals.expectation_maximisation import compute_new_parameters_sql
    from splink.internals.pipeline import CTEPipeline
    from splink.internals.vertically_concatenate import enqueue_df_concat_with_tf

    labels = linker.table_management.register_table(anchors, ANCHOR_TABLE, overwrite=True)
    pipeline = CTEPipeline()
    enqueue_df_concat_with_tf(linker, pipeline)
    pipeline.enqueue_list_of_sqls(block_from_labels(linker, labels.physical_name))
    settings = linker._settings_obj
    pipeline.enqueue_sql(
        compute_comparison_vector_values_sql(
            settings._columns_to_select_for_comparison_vector_values
        ),
        "__splink__df_comparison_vectors",
    )
    pipeline.enqueue_sql(
        "select *, cast(1.0 as float8) as match_probability from __splink__df_comparison_vectors",
        "__splink__df_predict",
    )
    pipeline.enqueue_sql(
        compute_new_parameters_sql(
            estimate_without_term_frequencies=False, comparisons=settings.comparisons
        ),
        "__splink__m_u_counts",
    )
    counts_df = linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)
    counts: dict[str, dict[int, float]] = {}
    for row in counts_df.as_record_list():
        level = int(row["comparison_vector_value"])
        if level >= 0:  # -1 is the null level
            counts.setdefault(str(row["output_column_name"]), {})[level] = float(row["m_count"])
    counts_df.drop_table_from_database_and_remove_from_cache()
    labels.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    return counts
