"""From scored pairs and decisions to persons.

Clustering with constraints: edges join records in order of strength (a human "same person"
decision first, then the source's own identities, then the model's accepted links, most
probable first); an edge is skipped when it would put two records that must stay apart into
one person: a stored "not the same person" decision, or a hard contradiction between the
records (an execution before the list that sanctioned it; two entries of one section of one
list). A cluster is therefore never held together by transitive closure across a NOT-SAME
pair: it splits at its weakest links.

Person ids stay stable: a person's id is "p-" + the content id of one of its records (its
anchor). A new cluster keeps the id of the earlier person it shares most records with
(whose anchor it holds); otherwise it takes its smallest record key. Ids that disappear
redirect to the person now holding their anchor record."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from memorybook.linkage.record import LinkRecord

PERSON_PREFIX = "p-"


@dataclass(frozen=True, slots=True)
class Edge:
    a: int
    b: int
    strength: float  # larger joins first
    kind: str  # "human", "source", "model"


@dataclass
class Clusters:
    members: list[list[int]]  # record ids, each list sorted
    cut: set[tuple[int, int]] = field(default_factory=set)  # edges refused by a constraint


def contradiction(x: LinkRecord, y: LinkRecord) -> str | None:
    """Why two records cannot be one person, or None."""
    for a, b in ((x, y), (y, x)):
        if a.execution is not None and b.list_date is not None and a.execution < b.list_date:
            return "executed before the list that sanctioned the sentence"
    if x.section is not None and x.section == y.section:
        return "two entries of one section of one list"
    return None


class _Components:
    def __init__(self, ids: Iterable[int]) -> None:
        self.parent = {i: i for i in ids}
        self.members = {i: [i] for i in self.parent}

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))


def cluster(
    ids: Iterable[int],
    edges: Sequence[Edge],
    cannot: Callable[[int, int], bool],
) -> Clusters:
    """Constrained clustering: join along `edges` (strongest first) unless `cannot(x, y)`
    holds for some x, y that the join would put together."""
    comps = _Components(ids)
    cut: set[tuple[int, int]] = set()
    for e in sorted(edges, key=lambda e: (-e.strength, e.a, e.b)):
        ra, rb = comps.find(e.a), comps.find(e.b)
        if ra == rb:
            continue
        if any(cannot(x, y) for x in comps.members[ra] for y in comps.members[rb]):
            cut.add((min(e.a, e.b), max(e.a, e.b)))
            continue
        comps.union(ra, rb)
    members = sorted((sorted(m) for m in comps.members.values()), key=lambda m: m[0])
    return Clusters(members=members, cut=cut)


def person_keys(
    clusters: Sequence[Sequence[int]],
    record_key: Mapping[int, str],
    old_person_of: Mapping[int, str],
) -> tuple[list[str], dict[str, str]]:
    """A stable id for each cluster, and redirects {old id: new id} for ids that go."""
    old_members: dict[str, set[int]] = {}
    for rid, pkey in old_person_of.items():
        old_members.setdefault(pkey, set()).add(rid)
    keys: list[str] = []
    holder: dict[int, str] = {}
    for members in clusters:
        mset = set(members)
        candidates = []
        for rid in members:
            pkey = PERSON_PREFIX + record_key[rid]
            if pkey in old_members:
                candidates.append((-len(old_members[pkey] & mset), pkey))
        key = (
            min(candidates)[1]
            if candidates
            else PERSON_PREFIX + min(record_key[r] for r in members)
        )
        keys.append(key)
        for rid in members:
            holder[rid] = key
    used = set(keys)
    by_record_key = {k: rid for rid, k in record_key.items()}
    redirects: dict[str, str] = {}
    for pkey, old_set in old_members.items():
        if pkey in used:
            continue
        anchor = by_record_key.get(pkey[len(PERSON_PREFIX) :])
        target = holder.get(anchor) if anchor is not None else None
        if target is None:  # anchor unknown: follow the smallest of its records
            target = holder.get(min(old_set))
        if target is not None and target != pkey:
            redirects[pkey] = target
    return keys, redirects
