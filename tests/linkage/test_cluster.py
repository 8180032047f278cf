"""Constrained clustering and stable person ids, on hand-made graphs."""

from __future__ import annotations

import datetime as dt

from memorybook.linkage.cluster import Edge, cluster, contradiction, person_keys
from memorybook.linkage.record import LinkRecord


def test_a_not_same_pair_is_split_at_the_weakest_link() -> None:
    # 1-2-3-4 in a chain; 1 and 4 must stay apart; the weakest edge (3-4) gives way.
    edges = [Edge(1, 2, 0.999, "model"), Edge(2, 3, 0.998, "model"), Edge(3, 4, 0.991, "model")]
    out = cluster([1, 2, 3, 4, 5], edges, lambda x, y: {x, y} == {1, 4})
    assert out.members == [[1, 2, 3], [4], [5]]
    assert out.cut == {(3, 4)}


def test_a_same_decision_joins_what_the_model_left_apart() -> None:
    edges = [Edge(1, 2, 0.995, "model"), Edge(3, 4, 3.0, "human")]
    out = cluster([1, 2, 3, 4], edges, lambda x, y: False)
    assert out.members == [[1, 2], [3, 4]]


def test_transitive_closure_never_joins_a_not_same_pair() -> None:
    # A star around 5: 1 and 2 are different people, both strongly like 5.
    edges = [Edge(1, 5, 0.999, "model"), Edge(2, 5, 0.998, "model")]
    out = cluster([1, 2, 5], edges, lambda x, y: {x, y} == {1, 2})
    assert out.members == [[1, 5], [2]]


def test_execution_before_the_list_is_a_contradiction() -> None:
    shot = LinkRecord(1, "a", "moscow", execution=dt.date(1937, 11, 1))
    listed = LinkRecord(2, "b", "stalin", list_date=dt.date(1937, 11, 13))
    later = LinkRecord(3, "c", "stalin", list_date=dt.date(1937, 10, 20))
    assert contradiction(shot, listed) is not None
    assert contradiction(listed, shot) is not None
    assert contradiction(shot, later) is None
    one = LinkRecord(4, "d", "stalin", section="stalin|100|Москва")
    two = LinkRecord(5, "e", "stalin", section="stalin|100|Москва")
    assert contradiction(one, two) == "two entries of one section of one list"


def test_person_ids_stay_and_merged_ids_redirect() -> None:
    keys = {1: "k1", 2: "k2", 3: "k3", 4: "k0"}
    # First linking: every record alone (the importer's persons).
    old = {r: f"p-{k}" for r, k in keys.items()}
    ids, redirects = person_keys([[1, 2], [3], [4]], keys, old)
    assert ids == ["p-k1", "p-k3", "p-k0"]  # equal overlap: the smaller key wins
    assert redirects == {"p-k2": "p-k1"}
    # Record 4 (smallest key of all) joins person p-k1 later: the larger person keeps its id.
    now = {1: "p-k1", 2: "p-k1", 3: "p-k3", 4: "p-k0"}
    ids, redirects = person_keys([[1, 2, 4], [3]], keys, now)
    assert ids == ["p-k1", "p-k3"]
    assert redirects == {"p-k0": "p-k1"}
    # Re-linking the same clusters changes nothing.
    again = {1: "p-k1", 2: "p-k1", 3: "p-k3", 4: "p-k1"}
    assert person_keys([[1, 2, 4], [3]], keys, again) == (["p-k1", "p-k3"], {})
    # A split: the part without the anchor record gets its own id; the old id stays.
    ids, redirects = person_keys([[1], [2, 4], [3]], keys, again)
    assert ids == ["p-k1", "p-k0", "p-k3"]
    assert redirects == {}
