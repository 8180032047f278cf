"""The evaluation sets over the real Moscow list: queries generated from the list by written
rules (tests/data/search_eval.jsonl) and queries written by hand as relatives type them
(tests/data/search_eval_hand.jsonl), reported apart. Goals (issue 10): recall@10 ≥ 0.99
overall and ≥ 0.95 for partial and prefix queries, in each set; no confident answer for an
absent name."""

from __future__ import annotations

from typing import Any

import pytest

from memorybook.search.api import Searcher
from memorybook.search.evaluate import evaluate, format_report, load_items
from tests.conftest import REPO, needs_data

EVAL = REPO / "tests" / "data" / "search_eval.jsonl"
HAND = REPO / "tests" / "data" / "search_eval_hand.jsonl"

pytestmark = [needs_data, pytest.mark.slow]


@pytest.fixture(scope="module")
def report(moscow: Searcher) -> dict[str, Any]:
    rep = evaluate(moscow, load_items(EVAL, HAND))
    print(format_report(rep))
    return rep


def test_the_set_covers_every_kind() -> None:
    items = load_items(EVAL)
    kinds = {i["kind"] for i in items}
    assert len(items) - sum(i["kind"] == "absent" for i in items) >= 150
    assert sum(i["kind"] == "absent" for i in items) >= 20
    for kind in ("cyr_exact", "cyr_variant", "cyr_typo", "order", "patronymic", "latin_popular",
                 "latin_bgn", "latin_iso9", "latin_lc", "latin_scholarly", "latin_german",
                 "latin_french", "latin_polish", "native", "initials", "surname", "prefix",
                 "gender", "double", "alias", "filters"):  # fmt: skip
        assert kind in kinds, kind


def test_the_hand_written_set_covers_how_people_type() -> None:
    items = load_items(HAND)
    assert all(i["origin"] == "hand" for i in items)
    kinds = {i["kind"] for i in items}
    assert {"romanised", "typo", "partial", "prefix", "absent"} <= kinds
    assert sum(i["kind"] in ("partial", "prefix") for i in items) >= 40
    assert sum(i["kind"] == "absent" for i in items) >= 20


@pytest.mark.parametrize("origin", ["generated", "hand"])
def test_recall_goals(report: dict[str, Any], origin: str) -> None:
    r = report[origin]
    assert r["all"]["recall@10"] >= 0.99, r["all"]["failures"]
    assert r["partial+prefix"]["recall@10"] >= 0.95, r["partial+prefix"]["failures"]
    low = {k: v["recall@10"] for k, v in r.items() if k != "absent" and v["recall@10"] < 0.95}
    assert not low, {k: r[k]["failures"] for k in low}


@pytest.mark.parametrize("origin", ["generated", "hand"])
def test_absent_names_are_never_confident(report: dict[str, Any], origin: str) -> None:
    assert report[origin]["absent"]["confident_share"] == 0.0, report[origin]["absent"]["failures"]


def test_typed_names_rank_first(report: dict[str, Any]) -> None:
    # Not an aim of the issue, a guard against regressions: the person typed comes first.
    gen, hand = report["generated"], report["hand"]
    for kind in ("cyr_exact", "cyr_variant", "latin_popular", "native", "initials"):
        assert gen[kind]["p@1"] >= 0.9, (kind, gen[kind]["failures"])
    for kind in ("romanised", "partial", "prefix"):
        assert hand[kind]["p@1"] >= 0.9, (kind, hand[kind]["failures"])
