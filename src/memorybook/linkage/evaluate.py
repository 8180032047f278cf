"""Evaluation of the matcher, ours beside a plain Splink baseline, in one run.

1. The editors' grouping, held out: over the Politburo lists, the stalin.memo.ru editors gave
   one person id to one person across lists. Linkage runs with those identities switched
   off; pairwise precision, recall and F1 and B-cubed compare its persons with theirs.
   Also reported: the blocking recall (the share of the editors' pairs that the declared
   blocking rules compare at all: a ceiling on recall) and the misses, classified.
2. Cross-source pairs: a hand-checked set of locator pairs (`{"a": locator, "b": locator,
   "same": bool, "reason": str}` per line) between the Moscow execution list and the
   Politburo lists; precision and recall over the pairs.

    python3 -m memorybook.linkage.evaluate --archive memorybook.sqlite \\
        [--pairs tests/data/linkage_pairs.jsonl] [--json result.json] \\
        [--only editors|cross] [--kinds ours,baseline] [--cache DIR]

`--cache DIR` keeps the records read from the archive and their feature table between runs
(keyed by the archive file's size and modification time and by the linkage code), so that a
change to the model is measured in the time Splink takes. The setting is the same with or
without it: the matcher sees the records without the source's identities. Nothing is
written to the archive."""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from memorybook.errors import MemorybookError
from memorybook.linkage.ceiling import ceiling, variant_join_rates
from memorybook.linkage.record import LinkRecord
from memorybook.linkage.run import DEFAULT_THRESHOLDS, Thresholds, assemble
from memorybook.linkage.source_rows import has_name, link_record

STALIN = "stalin-lists"
MOSCOW = "memorial-moscow"


# ---- metrics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


def _scores(p: float, r: float) -> Scores:
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(round(p, 4), round(r, 4), round(f, 4))


def _pairs(clusters: Iterable[Sequence[int]]) -> set[tuple[int, int]]:
    out = set()
    for c in clusters:
        m = sorted(c)
        for i, a in enumerate(m):
            for b in m[i + 1 :]:
                out.add((a, b))
    return out


def pairwise(predicted: Iterable[Sequence[int]], truth: Iterable[Sequence[int]]) -> Scores:
    """Precision and recall over the pairs of records put in one person."""
    pred, true = _pairs(predicted), _pairs(truth)
    tp = len(pred & true)
    return _scores(tp / len(pred) if pred else 1.0, tp / len(true) if true else 1.0)


def bcubed(predicted: Iterable[Sequence[int]], truth: Iterable[Sequence[int]]) -> Scores:
    """B-cubed: per record, the share of its predicted person that is truly it (precision)
    and the share of its true person that was found (recall), averaged over records."""
    pred_of = {x: frozenset(c) for c in predicted for x in c}
    true_of = {x: frozenset(c) for c in truth for x in c}
    items = set(pred_of) & set(true_of)
    if not items:
        return _scores(1.0, 1.0)
    p = sum(len(pred_of[x] & true_of[x]) / len(pred_of[x]) for x in items) / len(items)
    r = sum(len(pred_of[x] & true_of[x]) / len(true_of[x]) for x in items) / len(items)
    return _scores(p, r)


