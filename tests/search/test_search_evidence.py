"""Minimum evidence for loose matches (typing errors, sound-alikes, Latin starts) on the real
Moscow list: strings typed at random find nobody, while the typing errors of both evaluation
sets still find their person."""

from __future__ import annotations

import random

import numpy as np
import pytest

from memorybook.search.api import Searcher
from memorybook.search.evaluate import evaluate, load_items
from memorybook.search.match import _edit_budget
from tests.conftest import REPO, needs_data

pytestmark = [needs_data]

_LATIN_CONSONANTS = "bcdfghjklmnpqrstvwxz"
_CYRILLIC_CONSONANTS = "бвгджзклмнпрстфхцчшщ"


def _mashed(rng: random.Random, letters: str, n: int) -> list[str]:
    """Strings hit on the keyboard without meaning a name: 4–9 random consonants, some
    capitalised as a search box may do."""
    out = []
    for i in range(n):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))
        out.append(word.capitalize() if i % 3 == 0 else word)
    return out


@pytest.mark.parametrize("seed", [1937, 1938, 2026])
def test_random_strings_find_nobody(moscow: Searcher, seed: int) -> None:
    rng = random.Random(seed)
    typed = _mashed(rng, _LATIN_CONSONANTS, 30) + _mashed(rng, _CYRILLIC_CONSONANTS, 30)
    found = {}
    for text in typed:
        for answer in (moscow.search(text), moscow.suggest(text), moscow.search(f"{text} ")):
            if answer.results:
                found[text] = [(h.name, h.why) for h in answer.results[:2]]
    assert not found, found


@pytest.mark.parametrize(
    "text",
    ["qwzx", "zzzzqqq", "гжрт", "чвлк", "бржн", "дцтз", "Skhkk", "zhpg", "mglv", "hjkl"],
)
def test_mashed_strings_seen_to_find_someone_before_find_nobody(
    moscow: Searcher, text: str
) -> None:
    # Each found a person before the rule (typing error, sound-alike or Latin start).
    assert moscow.search(text).results == []
    assert moscow.suggest(text).results == []


def test_typing_errors_of_the_evaluation_sets_still_find_their_person(moscow: Searcher) -> None:
    items = [
        i
        for i in load_items(
            REPO / "tests/data/search_eval.jsonl", REPO / "tests/data/search_eval_hand.jsonl"
        )
        if i["kind"] in ("cyr_typo", "typo")
    ]
    assert len(items) >= 30
    rep = evaluate(moscow, items)
    for origin, kind in (("generated", "cyr_typo"), ("hand", "typo")):
        assert rep[origin][kind]["recall@10"] == 1.0, rep[origin][kind]["failures"]


def test_edit_budget_grows_with_the_length_typed() -> None:
    budgets = np.array([_edit_budget(n) for n in range(1, 12)])
    assert list(budgets[:2]) == [0, 0]
    assert set(budgets[2:5]) == {1}
    assert set(budgets[5:]) == {2}
