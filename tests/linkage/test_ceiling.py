"""The ceiling of a class-based rule and the reference's join rates, on hand-made pairs."""

from __future__ import annotations

import pytest

from memorybook.linkage.ceiling import ceiling, variant_join_rates
from memorybook.linkage.engine import ScoredPair
from memorybook.linkage.record import LinkRecord

IDENTICAL = {"surname": "identical", "given": "identical", "patronymic": "identical"}


def rec(i: int, surname: str, given: str = "Иван", patronymic: str = "Петрович", lst: str = "1"):
    return LinkRecord(
        i, str(i), "stalin-lists", surname=surname, given_name=given, patronymic=patronymic,
        list_id=f"s|{lst}",
    )  # fmt: skip


def pair(a: int, b: int, **levels: str) -> ScoredPair:
    return ScoredPair(a, b, 0.5, 0.0, {**IDENTICAL, "lists": "x", **levels})


def test_the_ceiling_accepts_the_purest_classes_first_and_judges_persons() -> None:
    records = {i: rec(i, f"Фамилия{i // 2}") for i in range(8)} | {
        8: rec(8, "Иванов"), 9: rec(9, "Иванов"), 10: rec(10, "Иванов"), 11: rec(11, "Иванов")
    }  # fmt: skip
    scored = [
        pair(0, 1, lists="a"),
        pair(2, 3, lists="a"),
        pair(4, 5, lists="a"),  # all true
        pair(6, 7, lists="b"),  # true, alone in its class
        pair(8, 9, lists="c"),
        pair(10, 11, lists="c"),  # one true, one namesake pair
    ]
    true = {(0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (12, 13)}  # (12, 13) never scored
    c = ceiling(scored, records, true, precision_goal=0.98)
    assert c["classes"] == 3 and c["true_pairs_scored"] == 5
    # Classes a and b are pure: 4 of the 6 true pairs; class c would bring a wrong pair.
    assert c["best"] == {"precision": 1.0, "recall": round(4 / 6, 4), "classes": 2}
    # Chosen on half 0 ((0, 1) of class a, (8, 9) of class c: both true), class c looks pure
    # and class b is unseen; judged on half 1, class c brings the namesake pair (10, 11).
    half_of = {i: 0 if i in (0, 1, 8, 9, 12, 13) else 1 for i in range(14)}
    held = ceiling(scored, records, true, 0.98, half_of=half_of)["held_out"]
    assert held == {"precision": 1.0, "recall": round(2 / 3, 4), "classes": 1}


def test_a_joined_chain_counts_every_pair_of_the_person() -> None:
    records = {i: rec(i, "Редкий") for i in range(3)}
    scored = [pair(0, 1), pair(1, 2)]
    true = {(0, 1), (1, 2), (0, 2)}
    assert ceiling(scored, records, true, 0.98)["best"]["recall"] == 1.0


def test_join_rates_on_lists_that_share_persons_leave_the_pair_itself_out() -> None:
    # Lists 1 and 2 share three persons joined under identical names; a fourth is printed
    # with its patronymic spelled differently and left apart by the editors.
    records = {}
    for k in range(3):
        records[2 * k] = rec(2 * k, f"Один{k}", lst="1")
        records[2 * k + 1] = rec(2 * k + 1, f"Один{k}", lst="2")
    records[6] = rec(6, "Туров", patronymic="Алферович", lst="1")
    records[7] = rec(7, "Туров", patronymic="Альферович", lst="2")
    scored = [pair(0, 1), pair(2, 3), pair(4, 5), pair(6, 7, patronymic="variant")]
    true = {(0, 1), (2, 3), (4, 5)}
    rates = variant_join_rates(scored, records, true, min_shared=2)
    assert rates["list_pairs"] == 1
    assert rates["identical"] == {"pairs": 3, "joined": 3, "rate": 1.0}
    assert rates["variant"] == {"pairs": 1, "joined": 0, "rate": 0.0}
    # Each identical pair qualifies the lists by the other two only: with three needed, none.
    none = variant_join_rates(scored, records, true, min_shared=3)
    assert none["identical"]["pairs"] == 0 and none["variant"]["pairs"] == 1
    assert none["identical"]["rate"] is None


@pytest.mark.parametrize("goal", [0.5, 0.98])
def test_an_empty_run_has_nothing_to_accept(goal: float) -> None:
    c = ceiling([], {}, set(), goal)
    assert c["best"]["recall"] == 0.0 and c["classes"] == 0