def pair_scores(same: Mapping[tuple[int, int], bool], person_of: Mapping[int, int]) -> Scores:
    """Precision and recall over labelled pairs: predicted same = in one person (a record
    the matcher did not compare, e.g. one without a name, is a person of its own)."""
    tp = fp = fn = 0
    for (a, b), truly in same.items():
        predicted = a in person_of and b in person_of and person_of[a] == person_of[b]
        tp += predicted and truly
        fp += predicted and not truly
        fn += truly and not predicted
    return _scores(tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


# ---- runs ----------------------------------------------------------------------------------


# Thresholds the result also reports each model at (the accept threshold is the one in force).
SWEEP = (0.1, 0.3, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)
GOAL_PRECISION, GOAL_RECALL = 0.98, 0.95
KINDS = ("baseline", "ours")


def _subtable(table: Any, ids: Iterable[int]) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    return table.filter(pc.is_in(table["unique_id"], value_set=pa.array(sorted(ids), pa.int64())))


def clusters_of(
    records: Sequence[LinkRecord],
    kind: str,
    thresholds: Thresholds,
    backend: str = "duckdb",
    table: Any = None,
) -> tuple[dict[float, list[list[int]]], dict[str, Any], Any]:
    """Persons the matcher alone makes of `records` (no decisions, no source identities), at
    the accept threshold and at each threshold of SWEEP; with the run's facts and its
    scored pairs. `table` is the records' feature table if built already."""
    from memorybook.linkage.engine import score

    t0 = time.perf_counter()
    scored = score(records, kind=kind, backend=backend, threshold=min(SWEEP), table=table)  # type: ignore[arg-type]
    ids = [r.id for r in records]
    by_id = {r.id: r for r in records}
    out = {}
    for t in sorted({thresholds.accept, *SWEEP}):
        clusters, _, _ = assemble(ids, by_id, scored.pairs, {}, {}, t, constrained=kind == "ours")
        out[t] = clusters.members
    info = {"pairs_scored": len(scored.pairs), "seconds": round(time.perf_counter() - t0, 1)}
    return out, info, scored


def blocking_recall(
    table: Any, true_pairs: Iterable[tuple[int, int]], rules: Sequence[Any]
) -> float:
    """The share of `true_pairs` that at least one blocking rule compares (a ceiling on
    recall: a pair never compared is never linked)."""
    import duckdb
    import pyarrow as pa
    from splink.internals.blocking_rule_creator_utils import to_blocking_rule_creator

    pairs = sorted(true_pairs)
    if not pairs:
        return 1.0
    conditions = [
        to_blocking_rule_creator(r).get_blocking_rule("duckdb").blocking_rule_sql for r in rules
    ]
    con = duckdb.connect()
    try:
        con.register("f", table)
        con.register(
            "t",
            pa.table({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]}),
        )
        any_rule = " OR ".join(f"coalesce(({c}), false)" for c in conditions)
        (kept,) = con.execute(
            f"SELECT count(*) FROM t JOIN f AS l ON l.unique_id = t.a"
            f" JOIN f AS r ON r.unique_id = t.b WHERE {any_rule}"
        ).fetchone() or (0,)
    finally:
        con.close()
    return round(int(kept) / len(pairs), 4)


def _name_diff(a: LinkRecord, b: LinkRecord) -> str:
    from memorybook.linkage.features import norm_name

    parts = []
    for label, x, y in (
        ("surname", a.surname, b.surname),
        ("given name", a.given_name, b.given_name),
        ("patronymic", a.patronymic, b.patronymic),
    ):
        nx, ny = norm_name(x), norm_name(y)
        if (
            nx is None
            or ny is None
            or len(nx.replace("-", "")) <= 1
            or len(ny.replace("-", "")) <= 1
        ):
            if nx != ny:
                parts.append(f"{label} missing or an initial")
        elif nx != ny:
            parts.append(f"{label} differs")
    return ", ".join(parts) or "names identical"


def _days_apart(a: LinkRecord, b: LinkRecord) -> str:
    if a.list_date is None or b.list_date is None:
        return "no list dates"
    if a.list_id is not None and a.list_id == b.list_id:
        return "same list"
    n = abs((a.list_date - b.list_date).days)
    for limit, words in ((0, "lists of one day"), (92, "lists within 3 months"),
                         (365, "lists within a year")):  # fmt: skip
        if n <= limit:
            return words
    return "lists more than a year apart"


def _region_level(gamma: Mapping[str, str]) -> str:
    from memorybook.linkage.explain import REGION_COMPARISONS, _first_level

    return _first_level(gamma, REGION_COMPARISONS, "region unknown") or "region unknown"


