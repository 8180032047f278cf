"""Time limits of reads (read_store.time_limit) on both backends: a statement past its limit
is interrupted as QueryTimeout, limits nest (the earliest deadline wins, the enclosing one
comes back after an inner block), and the connection goes on reading afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, Engine, text

from memorybook.storage import read_store as rs

# Counts to a hundred million: seconds on either backend, far past the limits below.
SLOW = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000)"
    " SELECT COUNT(*) FROM c"
)


def _pg_limit_ms(conn: Connection) -> int:
    value = str(conn.execute(text("SELECT current_setting('statement_timeout')")).scalar())
    return 0 if value == "0" else int(value.removesuffix("ms").removesuffix("s"))


def test_a_slow_read_is_interrupted_and_the_connection_reads_on(engine: Engine) -> None:
    with engine.connect() as conn:
        with pytest.raises(rs.QueryTimeout), rs.time_limit(conn, 0.2):
            conn.execute(text(SLOW)).scalar()
        assert conn.execute(text("SELECT 1")).scalar() == 1
        # Again in the same transaction: the first interruption left nothing behind.
        with pytest.raises(rs.QueryTimeout), rs.time_limit(conn, 0.2):
            conn.execute(text(SLOW)).scalar()
        assert conn.execute(text("SELECT 2")).scalar() == 2
        if engine.dialect.name == "postgresql":
            assert _pg_limit_ms(conn) == 0  # no limit outlives its block


def test_limits_nest_and_the_enclosing_one_comes_back(engine: Engine) -> None:
    pg = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        for _ in range(8):  # the same statements again and again (psycopg prepares repeats)
            with rs.time_limit(conn, 30):
                with rs.time_limit(conn, 5):
                    if pg:
                        assert 0 < _pg_limit_ms(conn) <= 5000
                    assert conn.execute(text("SELECT 3")).scalar() == 3
                if pg:
                    assert 5000 < _pg_limit_ms(conn) <= 30000
                # An inner block interrupted: the outer block's reads go on, under its limit.
                with pytest.raises(rs.QueryTimeout), rs.time_limit(conn, 0.1):
                    conn.execute(text(SLOW)).scalar()
                assert conn.execute(text("SELECT 4")).scalar() == 4
                if pg:
                    assert 5000 < _pg_limit_ms(conn) <= 30000
            if pg:
                assert _pg_limit_ms(conn) == 0


def test_an_error_inside_a_limit_is_raised_and_the_connection_reads_on(engine: Engine) -> None:
    with engine.connect() as conn:
        with pytest.raises(Exception) as caught, rs.time_limit(conn, 5):
            conn.execute(text("SELECT no_such_column FROM record")).all()
        assert not isinstance(caught.value, rs.QueryTimeout)
        assert conn.execute(text("SELECT COUNT(*) FROM record")).scalar() == 0
        with pytest.raises(KeyError), rs.time_limit(conn, 5):
            raise KeyError("not a database error")
        assert conn.execute(text("SELECT 5")).scalar() == 5
