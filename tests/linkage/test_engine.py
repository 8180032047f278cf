"""The engine's failures reach the user as one line, never a traceback."""

from __future__ import annotations

from dataclasses import replace

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


def test_dates_regions_and_outcomes_are_compared_by_kind_of_pair() -> None:
    """Two list entries are compared by the comparisons of lists, a list entry and an
    execution by the others: each learns its m-probabilities from its own kind of pair,
    so that an archive of many executions does not teach that two lists of one region
    are rare for one person."""
    import datetime as dt

    from tests.linkage.small import GIVEN, PATR, SURNAMES

    records = []
    endings = ["", "а", "ов", "ин", "ский", "ко"]
    for i in range(120):  # 120 people, each printed twice (the anchors the model learns from)
        base = {
            "surname": SURNAMES[i % 20] + endings[i // 20],
            "given_name": GIVEN[i % len(GIVEN)],
            "patronymic": PATR[i % len(PATR)],
        }
        day = dt.date(1937, 9, 1) + dt.timedelta(days=3 * (i % 40))
        entry = LinkRecord(
            2000 + i, f"a{i}", "lists", **base, list_date=day, list_id=f"lists|{i % 9}",
            region="Курская область", outcome="shot",
        )  # fmt: skip
        if i % 2:  # re-listed forty days later
            other = replace(
                entry, id=3000 + i, key=f"b{i}", list_date=day + dt.timedelta(days=40),
                list_id=f"lists|{9 + i % 7}",
            )  # fmt: skip
        else:  # shot five days after the list
            other = LinkRecord(
                1000 + i, f"m{i}", "moscow", **base, execution=day + dt.timedelta(days=5),
                region="Москва", outcome="shot",
            )  # fmt: skip
        records += [entry, other]
    pairs = {(p.a, p.b): p.gamma for p in score(records, threshold=0.0).pairs}
    two_lists, list_and_execution = pairs[(2001, 3001)], pairs[(1000, 2000)]
    assert two_lists["lists"] == "lists within three months"
    assert two_lists["list_regions"] == "same region"
    assert two_lists["pair_kind"] == "two list entries"
    assert two_lists["sanction"] == "no execution and list"
    assert two_lists["region"] == "region unknown" and two_lists["outcome"] == "outcome unknown"
    assert list_and_execution["sanction"] == "executed within ten days after the list"
    assert list_and_execution["lists"] == "no two lists"
    assert list_and_execution["list_regions"] == "region unknown"
    assert list_and_execution["pair_kind"] == "a list entry and an execution"


def _printed_variously() -> list[LinkRecord]:
    """People printed in two lists the ways the blocking rules exist for: identical, a
    misprinted surname, swapped surname and given name, initials only, no patronymic, in
    Latin letters, a list entry against an execution; and namesakes."""
    import datetime as dt

    from tests.linkage.small import GIVEN, PATR, SURNAMES

    out: list[LinkRecord] = []
    for i in range(80):
        s, g, p = SURNAMES[i % 20] + ["", "ов", "ин", "ский"][i // 20], GIVEN[i % 8], PATR[i % 6]
        day = dt.date(1937, 9, 1) + dt.timedelta(days=3 * (i % 30))
        a = LinkRecord(
            2 * i + 1, f"a{i}", "a", surname=s, given_name=g, patronymic=p,
            birth_from=1890 + i % 20, birth_to=1890 + i % 20, execution=day, region="Москва",
        )  # fmt: skip
        variants = [
            {},
            {"surname": s[:3] + "х" + s[4:]},
            {"surname": g, "given_name": s},
            {"given_name": g[0] + ".", "patronymic": p[0] + "."},
            {"patronymic": None, "birth_from": None, "birth_to": None},
            {"surname": "Milevskii", "given_name": "Ivan", "patronymic": "Ivanovich"},
            {"execution": None, "birth_from": None, "birth_to": None,
             "list_date": day - dt.timedelta(days=5), "list_id": f"l|{i % 3}",
             "surname": s[:-1] + "о" + s[-1], "region": "Курская область"},
            {"birth_from": 1860 + i % 20, "birth_to": 1860 + i % 20},
        ]  # fmt: skip
        b = replace(a, id=2 * i + 2, key=f"b{i}", family="b", **variants[i % len(variants)])
        out += [a, b]
    # A Korean name printed as one hyphenated word, nothing besides, in both lists.
    out += [LinkRecord(1000 + i, f"k{i}", "ab"[i], surname="Ким-Дю-Ван") for i in range(2)]
    return out


def test_blocking_one_rule_at_a_time_scores_the_pairs_splink_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DuckDB's blocking runs each rule as its own statement (linkage.blocking): the same
    pairs, the same scores as Splink's one statement."""
    from memorybook.linkage import blocking

    records = _printed_variously()

    def scored() -> dict[tuple[int, int], float]:
        with predict(records, threshold=0.0) as prediction:
            rows = prediction.pairs_table().to_pylist()
        return {(r["unique_id_l"], r["unique_id_r"]): r["match_weight"] for r in rows}

    ours = scored()
    monkeypatch.setattr(blocking, "register_blocked_pairs", lambda linker, records: None)
    splinks = scored()
    assert ours.keys() == splinks.keys()
    assert len(ours) > len(records) // 2
    assert all(abs(ours[k] - splinks[k]) < 1e-9 for k in ours)