def held_out_threshold(
    by_t: Mapping[float, list[list[int]]],
    groups: Mapping[str, Sequence[int]],
    precision_goal: float,
) -> dict[str, Any]:
    """A threshold chosen on one half of the pairs and measured on the other: the editors'
    persons are split by a hash of their id, and each pair of records (true or predicted)
    belongs to the half of its first record's person; the lowest threshold whose pairwise
    precision on the first half reaches the goal (else the highest) is reported with the
    second half's precision and recall at it, so the threshold is not chosen on the pairs
    it is judged by."""
    half_of = {
        x: hashlib.sha256(identity.encode()).digest()[0] % 2
        for identity, members in groups.items()
        for x in members
    }
    true = _pairs(groups.values())

    def scores(clusters: list[list[int]], h: int) -> Scores:
        pred = {p for p in _pairs(clusters) if half_of.get(p[0]) == h}
        truth = {p for p in true if half_of[p[0]] == h}
        tp = len(pred & truth)
        return _scores(tp / len(pred) if pred else 1.0, tp / len(truth) if truth else 1.0)

    ts = sorted(by_t)
    choose = {t: scores(by_t[t], 0) for t in ts}
    chosen = next((t for t in ts if choose[t].precision >= precision_goal), ts[-1])
    return {
        "threshold": chosen,
        "choose_half": choose[chosen].as_dict(),
        "judge_half": scores(by_t[chosen], 1).as_dict(),
    }


def classify_misses(
    records: Mapping[int, LinkRecord],
    truth: Iterable[Sequence[int]],
    clusters: Iterable[Sequence[int]],
    scored: Any,
    accept: float,
    examples: int = 0,
) -> dict[str, Any]:
    """Why the editors' pairs were missed (false negatives) and what was joined against
    them (false positives), counted by kind; `examples` of each kind with their labels."""
    from memorybook.linkage.cluster import contradiction

    true = _pairs(truth)
    person_of = {x: i for i, c in enumerate(clusters) for x in c}
    by_pair = {(p.a, p.b): p for p in scored.pairs}
    counts = _full_name_counts(records.values())
    misses: dict[str, int] = defaultdict(int)
    found: dict[str, list[Any]] = defaultdict(list)

    def note(table: dict[str, int], key: str, a: int, b: int, p: Any) -> None:
        table[key] += 1
        if len(found[key]) < examples:
            found[key].append([records[a].label, records[b].label, p and round(p.probability, 4)])

    for a, b in sorted(true):
        if person_of.get(a) == person_of.get(b):
            continue
        ra, rb, p = records[a], records[b], by_pair.get((a, b))
        if p is None:
            kind = "not scored (blocking, or p < 0.1)"
        elif p.probability >= accept:
            why = contradiction(ra, rb)
            kind = f"accepted, kept apart: {why or 'by a contradiction within the cluster'}"
        else:
            kind = (
                f"p < {accept}: {_name_diff(ra, rb)}{_rarity(ra, rb, counts)}; "
                f"region: {_region_level(p.gamma)}; {_days_apart(ra, rb)}"
            )
        note(misses, kind, a, b, p)
    wrong: dict[str, int] = defaultdict(int)
    pred = _pairs(clusters)
    for a, b in sorted(pred - true):
        ra, rb, p = records[a], records[b], by_pair.get((a, b))
        kind = (
            f"{_name_diff(ra, rb)}{_rarity(ra, rb, counts)}; "
            f"region: {_region_level(p.gamma) if p else 'joined through others'}; "
            f"{_days_apart(ra, rb)}"
        )
        note(wrong, kind, a, b, p)
    return {
        "false_negatives": dict(sorted(misses.items(), key=lambda kv: -kv[1])),
        "false_positives": dict(sorted(wrong.items(), key=lambda kv: -kv[1])),
        **({"examples": dict(found)} if examples else {}),
    }


