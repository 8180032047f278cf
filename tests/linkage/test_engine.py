"""The engine's failures reach the user as one line, never a traceback."""

from __future__ import annotations

import pytest

from memorybook.errors import LinkageFailed
from memorybook.linkage.engine import score
from memorybook.linkage.record import LinkRecord


def test_a_stored_model_that_does_not_fit_fails_in_one_line() -> None:
    records = [
        LinkRecord(1, "a", "x", surname="Крон", given_name="Арнольд", patronymic="Фрицевич"),
        LinkRecord(2, "b", "y", surname="Крон", given_name="Вилли", patronymic="Иванович"),
    ]
    stale = {"probability_two_random_records_match": 0.001, "comparisons": []}
    with pytest.raises(LinkageFailed) as err:
        score(records, trained=stale)
    assert "\n" not in str(err.value) and str(err.value).startswith("linkage could not run")
