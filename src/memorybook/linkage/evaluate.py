"""Evaluation of the matcher, ours beside a plain Splink baseline, in one run.

1. The editors' grouping, held out: over the Politburo lists, the stalin.memo.ru editors gave
   one person id to one person across lists. Linkage runs with those identities switched
   off; pairwise precision, recall and F1 and B-cubed compare its persons with theirs.
2. Cross-source pairs: a hand-checked set of locator pairs (`{"a": locator, "b": locator,
   "same": bool, "reason": str}` per line) between the Moscow execution list and the
   Politburo lists; precision and recall over the pairs.

    python3 -m memorybook.linkage.evaluate --archive memorybook.sqlite \\
        [--pairs tests/data/linkage_pairs.jsonl] [--json result.json]

Nothing is written to the archive."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from memorybook.errors import MemorybookError
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
SWEEP = (0.1, 0.3, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999)


def clusters_of(
    records: Sequence[LinkRecord], kind: str, thresholds: Thresholds, backend: str = "duckdb"
) -> tuple[dict[float, list[list[int]]], dict[str, Any]]:
    """Persons the matcher alone makes of `records` (no decisions, no source identities), at
    the accept threshold and at each threshold of SWEEP."""
    from memorybook.linkage.engine import score

    t0 = time.perf_counter()
    scored = score(records, kind=kind, backend=backend, threshold=min(SWEEP))  # type: ignore[arg-type]
    ids = [r.id for r in records]
    by_id = {r.id: r for r in records}
    out = {}
    for t in sorted({thresholds.accept, *SWEEP}):
        clusters, _, _ = assemble(ids, by_id, scored.pairs, {}, {}, t, constrained=kind == "ours")
        out[t] = clusters.members
    info = {"pairs_scored": len(scored.pairs), "seconds": round(time.perf_counter() - t0, 1)}
    return out, info


def editors_grouping(
    records: Sequence[LinkRecord], thresholds: Thresholds, kinds: Sequence[str]
) -> dict[str, Any]:
    politburo = [r for r in records if r.family.startswith(STALIN) and r.identity]
    groups: dict[str, list[int]] = defaultdict(list)
    for r in politburo:
        assert r.identity is not None
        groups[r.identity].append(r.id)
    truth = list(groups.values())
    # The matcher must not see the identities it is measured against.
    blind = [_without_identity(r) for r in politburo]
    out: dict[str, Any] = {
        "records": len(politburo),
        "true_persons": len(truth),
        "true_pairs": len(_pairs(truth)),
    }
    for kind in kinds:
        by_t, info = clusters_of(blind, kind, thresholds)
        clusters = by_t[thresholds.accept]
        out[kind] = {
            "pairwise": pairwise(clusters, truth).as_dict(),
            "bcubed": bcubed(clusters, truth).as_dict(),
            "persons": len(clusters),
            "sweep": {str(t): pairwise(c, truth).as_dict() for t, c in by_t.items()},
            **info,
        }
    return out


def _without_identity(r: LinkRecord) -> LinkRecord:
    from dataclasses import replace

    return replace(r, identity=None, identity_citation=None)


def cross_source(
    records: Sequence[LinkRecord],
    labelled: Mapping[tuple[int, int], bool],
    thresholds: Thresholds,
    kinds: Sequence[str],
) -> dict[str, Any]:
    pool = [_without_identity(r) for r in records if r.family.startswith((STALIN, MOSCOW))]
    out: dict[str, Any] = {
        "pairs": len(labelled),
        "same": sum(labelled.values()),
        "not_same": sum(not v for v in labelled.values()),
    }
    for kind in kinds:
        by_t, info = clusters_of(pool, kind, thresholds)
        sweep = {}
        for t, clusters in by_t.items():
            person_of = {x: i for i, c in enumerate(clusters) for x in c}
            sweep[str(t)] = pair_scores(labelled, person_of).as_dict()
        out[kind] = {"pairs": sweep[str(thresholds.accept)], "sweep": sweep, **info}
    return out


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


def evaluate(
    archive: str, pairs: Path | None, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> dict[str, Any]:
    from memorybook.storage import link_store
    from memorybook.storage.engine import open_archive

    engine = open_archive(archive, read_only=True)
    with engine.connect() as conn:
        rows = link_store.link_rows(conn)
    engine.dispose()
    records = [link_record(r) for r in rows if has_name(r)]
    kinds = ("baseline", "ours")
    result: dict[str, Any] = {
        "thresholds": {"accept": thresholds.accept, "review": thresholds.review},
        "goals": {"precision": 0.98, "recall": 0.95},
        "editors_grouping": editors_grouping(records, thresholds, kinds),
    }
    if pairs is not None:
        locate: dict[tuple[str, int], int] = {}
        for r in rows:
            locate.setdefault((str(r["file"]), int(r["idx"])), int(r["id"]))
        result["cross_source"] = cross_source(records, load_pairs(pairs, locate), thresholds, kinds)
    return result


def _print(result: dict[str, Any]) -> None:
    eg = result["editors_grouping"]
    print(
        f"Editors' grouping: {eg['records']} Politburo-list records, {eg['true_persons']} persons,"
        f" {eg['true_pairs']} true pairs (source identities switched off)"
    )
    print(f"  {'':9} {'pairwise P':>10} {'R':>6} {'F1':>6}   {'B3 P':>6} {'R':>6} {'F1':>6}")
    for kind in ("baseline", "ours"):
        pw, b3 = eg[kind]["pairwise"], eg[kind]["bcubed"]
        print(
            f"  {kind:9} {pw['precision']:10.3f} {pw['recall']:6.3f} {pw['f1']:6.3f}"
            f"   {b3['precision']:6.3f} {b3['recall']:6.3f} {b3['f1']:6.3f}"
        )
    print("  pairwise precision / recall at other thresholds:")
    for kind in ("baseline", "ours"):
        cells = "  ".join(
            f"{t}: {v['precision']:.2f}/{v['recall']:.2f}" for t, v in eg[kind]["sweep"].items()
        )
        print(f"    {kind:9} {cells}")
    cs = result.get("cross_source")
    if cs:
        print(f"Cross-source pairs: {cs['pairs']} ({cs['same']} same, {cs['not_same']} not)")
        for kind in ("baseline", "ours"):
            p = cs[kind]["pairs"]
            print(f"  {kind:9} P {p['precision']:.3f}  R {p['recall']:.3f}  F1 {p['f1']:.3f}")
    g = result["goals"]
    print(f"Goals: precision >= {g['precision']}, recall >= {g['recall']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m memorybook.linkage.evaluate")
    parser.add_argument("--archive", required=True)
    parser.add_argument("--pairs", type=Path, help="hand-checked cross-source pairs (JSONL)")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    try:
        result = evaluate(args.archive, args.pairs)
    except MemorybookError as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 1
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
