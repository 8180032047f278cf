"""Comparison levels of the model, evaluated on single pairs of feature rows in DuckDB (the
SQL every backend runs), and which records are compared at all."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from memorybook.linkage import model as m
from memorybook.linkage.source_rows import has_name

LIST_DAY = 13_829  # 1937-11-13 as a day number from 1900-01-01


def level(comparison: Any, left: dict[str, Any], right: dict[str, Any]) -> str:
    """The label of the first level whose condition holds for the pair (left, right)."""
    columns = sorted(set(left) | set(right))
    values = {f"{c}_l": left.get(c) for c in columns} | {f"{c}_r": right.get(c) for c in columns}
    con = duckdb.connect()
    try:
        select = ", ".join(
            f"CAST(? AS {'INTEGER[]' if c.startswith('peers') else 'VARCHAR' if c.startswith(('region', 'outcome', 'list_id')) else 'BIGINT'}) AS {c}"
            for c in values
        )
        con.execute(f"CREATE TABLE p AS SELECT {select}", list(values.values()))
        for lvl in comparison._comparison_levels:
            (hit,) = con.execute(
                f"SELECT coalesce(({lvl['sql_condition'].replace('ELSE', 'true')}), false) FROM p"
            ).fetchone()
            if hit:
                return str(lvl["label_for_charts"])
    finally:
        con.close()
    raise AssertionError("no level applies")


def _entry(**kw: Any) -> dict[str, Any]:
    row = {"execution_day": None, "list_day": None, "list_id": None, "peers": None, "grp": None}
    row.update({"region": None, "region_grp": None})
    return row | kw


LIST = _entry(list_day=LIST_DAY, list_id="l|1", grp=1, peers=[2], region="moscow-centre")


@pytest.mark.parametrize(
    ("days", "shared", "expected"),
    [
        (-3, True, "executed before the list"),
        (4, True, "executed within ten days after the list, lists share other names"),
        (40, True, "executed within three months after the list, lists share other names"),
        (4, False, "executed within ten days after the list"),
        (200, False, "executed within a year after the list"),
        (640, False, "executed more than a year after the list"),
    ],
)
def test_a_long_delay_after_the_list_is_a_level_of_its_own_not_a_contradiction(
    days: int, shared: bool, expected: str
) -> None:
    """Only an execution before the list contradicts it; months and years of delay (people
    held for the Military Collegium) are levels the anchors weigh; the names the list and
    the day of executions share belong to this comparison."""
    # Peers are mutual (`features.group_peers` pairs the groups both ways).
    execution = _entry(
        execution_day=LIST_DAY + days, grp=2 if shared else 3, peers=[1] if shared else None,
        region="moskva",
    )  # fmt: skip
    assert level(m.sanction_comparison(), LIST, execution) == expected
    assert level(m.sanction_comparison(), execution, LIST) == expected


def test_a_list_and_an_execution_sharing_names_are_not_counted_again_by_the_region() -> None:
    execution = _entry(execution_day=LIST_DAY + 4, grp=2, peers=[1], region="moscow-centre")
    assert level(m.region_comparison(), LIST, execution) == "same region"
    other_list = _entry(list_day=LIST_DAY + 1, list_id="l|2", grp=2, region="moscow-centre")
    day_of_executions = _entry(execution_day=LIST_DAY + 1, grp=2, peers=[1])
    # Two days of executions that share names: the region comparison still says so.
    assert (
        level(m.region_comparison(), _entry(execution_day=LIST_DAY, grp=1, peers=[2]),
              day_of_executions)
        == "lists share other names"
    )  # fmt: skip
    assert level(m.region_comparison("list_regions", m.ON_TWO_LISTS), LIST, other_list) == (
        "same region, lists share other names"
    )


def test_a_name_printed_as_one_hyphenated_word_is_compared_a_lone_surname_is_not() -> None:
    assert has_name({"surname": "Ким-Дю-Ван", "given_name": None, "patronymic": None})
    assert has_name({"surname": "Ван-И"})
    assert not has_name({"surname": "Иванов", "given_name": None, "patronymic": None})
    assert not has_name({"surname": "-Ли-", "given_name": None})
    assert has_name({"surname": "Иванов", "given_name": "Иван"})
    assert not has_name({"surname": None, "given_name": "Иван"})


def test_a_given_name_one_letter_apart_is_its_own_level_for_long_names_only() -> None:
    given = m.given_comparison()

    def names(a: str, b: str) -> str:
        from memorybook.linkage.features import feature_row
        from memorybook.linkage.record import LinkRecord

        rows = [
            feature_row(LinkRecord(i, str(i), "x", surname="Берлинер", given_name=g))
            for i, g in enumerate((a, b))
        ]
        keys = ("gn", "gn_sk", "gn_grp", "gn_init", "sn_sk")
        return level_str(given, [{k: r[k] for k in keys} for r in rows])

    assert names("Элиазар", "Елизар") == "one letter apart"
    assert names("Иван", "Иона") != "one letter apart"  # short names: one letter is a name
    assert names("Александр", "Иван") == "different"


def level_str(comparison: Any, rows: list[dict[str, Any]]) -> str:
    """`level` for string columns."""
    left, right = rows
    con = duckdb.connect()
    try:
        cols = [f"CAST(? AS VARCHAR) AS {c}_{s}" for s in "lr" for c in left]
        con.execute(
            f"CREATE TABLE p AS SELECT {', '.join(cols)}", [*left.values(), *right.values()]
        )
        for lvl in comparison._comparison_levels:
            sql = lvl["sql_condition"] if isinstance(lvl, dict) else None
            if sql is None:
                sql = lvl.get_comparison_level("duckdb").sql_condition
                label = lvl.create_label_for_charts() if not isinstance(lvl, dict) else ""
                label = getattr(lvl, "_label_for_charts", None) or label
            else:
                label = lvl["label_for_charts"]
            (hit,) = con.execute(
                f"SELECT coalesce(({sql.replace('ELSE', 'true')}), false) FROM p"
            ).fetchone()
            if hit:
                return str(label)
    finally:
        con.close()
    raise AssertionError("no level applies")


def test_a_misprinted_surname_is_blocked_between_a_list_entry_and_an_execution() -> None:
    """Lists print no birth years: Сулковский (shot) / Суковский (on the list) is compared by
    the first or last letters of the surname with the given name and patronymic, only
    between a list entry and an execution (two entries of lists stay with the other rules)."""
    import datetime as dt

    import pyarrow as pa
    from splink.internals.blocking_rule_creator_utils import to_blocking_rule_creator

    from memorybook.linkage.features import feature_table
    from memorybook.linkage.record import LinkRecord

    name = {"given_name": "Федор", "patronymic": "Владимирович"}
    shot = LinkRecord(1, "a", "m", surname="Сулковский", execution=dt.date(1937, 11, 27), **name)
    listed = LinkRecord(
        2, "b", "s", surname="Суковский", list_date=dt.date(1937, 11, 1), list_id="s|92", **name
    )
    relisted = LinkRecord(
        3, "c", "s", surname="Сулковский", list_date=dt.date(1937, 12, 1), list_id="s|93", **name
    )
    table: pa.Table = feature_table([shot, listed, relisted])
    rules = [
        to_blocking_rule_creator(r).get_blocking_rule("duckdb").blocking_rule_sql
        for r in m.BLOCKING_RULES
    ]
    con = duckdb.connect()
    try:
        con.register("f", table)
        any_rule = " OR ".join(f"coalesce(({r}), false)" for r in rules)
        kept = con.execute(
            f"SELECT l.unique_id, r.unique_id FROM f l JOIN f r ON l.unique_id < r.unique_id"
            f" WHERE {any_rule} ORDER BY 1, 2"
        ).fetchall()
    finally:
        con.close()
    assert kept == [(1, 2), (1, 3)]  # two lists misprinted apart: no rule without a region


@pytest.mark.parametrize(
    ("centre_day", "region_day", "expected"),
    [
        (LIST_DAY, LIST_DAY + 60, "the centre's list, later a region's"),
        (LIST_DAY + 60, LIST_DAY, "the centre and a region"),
        (LIST_DAY, LIST_DAY, "the centre and a region"),
    ],
)
def test_which_came_first_the_centre_s_list_or_the_region_s_is_a_level(
    centre_day: int, region_day: int, expected: str
) -> None:
    """People arrested in a region were brought to Moscow and put on the centre's lists
    later; a region's list after the centre's is another kind of pair, weighed apart."""
    centre = _entry(list_day=centre_day, list_id="l|1", grp=1, region="moscow-centre")
    region = _entry(list_day=region_day, list_id="l|2", grp=2, region="sverd", region_grp="sverd")
    centre["region_grp"] = "moscow"
    lists = m.region_comparison("list_regions", m.ON_TWO_LISTS)
    assert level(lists, centre, region) == expected
    assert level(lists, region, centre) == expected