def _rarity(a: LinkRecord, b: LinkRecord, counts: Mapping[tuple[str | None, ...], int]) -> str:
    """How many records carry the pair's full name, when both print it alike: only these
    two (a rare name: strong evidence), or more (a common one: namesakes are likely)."""
    if _full_name(a) != _full_name(b) or None in _full_name(a):
        return ""
    return (
        " (a common name)" if counts.get(_full_name(a), 0) > 2 else " (carried by these two only)"
    )


def _full_name(r: LinkRecord) -> tuple[str | None, ...]:
    from memorybook.linkage.features import norm_name

    return (norm_name(r.surname), norm_name(r.given_name), norm_name(r.patronymic))


def _full_name_counts(records: Iterable[LinkRecord]) -> dict[tuple[str | None, ...], int]:
    out: dict[tuple[str | None, ...], int] = defaultdict(int)
    for r in records:
        out[_full_name(r)] += 1
    return out


def editors_grouping(
    records: Sequence[LinkRecord],
    thresholds: Thresholds,
    kinds: Sequence[str],
    table: Any = None,
    examples: int = 0,
) -> dict[str, Any]:
    from memorybook.linkage import model as m
    from memorybook.linkage.features import feature_table

    politburo = [r for r in records if r.family.startswith(STALIN) and r.identity]
    groups: dict[str, list[int]] = defaultdict(list)
    for r in politburo:
        assert r.identity is not None
        groups[r.identity].append(r.id)
    truth = list(groups.values())
    # The matcher must not see the identities it is measured against.
    blind = [_without_identity(r) for r in politburo]
    sub = _subtable(table, groups_ids(truth)) if table is not None else feature_table(blind)
    true_pairs = _pairs(truth)
    out: dict[str, Any] = {
        "records": len(politburo),
        "true_persons": len(truth),
        "true_pairs": len(true_pairs),
    }
    rules = {
        "ours": m.BLOCKING_RULES,
        "baseline": m.baseline_settings().blocking_rules_to_generate_predictions,
    }
    by_id = {r.id: r for r in blind}
    for kind in kinds:
        by_t, info, scored = clusters_of(blind, kind, thresholds, table=sub)
        clusters = by_t[thresholds.accept]
        out[kind] = {
            "pairwise": pairwise(clusters, truth).as_dict(),
            "bcubed": bcubed(clusters, truth).as_dict(),
            "persons": len(clusters),
            "blocking_recall": blocking_recall(sub, true_pairs, rules[kind]),
            "sweep": {str(t): pairwise(c, truth).as_dict() for t, c in by_t.items()},
            "held_out": held_out_threshold(by_t, groups, GOAL_PRECISION),
            **info,
        }
        if kind == "ours":
            out[kind]["misses"] = classify_misses(
                by_id, truth, clusters, scored, thresholds.accept, examples
            )
            # What any matcher could reach on this evidence, and how consistent the
            # reference itself is (`linkage.ceiling`).
            half_of = {
                x: hashlib.sha256(identity.encode()).digest()[0] % 2
                for identity, members in groups.items()
                for x in members
            }
            out[kind]["ceiling"] = ceiling(
                scored.pairs, by_id, true_pairs, GOAL_PRECISION, half_of=half_of
            )
            out[kind]["reference"] = variant_join_rates(scored.pairs, by_id, true_pairs)
    return out


def groups_ids(groups: Iterable[Sequence[int]]) -> list[int]:
    return [x for g in groups for x in g]


def _without_identity(r: LinkRecord) -> LinkRecord:
    from dataclasses import replace

    return replace(r, identity=None, identity_citation=None)


