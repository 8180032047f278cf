"""The engine's failures reach the user as one line, never a traceback."""

from __future__ import annotations

import pytest

from memorybook.errors import LinkageFailed
from memorybook.linkage.engine import predict, score
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


def test_clusters_in_the_engine_are_the_connected_components_of_the_accepted_pairs() -> None:
    # Two people printed twice each (one with a misprinted surname) and a stranger.
    people = [
        ("Крон", "Арнольд", "Фрицевич", 1898),
        ("Кронн", "Арнольд", "Фрицевич", 1898),
        ("Шевчук", "Пётр", "Иванович", 1901),
        ("Шевчук", "Петр", "Иванович", 1901),
        ("Ли", "Вилли", "Карлович", 1880),
    ]
    records = [
        LinkRecord(i + 1, f"k{i}", "x", surname=s, given_name=g, patronymic=p,
                   birth_from=y, birth_to=y)
        for i, (s, g, p, y) in enumerate(people * 2)
    ]  # fmt: skip
    threshold = 0.5
    with predict(records, threshold=0.01) as prediction:
        pairs = prediction.pairs_table().to_pylist()
        clusters = prediction.clusters(threshold).to_pylist()
    parent = {r.id: r.id for r in records}

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for p in pairs:
        if p["match_probability"] >= threshold:
            parent[find(p["unique_id_l"])] = find(p["unique_id_r"])
    expected = {frozenset(i for i in parent if find(i) == find(r)) for r in parent}
    by_cluster: dict[object, set[int]] = {}
    for row in clusters:
        by_cluster.setdefault(row["cluster_id"], set()).add(row["unique_id"])
    assert {frozenset(c) for c in by_cluster.values()} == expected
    assert sorted(row["unique_id"] for row in clusters) == [r.id for r in records]
    assert any(len(c) > 1 for c in expected)
