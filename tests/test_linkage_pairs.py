"""The cross-source linkage dev set (tests/data/linkage_pairs.jsonl, README-linkage.md):
well-formed, and every locator names a real entry of ../shared/data."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from memorybook.ingest.formats.memorial_moscow import iter_entries as moscow_entries
from memorybook.ingest.formats.stalin_lists import iter_entries as list_entries

from .conftest import MOSCOW_PAGES, REPO, STALIN_LISTS, needs_data

PAIRS = REPO / "tests" / "data" / "linkage_pairs.jsonl"


def load() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line]


def test_the_set_is_well_formed_and_balanced() -> None:
    pairs = load()
    assert len(pairs) >= 150
    for p in pairs:
        assert set(p) == {"a", "b", "same", "reason"}
        assert set(p["a"]) == set(p["b"]) == {"file", "index"}
        assert re.fullmatch(r"\d+\.htm", p["a"]["file"]), p
        assert re.fullmatch(r"list\d+\.yaml", p["b"]["file"]), p
        assert isinstance(p["same"], bool)
        assert len(p["reason"]) > 20
        # Locators only: no text of the data (no Cyrillic) in the reasons.
        assert not re.search("[\u0400-\u04ff]", p["reason"]), p["reason"]
    keys = Counter(
        (p["a"]["file"], p["a"]["index"], p["b"]["file"], p["b"]["index"]) for p in pairs
    )
    assert max(keys.values()) == 1
    negatives = sum(not p["same"] for p in pairs)
    assert negatives / len(pairs) >= 0.40


@needs_data
def test_every_locator_is_a_real_entry() -> None:
    pairs = load()
    moscow: dict[str, int] = {}
    for name in {p["a"]["file"] for p in pairs}:
        moscow[name] = sum(1 for _ in moscow_entries(MOSCOW_PAGES / name))
    lists: dict[str, int] = {}
    for name in {p["b"]["file"] for p in pairs}:
        lists[name] = sum(1 for _ in list_entries(STALIN_LISTS / "lists" / name))
    for p in pairs:
        assert 0 <= p["a"]["index"] < moscow[p["a"]["file"]], p
        assert 0 <= p["b"]["index"] < lists[p["b"]["file"]], p


@needs_data
def test_one_list_entry_is_never_two_moscow_people() -> None:
    """A list entry labelled the same as two different Moscow entries would be a contradiction."""
    pairs = [p for p in load() if p["same"]]
    by_list: dict[tuple[str, int], set[tuple[str, int]]] = {}
    for p in pairs:
        key = (p["b"]["file"], p["b"]["index"])
        by_list.setdefault(key, set()).add((p["a"]["file"], p["a"]["index"]))
    assert all(len(v) == 1 for v in by_list.values())