def cross_source(
    records: Sequence[LinkRecord],
    labelled: Mapping[tuple[int, int], bool],
    thresholds: Thresholds,
    kinds: Sequence[str],
    table: Any = None,
) -> dict[str, Any]:
    pool = [_without_identity(r) for r in records if r.family.startswith((STALIN, MOSCOW))]
    sub = _subtable(table, [r.id for r in pool]) if table is not None else None
    out: dict[str, Any] = {
        "pairs": len(labelled),
        "same": sum(labelled.values()),
        "not_same": sum(not v for v in labelled.values()),
    }
    # The editors' grouping again, as `memorybook link` makes persons: in one run with the
    # Moscow list (its pairs with the lists outnumber the lists' own pairs).
    groups: dict[str, list[int]] = defaultdict(list)
    for r in records:
        if r.family.startswith(STALIN) and r.identity:
            groups[r.identity].append(r.id)
    truth = list(groups.values())
    politburo = {x for g in truth for x in g}
    for kind in kinds:
        by_t, info, _ = clusters_of(pool, kind, thresholds, table=sub)
        sweep, editors = {}, {}
        for t, clusters in by_t.items():
            person_of = {x: i for i, c in enumerate(clusters) for x in c}
            sweep[str(t)] = pair_scores(labelled, person_of).as_dict()
            on_lists = [[x for x in c if x in politburo] for c in clusters]
            editors[str(t)] = pairwise(on_lists, truth).as_dict()
        out[kind] = {
            "pairs": sweep[str(thresholds.accept)],
            "sweep": sweep,
            "held_out": held_out_pairs(by_t, labelled, GOAL_PRECISION),
            "editors_in_this_run": editors,
            **info,
        }
    return out


def held_out_pairs(
    by_t: Mapping[float, list[list[int]]],
    labelled: Mapping[tuple[int, int], bool],
    precision_goal: float,
) -> dict[str, Any]:
    """As `held_out_threshold`, over hand-checked pairs: the pairs are split by a hash of
    their lower record id, a threshold chosen on one half (the lowest whose precision
    reaches the goal), and precision and recall reported on the other half at it."""
    halves: list[dict[tuple[int, int], bool]] = [{}, {}]
    for (a, b), same in labelled.items():
        halves[hashlib.sha256(str(a).encode()).digest()[0] % 2][(a, b)] = same

    def scores(t: float, h: int) -> Scores:
        person_of = {x: i for i, c in enumerate(by_t[t]) for x in c}
        return pair_scores(halves[h], person_of)

    ts = sorted(by_t)
    choose = {t: scores(t, 0) for t in ts}
    chosen = next((t for t in ts if choose[t].precision >= precision_goal), ts[-1])
    return {
        "threshold": chosen,
        "pairs": [len(halves[0]), len(halves[1])],
        "choose_half": choose[chosen].as_dict(),
        "judge_half": scores(chosen, 1).as_dict(),
        "judge_half_sweep": {str(t): scores(t, 1).as_dict() for t in ts},
    }


def load_pairs(path: Path, locate: Mapping[tuple[str, int], int]) -> dict[tuple[int, int], bool]:
    out: dict[tuple[int, int], bool] = {}
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            a = locate[(item["a"]["file"], int(item["a"]["index"]))]
            b = locate[(item["b"]["file"], int(item["b"]["index"]))]
            same = bool(item["same"])
        except (ValueError, KeyError, TypeError) as exc:
            raise MemorybookError(
                f"{path}: line {n}: not a pair of known locators ({exc})"
            ) from None
        out[(min(a, b), max(a, b))] = same
    return out


def _code_version() -> str:
    """A digest of the code the cached features depend on."""
    from importlib import resources

    h = hashlib.sha256()
    pkg = resources.files("memorybook.linkage")
    for name in ("features.py", "source_rows.py", "record.py", "data/regions.yaml"):
        h.update(pkg.joinpath(name).read_bytes())
    return h.hexdigest()[:16]


