"""How far the evidence can go: measurements of the editors' grouping that bound what any
matcher can reach on it, beside the matcher's own figures (`linkage.evaluate`).

1. `ceiling`: the best recall at a precision goal of any rule that accepts or refuses whole
   classes of evidence. A class is what the model sees of a pair: the level of each of its
   comparisons, with how many records of the run carry the pair's full name and how common
   its surname is (the term-frequency adjustments' evidence, in steps). The classes are
   accepted in the order of how often the editors join their pairs — chosen with the
   editors' answers in hand, on the very pairs it is judged by, so the figure is
   optimistic: a matcher that weighs this evidence, however it weighs it, cannot rank the
   pairs better than this, and can rank them worse. Judged like the matcher, as persons
   (the accepted pairs joined into clusters), pairwise.
2. `variant_join_rates`: how consistently the reference itself joins one person printed
   twice. Lists were re-submitted and continued; on two lists that share several persons
   whom the editors joined under one identical full name, the editors' join rate of the
   other pairs that print one full name identically is set beside that of pairs where one
   part of the name is spelled differently (a letter, a spelling variant, an equivalent
   form). A gap between the two says the reference misses spelling variants, which counts
   a matcher that finds them as wrong.

Nothing here changes the matcher or reads the editors' identities into it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from memorybook.linkage.features import norm_name
from memorybook.linkage.record import LinkRecord

# Name levels that print one name part differently but are the model's variants of it.
VARIANT_LEVELS = frozenset(
    {"spelling variant", "similar", "variant", "one letter apart", "equivalent form", "same sound"}
)
NAME_COMPARISONS = ("surname", "given", "patronymic")
# Two lists count as one list re-submitted or continued when the editors joined at least
# this many of their persons printed with one identical full name.
RESUBMITTED_MIN_SHARED = 5


def full_name(r: LinkRecord) -> tuple[str | None, ...]:
    return (norm_name(r.surname), norm_name(r.given_name), norm_name(r.patronymic))


def _rarity(n: int, total: int) -> str:
    """A count of records as a step of frequency (per 10,000 records of the run)."""
    per = n / max(total, 1) * 1e4
    return "≤1" if per <= 1 else "≤3" if per <= 3 else "≤10" if per <= 10 else ">10"


def evidence_class(
    gamma: Mapping[str, str],
    a: LinkRecord,
    b: LinkRecord,
    names: Mapping[tuple[str | None, ...], int],
    surnames: Mapping[str | None, int],
    total: int,
) -> tuple[Any, ...]:
    """What the model sees of a pair: its comparison vector, how many records carry the
    pair's full name (2, 3, more; none when the two print it differently) and how common
    the rarer of its surnames is."""
    fa, fb = full_name(a), full_name(b)
    carried = min(names.get(fa, 0), 4) if fa == fb and None not in fa else 0
    common = min(surnames.get(fa[0], 0), surnames.get(fb[0], 0))
    return (*sorted(gamma.items()), carried, _rarity(common, total))


def _cluster_pairs(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs of records that `pairs` put in one cluster (connected components)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    members: dict[int, list[int]] = defaultdict(list)
    for x in parent:
        members[find(x)].append(x)
    out: set[tuple[int, int]] = set()
    for m in members.values():
        m.sort()
        out.update((m[i], y) for i in range(len(m)) for y in m[i + 1 :])
    return out


def ceiling(
    scored: Sequence[Any],
    records: Mapping[int, LinkRecord],
    true_pairs: set[tuple[int, int]],
    precision_goal: float,
    half_of: Mapping[int, int] | None = None,
) -> dict[str, Any]:
    """The best pairwise recall (persons as clusters of the accepted pairs) at precision ≥
    `precision_goal` of accepting whole classes of evidence, the classes taken in the order
    of their share of the editors' pairs (see the module's note: optimistic). With
    `half_of` (record -> 0 or 1, by the editors' person), the order is also chosen on the
    pairs of half 0 and judged on those of half 1 (`held_out`): how much of the
    in-sample figure is the order fitted to the pairs it is judged by."""
    total = len(records)
    names = Counter(full_name(r) for r in records.values())
    surnames = Counter(full_name(r)[0] for r in records.values())
    classes: dict[tuple[Any, ...], list[tuple[int, int]]] = defaultdict(list)
    for p in scored:
        a, b = records[p.a], records[p.b]
        classes[evidence_class(p.gamma, a, b, names, surnames, total)].append((p.a, p.b))

    def best_of(
        order: list[tuple[Any, ...]], judged: Callable[[tuple[int, int]], bool]
    ) -> dict[str, Any]:
        truth = {t for t in true_pairs if judged(t)}
        accepted: list[tuple[int, int]] = []
        best: dict[str, Any] = {"precision": 1.0, "recall": 0.0, "classes": 0}
        for i, key in enumerate(order, start=1):
            accepted.extend(pair for pair in classes[key] if judged(pair))
            joined = {pair for pair in _cluster_pairs(accepted) if judged(pair)}
            tp = len(joined & truth)
            precision = tp / len(joined) if joined else 1.0
            recall = tp / len(truth) if truth else 1.0
            if precision >= precision_goal and recall > best["recall"]:
                best = {"precision": round(precision, 4), "recall": round(recall, 4), "classes": i}
        return best

    def order_by(chosen: Callable[[tuple[int, int]], bool]) -> list[tuple[Any, ...]]:
        def share(key: tuple[Any, ...]) -> tuple[float, int]:
            seen = [pair for pair in classes[key] if chosen(pair)]
            if not seen:
                return (1.0, 0)  # a class the choosing half never shows comes last
            return (-sum(pair in true_pairs for pair in seen) / len(seen), -len(seen))

        return sorted(classes, key=share)

    out: dict[str, Any] = {
        "classes": len(classes),
        "pairs_scored": len(scored),
        "true_pairs_scored": sum((p.a, p.b) in true_pairs for p in scored),
        "best": best_of(order_by(lambda _p: True), lambda _p: True),
    }
    if half_of is not None:
        out["held_out"] = best_of(
            order_by(lambda pair: half_of.get(pair[0]) == 0),
            lambda pair: half_of.get(pair[0]) == 1,
        )
    return out


def _name_kind(gamma: Mapping[str, str]) -> str | None:
    levels = [gamma.get(c, "") for c in NAME_COMPARISONS]
    if all(lv == "identical" for lv in levels):
        return "identical"
    differing = [lv for lv in levels if lv != "identical"]
    if len(differing) == 1 and differing[0] in VARIANT_LEVELS:
        return "variant"
    return None


def variant_join_rates(
    scored: Sequence[Any],
    records: Mapping[int, LinkRecord],
    true_pairs: set[tuple[int, int]],
    min_shared: int = RESUBMITTED_MIN_SHARED,
) -> dict[str, Any]:
    """On pairs of lists sharing at least `min_shared` persons the editors joined under one
    identical full name (besides the pair itself): how many pairs of each kind (one full name
    printed identically, one part a variant) the model scored (`scored`: the pairs it
    compared, down to the evaluation's lowest threshold), and how many the editors joined."""

    def lists_of(a: int, b: int) -> tuple[str, str] | None:
        la, lb = records[a].list_id, records[b].list_id
        if la is None or lb is None or la == lb:
            return None
        return (la, lb) if la < lb else (lb, la)

    shared: Counter[tuple[str, str]] = Counter()
    for a, b in true_pairs:
        key = lists_of(a, b)
        fa = full_name(records[a])
        if key is not None and fa == full_name(records[b]) and None not in fa:
            shared[key] += 1
    counts: dict[str, dict[str, Any]] = {
        k: {"pairs": 0, "joined": 0} for k in ("identical", "variant")
    }
    for p in scored:
        key = lists_of(p.a, p.b)
        kind = _name_kind(p.gamma)
        if key is None or kind is None:
            continue
        joined = (p.a, p.b) in true_pairs
        # The two lists qualify by their other persons, not by this pair itself.
        if shared[key] - (joined and kind == "identical") < min_shared:
            continue
        counts[kind]["pairs"] += 1
        counts[kind]["joined"] += joined
    for c in counts.values():
        c["rate"] = round(c["joined"] / c["pairs"], 4) if c["pairs"] else None
    return {
        "list_pairs": sum(1 for n in shared.values() if n >= min_shared),
        "min_shared": min_shared,
        **counts,
    }
