"""Which blocking rules run on the hashed copy of the name keys (linkage.blocking)."""

from __future__ import annotations

from memorybook.linkage.blocking import compared_columns

TYPES = {"sn": "VARCHAR", "gn": "VARCHAR", "by": "BIGINT", "day": "BIGINT"}


def test_equalities_and_null_tests_read_their_columns() -> None:
    conditions = [
        '(l."sn" = r."sn") AND (l."by" = r."by")',
        "l.sn = r.gn AND l.gn = r.sn AND l.day IS NOT NULL AND r.day IS NULL",
    ]
    assert compared_columns(conditions, TYPES) == {"sn", "gn", "by", "day"}


def test_anything_else_keeps_the_records_own_columns() -> None:
    # A hash keeps equality only: a distance, a function of a column, a comparison of
    # two types or a column the table lacks would change which pairs are found.
    for condition in (
        "abs(l.by - r.by) <= 1",
        "substr(l.sn, 1, 3) = substr(r.sn, 1, 3)",
        "l.sn = r.sn OR l.gn = r.gn",
        "l.sn = r.by",
        "l.nope = r.nope",
        "l.sn = 'Иванов'",
    ):
        assert compared_columns(["l.gn = r.gn", condition], TYPES) is None, condition