def load_records(
    archive: str, cache: Path | None = None
) -> tuple[list[LinkRecord], dict[tuple[str, int], int], Any]:
    """The archive's records as the matcher sees them, the locator -> record id map and
    the feature table of the records; from `cache` when the archive and the code are as
    they were."""
    import pyarrow.parquet as pq

    from memorybook.linkage.features import feature_table
    from memorybook.storage import link_store
    from memorybook.storage.engine import open_archive

    key = None
    if cache is not None:
        path = Path(archive)
        stat = path.stat() if path.exists() else None
        if stat is not None:
            ident = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{_code_version()}"
            key = hashlib.sha256(ident.encode()).hexdigest()[:16]
            pkl, parquet = cache / f"records-{key}.pickle", cache / f"features-{key}.parquet"
            if pkl.exists() and parquet.exists():
                cached_records, cached_locate = pickle.loads(pkl.read_bytes())
                return cached_records, cached_locate, pq.read_table(parquet)
    engine = open_archive(archive, read_only=True)
    with engine.connect() as conn:
        rows = link_store.link_rows(conn)
    engine.dispose()
    records = [link_record(r) for r in rows if has_name(r)]
    locate: dict[tuple[str, int], int] = {}
    for r in rows:
        locate.setdefault((str(r["file"]), int(r["idx"])), int(r["id"]))
    table = feature_table(records)
    if cache is not None and key is not None:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / f"records-{key}.pickle").write_bytes(pickle.dumps((records, locate)))
        pq.write_table(table, cache / f"features-{key}.parquet")
    return records, locate, table


def evaluate(
    archive: str,
    pairs: Path | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    kinds: Sequence[str] = KINDS,
    parts: Sequence[str] = ("editors", "cross"),
    cache: Path | None = None,
    examples: int = 0,
) -> dict[str, Any]:
    t0 = time.perf_counter()
    records, locate, table = load_records(archive, cache)
    result: dict[str, Any] = {
        "thresholds": {"accept": thresholds.accept, "review": thresholds.review},
        "goals": {"precision": GOAL_PRECISION, "recall": GOAL_RECALL},
        "read_seconds": round(time.perf_counter() - t0, 1),
    }
    if "editors" in parts:
        result["editors_grouping"] = editors_grouping(
            records, thresholds, kinds, table=table, examples=examples
        )
    if pairs is not None and "cross" in parts:
        result["cross_source"] = cross_source(
            records, load_pairs(pairs, locate), thresholds, kinds, table=table
        )
    return result


def _print(result: dict[str, Any]) -> None:
    eg = result.get("editors_grouping")
    if eg:
        _print_editors(eg)
    cs = result.get("cross_source")
    if cs:
        print(f"Cross-source pairs: {cs['pairs']} ({cs['same']} same, {cs['not_same']} not)")
        for kind in KINDS:
            if kind not in cs:
                continue
            p = cs[kind]["pairs"]
            print(f"  {kind:9} P {p['precision']:.3f}  R {p['recall']:.3f}  F1 {p['f1']:.3f}")
            cells = "  ".join(
                f"{t}: {v['precision']:.2f}/{v['recall']:.2f}" for t, v in cs[kind]["sweep"].items()
            )
            print(f"    {cells}")
            cells = "  ".join(
                f"{t}: {v['precision']:.2f}/{v['recall']:.2f}"
                for t, v in cs[kind]["editors_in_this_run"].items()
            )
            print(f"    editors' grouping in this run (as `memorybook link`): {cells}")
            h = cs[kind]["held_out"]
            c, j = h["choose_half"], h["judge_half"]
            print(
                f"    threshold chosen on half of the pairs ({h['pairs'][0]}): {h['threshold']}"
                f" (P {c['precision']:.3f} R {c['recall']:.3f} there); on the other half"
                f" ({h['pairs'][1]}) P {j['precision']:.3f} R {j['recall']:.3f}"
            )
    g = result["goals"]
    print(f"Goals: precision >= {g['precision']}, recall >= {g['recall']}")


