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

The rules join on text (name keys): each is run on a narrow copy of the columns they
compare, the text replaced by its 64-bit hash (a third less CPU than joining the text at
2 M records). Equal texts have equal hashes, so no pair is lost; two different texts with
one hash would add a pair to be scored like any other (at 2 M records, a chance of about
1 in 10 million). Rules that do more than compare columns for equality and test them for
null run on the records themselves.

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
    keys = f"__memorybook_blocking_keys_{n}"
    found, pairs = f"__memorybook_found_pairs_{n}", f"__memorybook_blocked_pairs_{n}"
    types = dict(con.execute(f"select name, type from pragma_table_info('{records}')").fetchall())
    compared = compared_columns([r.blocking_rule_sql for r in rules], types)
    try:
        source = records
        if compared is not None:
            con.execute(f"create temp table {keys} as select {_hashed(uid, compared, types)}"
                        f" from {records}")  # fmt: skip
            source = keys
        for i, rule in enumerate(rules):
            into = f"insert into {found}" if i else f"create temp table {found} as"
            con.execute(
                f"{into} select {rule.match_key} as k, l.{uid} as l, r.{uid} as r"
                f" from {source} as l inner join {source} as r"
                f" on ({rule.blocking_rule_sql}) where l.{uid} < r.{uid}"
            )
        con.execute(
            f"create table {pairs} as select cast(min(k) as varchar) as match_key,"
            f" l as join_key_l, r as join_key_r from {found} group by l, r"
        )
    finally:
        con.execute(f"drop table if exists {found}")
        con.execute(f"drop table if exists {keys}")
    registered = linker._db_api.register(pairs)
    return linker.table_management.register_blocked_pairs_for_predict(registered)


def compared_columns(conditions: list[str], types: dict[str, str]) -> set[str] | None:
    """The columns the conditions read, if each is a conjunction of equalities between two
    columns of one type (`l.a = r.b`) and tests for null; else None."""
    import sqlglot
    from sqlglot import exp

    columns: set[str] = set()

    def plain(node: Any) -> bool:
        if isinstance(node, exp.And):
            return plain(node.this) and plain(node.expression)
        if isinstance(node, exp.Paren):
            return plain(node.this)
        if isinstance(node, exp.Not):
            return isinstance(node.this, exp.Is) and plain(node.this)
        if isinstance(node, exp.Is):
            if isinstance(node.this, exp.Column) and isinstance(node.expression, exp.Null):
                columns.add(node.this.name)
                return node.this.name in types
            return False
        if isinstance(node, exp.EQ):
            a, b = node.this, node.expression
            if not (isinstance(a, exp.Column) and isinstance(b, exp.Column)):
                return False
            columns.update((a.name, b.name))
            return a.name in types and types.get(a.name) == types.get(b.name)
        return False

    for condition in conditions:
        if not plain(sqlglot.parse_one(condition, read="duckdb")):
            return None
    return columns


def _hashed(uid: str, columns: set[str], types: dict[str, str]) -> str:
    """The select list of the narrow copy: the id, and each compared column, text as its
    hash (null stays null)."""
    out = [f'"{uid}"']
    for c in sorted(columns - {uid}):
        out.append(
            f'if("{c}" is null, null, hash("{c}")) as "{c}"' if types[c] == "VARCHAR" else f'"{c}"'
        )
    return ", ".join(out)
