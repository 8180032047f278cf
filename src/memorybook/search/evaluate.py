"""Evaluating the search on a query set with expected records (tests/data/search_eval.jsonl).

    python3 -m memorybook.search.evaluate --archive ARCHIVE tests/data/search_eval.jsonl

Per kind of query: recall@10 (expected records in the first 10, over min(10, expected)),
MRR (first expected record), precision@1; for names absent from the archive, the share that
got a confident answer."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from memorybook.search.api import Searcher, SearchFilters


@dataclass
class KindStats:
    n: int = 0
    recall: float = 0.0
    rr: float = 0.0
    p1: float = 0.0
    confident: int = 0
    failures: list[str] = field(default_factory=list)


def load_items(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate(searcher: Searcher, items: Iterable[dict[str, Any]], k: int = 10) -> dict[str, Any]:
    stats: dict[str, KindStats] = defaultdict(KindStats)
    for item in items:
        kind = item["kind"]
        st = stats[kind]
        st.n += 1
        res = searcher.search(item["query"], SearchFilters(**item.get("filters", {})), limit=k)
        got = [(h.locator["file"], h.locator["index"]) for h in res.results]
        if kind == "absent":
            if any(h.confident for h in res.results):
                st.confident += 1
                top = res.results[0]
                st.failures.append(f"{item['query']!r} -> confident {top.name} ({top.why})")
            continue
        expected = {tuple(e) for e in item["expected"]}
        hits = [g in expected for g in got]
        st.recall += sum(hits) / min(k, len(expected))
        first = next((i for i, h in enumerate(hits) if h), None)
        st.rr += 1.0 / (first + 1) if first is not None else 0.0
        st.p1 += 1.0 if hits[:1] == [True] else 0.0
        st.confident += 1 if res.results and res.results[0].confident else 0
        if sum(hits) < min(k, len(expected)):
            best = res.results[0].name if res.results else "-"
            st.failures.append(f"{item['query']!r}: {sum(hits)}/{len(expected)} (top: {best})")
    out: dict[str, Any] = {}
    for kind, st in sorted(stats.items()):
        if kind == "absent":
            out[kind] = {"n": st.n, "confident_share": st.confident / st.n, "failures": st.failures}
        else:
            out[kind] = {
                "n": st.n,
                "recall@10": st.recall / st.n,
                "mrr": st.rr / st.n,
                "p@1": st.p1 / st.n,
                "confident@1": st.confident / st.n,
                "failures": st.failures,
            }
    return out


def format_report(report: dict[str, Any]) -> str:
    lines = [f"{'kind':16} {'n':>4} {'R@10':>6} {'MRR':>6} {'P@1':>6} {'conf@1':>6}"]
    for kind, r in report.items():
        if kind == "absent":
            continue
        lines.append(
            f"{kind:16} {r['n']:4d} {r['recall@10']:6.3f} {r['mrr']:6.3f} {r['p@1']:6.3f} "
            f"{r['confident@1']:6.3f}"
        )
    if "absent" in report:
        a = report["absent"]
        lines.append(f"absent names: {a['n']}, confident answers: {a['confident_share']:.1%}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from memorybook.storage.engine import archive_path, open_archive

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("queries")
    ap.add_argument("--archive", default=None)
    ap.add_argument("--failures", action="store_true", help="list the queries that missed")
    args = ap.parse_args(argv)
    searcher = Searcher.open(open_archive(archive_path(args.archive), read_only=True))
    report = evaluate(searcher, load_items(args.queries))
    print(format_report(report))
    if args.failures:
        for kind, r in report.items():
            for f in r["failures"]:
                print(f"  {kind}: {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