def _print_editors(eg: dict[str, Any]) -> None:
    print(
        f"Editors' grouping: {eg['records']} Politburo-list records, {eg['true_persons']} persons,"
        f" {eg['true_pairs']} true pairs (source identities switched off)"
    )
    print(f"  {'':9} {'pairwise P':>10} {'R':>6} {'F1':>6}   {'B3 P':>6} {'R':>6} {'F1':>6}")
    kinds = [k for k in KINDS if k in eg]
    for kind in kinds:
        pw, b3 = eg[kind]["pairwise"], eg[kind]["bcubed"]
        print(
            f"  {kind:9} {pw['precision']:10.3f} {pw['recall']:6.3f} {pw['f1']:6.3f}"
            f"   {b3['precision']:6.3f} {b3['recall']:6.3f} {b3['f1']:6.3f}"
            f"   blocking recall {eg[kind]['blocking_recall']:.3f}"
        )
    print("  pairwise precision / recall at other thresholds:")
    for kind in kinds:
        cells = "  ".join(
            f"{t}: {v['precision']:.2f}/{v['recall']:.2f}" for t, v in eg[kind]["sweep"].items()
        )
        print(f"    {kind:9} {cells}")
    for kind in kinds:
        h = eg[kind].get("held_out")
        if h:
            c, j = h["choose_half"], h["judge_half"]
            print(
                f"    {kind:9} threshold chosen on half of the persons: {h['threshold']}"
                f" (P {c['precision']:.3f} R {c['recall']:.3f} there); on the other half"
                f" P {j['precision']:.3f} R {j['recall']:.3f} F1 {j['f1']:.3f}"
            )
    c = eg.get("ours", {}).get("ceiling")
    if c:
        b = c["best"]
        print(
            f"  ceiling: accepting whole classes of the model's evidence ({c['classes']}) in the"
            f" order of the editors' answers (optimistic): R {b['recall']:.3f} at"
            f" P {b['precision']:.3f}; {c['true_pairs_scored']} of the true pairs scored"
        )
        h = c.get("held_out")
        if h:
            print(
                f"    the order chosen on half of the persons, judged on the other:"
                f" R {h['recall']:.3f} at P {h['precision']:.3f}"
            )
    ref = eg.get("ours", {}).get("reference")
    if ref:
        i, v = ref["identical"], ref["variant"]
        print(
            f"  the reference on {ref['list_pairs']} pairs of lists sharing >= {ref['min_shared']}"
            f" persons: joins {i['joined']} of {i['pairs']} pairs printing one full name"
            f" identically, {v['joined']} of {v['pairs']} with one part spelled differently"
        )
    misses = eg.get("ours", {}).get("misses")
    if misses:
        for what in ("false_negatives", "false_positives"):
            print(f"  ours, {what.replace('_', ' ')} at the accept threshold:")
            for kind, n in misses[what].items():
                print(f"    {n:5}  {kind}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m memorybook.linkage.evaluate")
    parser.add_argument("--archive", required=True)
    parser.add_argument("--pairs", type=Path, help="hand-checked cross-source pairs (JSONL)")
    parser.add_argument("--json", type=Path, help="also write the result here")
    parser.add_argument("--only", choices=("editors", "cross"), help="run one evaluation")
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help="models to run: ours, baseline or both"
    )
    parser.add_argument("--cache", type=Path, help="keep records and features here")
    parser.add_argument(
        "--examples", type=int, default=0, help="examples of each kind of miss in the JSON"
    )
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if not kinds or any(k not in KINDS for k in kinds):
        print(f"evaluate: --kinds takes {' and/or '.join(KINDS)}", file=sys.stderr)
        return 2
    parts = (args.only,) if args.only else ("editors", "cross")
    try:
        result = evaluate(
            args.archive, args.pairs, kinds=kinds, parts=parts, cache=args.cache,
            examples=args.examples,
        )  # fmt: skip
    except MemorybookError as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 1
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
