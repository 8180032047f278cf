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


def test_two_double_surnames_differing_in_their_second_part_are_not_one_part() -> None:
    """Рыкова-Маршак / Рыкова is one part of a double surname; Витковская-Лянда /
    Витковская-Лянды is a variant of the whole surname, compared as such."""
    from tests.linkage.small import person_a

    names = ["Витковская-Лянда", "Витковская-Лянды", "Витковская"]
    records = [
        LinkRecord(i + 1, str(i), "x", surname=s, given_name="Мария", patronymic="Ивановна")
        for i, s in enumerate(names)
    ]
    # Other people, each printed twice, for the model to train on.
    for i in range(40):
        s, g, p, year, _ = person_a(i)
        for copy in range(2):
            records.append(
                LinkRecord(
                    100 + 2 * i + copy, f"o{i}-{copy}", "x", surname=s, given_name=g,
                    patronymic=p, birth_from=year, birth_to=year,
                )
            )  # fmt: skip
    gamma = {(p.a, p.b): p.gamma["surname"] for p in score(records, threshold=0.0).pairs}
    assert gamma[(1, 2)] == "similar"
    assert gamma[(1, 3)] == gamma[(2, 3)] == "one part of a double surname"
