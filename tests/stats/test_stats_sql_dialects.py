"""The statistics' and maps' SQL is SQLAlchemy Core that compiles for PostgreSQL as well as
SQLite (no SQLite-only function), checked without a server: each query is compiled by the
PostgreSQL dialect instead of run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from memorybook import stats
from memorybook.model.plausible import BOUNDS, PERIOD_END, PERIOD_START
from memorybook.stats import mapping
from memorybook.storage import stats_store as ss


class Compiling:
    """Stands in for a Connection: compiles every statement for a dialect, returns nothing."""

    def __init__(self, dialect: Any) -> None:
        self.dialect = dialect
        self.sql: list[str] = []

    def execute(self, statement: Any, *args: Any) -> Any:
        self.sql.append(str(statement.compile(dialect=self.dialect)))
        return Empty()


class Empty(list[Any]):
    def scalar(self) -> int:
        return 0


@pytest.mark.parametrize("dialect", [postgresql.dialect(), sqlite.dialect()], ids=["pg", "sqlite"])
def test_stats_sql_compiles_for_both_backends(dialect: Any) -> None:
    conn = Compiling(dialect)
    for fn in stats.CHARTS.values():
        fn(conn)  # type: ignore[arg-type]
    for name in stats.SELECTION_TITLES:
        stats.entries(conn, name)  # type: ignore[arg-type]
    mapping.map_places(conn)  # type: ignore[arg-type]
    mapping.map_houses(conn)  # type: ignore[arg-type]
    ss.layer_counts(conn)  # type: ignore[arg-type]
    sql = "\n".join(conn.sql)
    assert len(conn.sql) >= 15
    if dialect.name == "postgresql":
        assert "json_each" not in sql and "strftime" not in sql.lower()
        assert "EXTRACT(year FROM" in sql and "row_number() OVER" in sql


def test_stats_selections_cover_every_title() -> None:
    for name in stats.SELECTION_TITLES:
        assert ss.selection(name, BOUNDS, PERIOD_START, PERIOD_END) is not None
    assert set(stats.SELECTION_TITLES) == set(ss.SELECTIONS)
    with pytest.raises(KeyError):
        ss.selection("x", BOUNDS, dt.date(1937, 1, 1), dt.date(1938, 12, 31))
