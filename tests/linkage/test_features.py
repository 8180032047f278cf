"""The comparison columns: lists that share people, names in two scripts."""

from __future__ import annotations

import datetime as dt

import pytest

from memorybook.linkage.explain import explain
from memorybook.linkage.features import feature_table, group_key
from memorybook.linkage.record import LinkRecord

SURNAMES = ["Алексеев", "Борисов", "Васильев", "Григорьев", "Дмитриев", "Егоров"]


def _list(first_id: int, list_id: str, surnames: list[str]) -> list[LinkRecord]:
    return [
        LinkRecord(
            first_id + i,
            f"k{first_id + i}",
            "stalin-lists",
            surname=s,
            given_name="Иван",
            patronymic="Петрович",
            list_id=list_id,
        )
        for i, s in enumerate(surnames)
    ]


def _peers(records: list[LinkRecord]) -> dict[int, tuple[int, list[int] | None]]:
    rows = feature_table(records).select(["unique_id", "grp", "peers"]).to_pylist()
    return {r["unique_id"]: (r["grp"], r["peers"]) for r in rows}


def test_lists_that_share_several_names_are_peers_and_one_shared_name_is_not() -> None:
    # A and B share five names: re-submitted people. C shares one name with A: by chance.
    a = _list(1, "A", SURNAMES[:5])
    b = _list(10, "B", SURNAMES[:5])
    c = _list(20, "C", [SURNAMES[0], "Жуков", "Зайцев", "Ильин", "Кузнецов"])
    got = _peers(a + b + c)
    grp_a, grp_b, grp_c = got[1][0], got[10][0], got[20][0]
    assert len({grp_a, grp_b, grp_c}) == 3
    assert got[1][1] == [grp_b] and got[10][1] == [grp_a]
    assert got[20][1] is None  # C is nobody's peer


def test_two_shared_names_are_not_enough_when_one_is_the_pairs_own() -> None:
    # The pair's own name is always discounted: two shared names leave one other.
    got = _peers(_list(1, "A", SURNAMES[:2]) + _list(10, "B", SURNAMES[:2]))
    assert got[1][1] is None
    got = _peers(_list(1, "A", SURNAMES[:3]) + _list(10, "B", SURNAMES[:3]))
    assert got[1][1] == [got[10][0]]


def test_a_common_name_does_not_make_lists_peers() -> None:
    # The same full name on four lists is not rare enough to say anything about lists.
    common = [_list(10 * i, f"L{i}", ["Иванов", "Петров", "Сидоров"]) for i in range(1, 5)]
    got = _peers([r for lst in common for r in lst])
    assert all(peers is None for _, peers in got.values())


def test_a_record_without_a_list_is_grouped_by_its_day_of_execution() -> None:
    shot = LinkRecord(1, "a", "memorial-moscow", surname="Петров", execution=dt.date(1937, 11, 22))
    assert group_key(shot) == "memorial-moscow|executed|1937-11-22"
    assert group_key(LinkRecord(2, "b", "stalin-lists", surname="Петров", list_id="s|5")) == "s|5"
    assert group_key(LinkRecord(3, "c", "other", surname="Петров")) is None


def test_a_name_in_latin_letters_has_the_skeletons_of_its_cyrillic_form() -> None:
    rows = feature_table(
        [
            LinkRecord(
                1, "a", "x", surname="Назаров", given_name="Рафаил", patronymic="Николаевич"
            ),
            LinkRecord(
                2, "b", "y", surname="Nazarov", given_name="Rafail", patronymic="Nikolayevich"
            ),
        ]
    ).to_pylist()
    for col in ("sn_sk", "gn_sk", "pn_sk", "sn_pre", "sn_tail"):
        assert rows[0][col] == rows[1][col] is not None, col


def test_shared_lists_are_explained_in_words() -> None:
    a = LinkRecord(1, "a", "x", surname="Крон", region="Ленинград")
    b = LinkRecord(2, "b", "y", surname="Крон", region="Ленинград")
    why = explain(a, b, {"region": "same region, lists share other names"}, 0.999)
    assert why.en == "same region (Ленинград), both lists also carry other names in common"
    assert why.ru == "тот же регион (Ленинград), в обоих списках есть и другие общие имена"


def test_name_keys_from_forked_workers_equal_the_keys_computed_in_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # National scale computes the keys of many distinct names in worker processes; the
    # table must not depend on where they were computed.
    import memorybook.linkage.features as features

    names = ["Иванов", "Петров", "Шевчук", "Schmidt", "Рыкова-Маршак", "Ли", "Ivanov", "Жуков"]
    records = [
        LinkRecord(i + 1, f"k{i}", "x", surname=s, given_name="Иван", patronymic="Петрович")
        for i, s in enumerate(names * 3)
    ]
    serial = feature_table(records)
    monkeypatch.setattr(features, "PARALLEL_MIN", 2)
    monkeypatch.setattr(features, "_CHUNK", 3)
    monkeypatch.setattr(features.os, "cpu_count", lambda: 2)
    assert feature_table(records).equals(serial)


def test_a_misprint_in_a_surname_keeps_its_start_or_its_first_and_last_letters() -> None:
    # Blocking of misprinted surnames: a misprint after the third letter keeps `sn_pre`, one
    # before it keeps `sn_tail`.
    names = ["Трофимов", "Трофимчов", "Тарофимов", "Кузнецов", "Кузнецкий"]
    rows = feature_table(
        [LinkRecord(i + 1, str(i), "x", surname=s) for i, s in enumerate(names)]
    ).to_pylist()
    pre = [r["sn_pre"] for r in rows]
    tail = [r["sn_tail"] for r in rows]
    assert pre[0] == pre[1] and tail[0] != tail[1]
    assert tail[0] == tail[2] and pre[0] != pre[2]
    assert tail[3] != tail[4]
