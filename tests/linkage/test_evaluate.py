"""The evaluation's arithmetic on hand-made cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from memorybook.errors import MemorybookError
from memorybook.linkage.evaluate import bcubed, held_out_pairs, load_pairs, pair_scores, pairwise


def test_pairwise_counts_pairs_of_records() -> None:
    truth = [[1, 2, 3], [4, 5], [6]]
    # One true pair found (1-2), one wrong (5-6), 3-1/3-2 and 4-5 missed.
    predicted = [[1, 2], [3], [4], [5, 6]]
    s = pairwise(predicted, truth)
    assert (s.precision, s.recall) == (0.5, 0.25)
    assert s.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75, abs=1e-4)
    perfect = pairwise(truth, truth)
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)


def test_bcubed_averages_over_records() -> None:
    truth = [[1, 2], [3]]
    predicted = [[1, 2, 3]]
    s = bcubed(predicted, truth)
    # Records 1 and 2: precision 2/3, recall 1; record 3: precision 1/3, recall 1.
    assert s.precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3, abs=1e-4)
    assert s.recall == 1.0
    split = bcubed([[1], [2], [3]], truth)
    assert (split.precision, split.recall) == (1.0, pytest.approx(2 / 3, abs=1e-4))


def test_labelled_pairs() -> None:
    labelled = {(1, 2): True, (3, 4): True, (5, 6): False, (7, 8): False}
    person_of = {1: 0, 2: 0, 3: 1, 4: 2, 5: 3, 6: 3, 7: 4, 8: 5}
    s = pair_scores(labelled, person_of)
    assert (s.precision, s.recall) == (0.5, 0.5)


def test_a_threshold_chosen_on_half_of_the_pairs_is_judged_on_the_other() -> None:
    """The pairs are split by a hash of their lower id; the threshold is the lowest whose
    precision reaches the goal on the first half, and the other half is scored at it."""
    import hashlib

    half = {a: hashlib.sha256(str(a).encode()).digest()[0] % 2 for a in range(1, 200, 2)}
    choose = [a for a in sorted(half) if half[a] == 0][:2]
    judge = [a for a in sorted(half) if half[a] == 1][:2]
    # Each labelled pair (a, a + 1) is true; at 0.5 every pair is joined, at 0.9 only the
    # first of each half; plus one wrong join (judge half) at 0.5.
    labelled = {(a, a + 1): True for a in choose + judge}
    wrong = judge[1] + 1, judge[1] + 1000
    labelled[(judge[1], judge[1] + 1000)] = False
    low = [[a, a + 1] for a in choose + judge[:1]] + [[judge[1], judge[1] + 1, wrong[1]]]
    high = [[choose[0], choose[0] + 1], [judge[0], judge[0] + 1]]
    h = held_out_pairs({0.5: low, 0.9: high}, labelled, 0.98)
    assert h["threshold"] == 0.5 and h["pairs"] == [2, 3]
    assert h["choose_half"]["recall"] == 1.0
    assert (h["judge_half"]["precision"], h["judge_half"]["recall"]) == (
        pytest.approx(2 / 3, abs=1e-4),
        1.0,
    )
    assert h["judge_half_sweep"]["0.9"]["recall"] == 0.5


def test_pairs_file_is_read_by_locator(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    lines = [
        {
            "a": {"file": "1.htm", "index": 0},
            "b": {"file": "list9.yaml", "index": 3},
            "same": True,
            "reason": "r",
        },
        {
            "a": {"file": "1.htm", "index": 1},
            "b": {"file": "list9.yaml", "index": 3},
            "same": False,
            "reason": "r",
        },
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    locate = {("1.htm", 0): 10, ("1.htm", 1): 11, ("list9.yaml", 3): 5}
    assert load_pairs(path, locate) == {(5, 10): True, (5, 11): False}
    with pytest.raises(MemorybookError, match="line 1"):
        load_pairs(path, {})


def test_misses_say_how_rare_the_full_name_is() -> None:
    from types import SimpleNamespace

    from memorybook.linkage.engine import ScoredPair
    from memorybook.linkage.evaluate import classify_misses
    from memorybook.linkage.record import LinkRecord

    def rec(i: int, surname: str) -> LinkRecord:
        return LinkRecord(i, str(i), "stalin-lists", surname=surname, given_name="Иван",
                          patronymic="Петрович", region="Курская область")  # fmt: skip

    records = {1: rec(1, "Кулицкий"), 2: rec(2, "Кулицкий")}
    records.update({i: rec(i, "Попов") for i in (3, 4, 5)})
    gamma = {"list_regions": "same region"}
    scored = SimpleNamespace(
        pairs=[ScoredPair(1, 2, 0.9, 3.0, gamma), ScoredPair(3, 4, 0.9, 3.0, gamma)]
    )
    out = classify_misses(records, [[1, 2], [3, 4], [5]], [[1], [2], [3], [4], [5]], scored, 0.99)
    kinds = list(out["false_negatives"])
    assert any("(carried by these two only); region: same region" in k for k in kinds)
    assert any("(a common name); region: same region" in k for k in kinds)
