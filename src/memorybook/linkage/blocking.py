"""The blocked pairs on DuckDB, one blocking rule at a time.

Splink blocks with one statement: a UNION ALL of one self-join per rule over a CTE of the
records, each join excluding the pairs of the rules before it. DuckDB materialises that
CTE (it is read twice per rule) and builds every rule's hash table before it probes any,
so with our 27 rules all of them are held at once: at 1 M + 1 M synthetic records the
statement needed about 4 GB, and under the engine's memory cap (`engine.DUCKDB_MEMORY`)
it spilled 14.7 GB to disk and cost 50 CPU-s, where the joins themselves cost 10
(bench/linkage.py; README, "Linkage at scale"). Here each rule is its own statement over
the records table (DuckDB pushes the rule's columns and conditions into the scan, and only
one hash table lives at a time), and a pair found by several rules is kept once, under the
first rule's key, as Splink's exclusions would keep it. The result is registered as the
pairs `predict()` scores: the same pairs, the same scores.

Spark keeps Splink's own blocking (one statement suits its planner, and its joins spill)."""

from __future__ import annotations

import itertools
from typing import Any

_TABLES = itertools.count(1)


def plain_rules(linker: Any) -> list[Any] | None:
    """The model's blocking rules if every one is a plain join condition (no salting, no
    exploded arrays: those need Splink's own SQL), else None."""
    from splink.internals.blocking import BlockingRule

    rules = list(linker._settings_obj._blocking_rules_to_generate_predictions)
    if not rules or any(type(r) is not BlockingRule for r in rules):
        return None
    return rules


def register_blocked_pairs(linker: Any, records: str) -> Any | None:
    """Compute the blocked pairs of the linker's rules over the DuckDB table `records` and
    register them for `linker.inference.predict()`; returns the registered table (drop it
    after predicting), or None when the rules need Splink's own blocking."""
    rules = plain_rules(linker)
    if rules is None:
        return None
    uid = linker._settings_obj.column_info_settings.unique_id_column_name
    con = linker._db_api.duckdb_con
    n = next(_TABLES)
    found, pairs = f"__memorybook_found_pairs_{n}", f"__memorybook_blocked_pairs_{n}"
    try:
        for i, rule in enumerate(rules):
            into = f"insert into {found}" if i else f"create temp table {found} as"
            con.execute(
                f"{into} select {rule.match_key} as k, l.{uid} as l, r.{uid} as r"
                f" from {records} as l inner join {records} as r"
                f" on ({rule.blocking_rule_sql}) where l.{uid} < r.{uid}"
            )
        con.execute(
            f"create table {pairs} as select cast(min(k) as varchar) as match_key,"
            f" l as join_key_l, r as join_key_r from {found} group by l, r"
        )
    finally:
        con.execute(f"drop table if exists {found}")
    registered = linker._db_api.register(pairs)
    return linker.table_management.register_blocked_pairs_for_predict(registered)
