"""Evaluating the search on query sets with expected records.

    python3 -m memorybook.search.evaluate --archive ARCHIVE \\
        tests/data/search_eval.jsonl tests/data/search_eval_hand.jsonl

    python3 -m memorybook.search.evaluate --archive ARCHIVE --same-name SETS…   # see below

Each line: {"kind", "query", "expected": [[file, index], …], "origin"?: "hand", "filters"?}.
Items without "origin" were generated from the list by written rules; "hand" ones were typed
by a person. Reported per origin and kind: recall@10 (expected records in the first 10, over
min(10, expected)), MRR (first expected record), precision@1 and the share of first answers
that were confident; for names absent from the archive, the share that got any confident
answer. Generated and hand-written queries are never mixed in one figure."""

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

# Kinds where only part of the name is typed: the goal for them is recall@10 ≥ 0.95.
PARTIAL_KINDS = ("prefix", "partial", "initials", "surname", "double")


@dataclass
class KindStats:
    n: int = 0
    recall: float = 0.0
    rr: float = 0.0
    p1: float = 0.0
    confident: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: KindStats) -> None:
        self.n += other.n
        self.recall += other.recall
        self.rr += other.rr
        self.p1 += other.p1
        self.confident += other.confident

    def figures(self) -> dict[str, Any]:
        n = max(self.n, 1)
        return {"n": self.n, "recall@10": self.recall / n, "mrr": self.rr / n,
                "p@1": self.p1 / n, "confident@1": self.confident / n,
                "failures": self.failures}  # fmt: skip


def load_items(*paths: str | Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            out.extend(json.loads(line) for line in f if line.strip())
    return out


def same_name_expected(items: list[dict[str, Any]], records: Iterable[dict[str, Any]]) -> int:
    """Widen each item's expected records to the whole archive by written rules (never by
    the search): a record printed with the same name as an expected one (in as many parts
    as the query has words: surname, given name, patronymic; normalised) is expected too,
    and for a typed start ("prefix"), every record whose surname starts with it. For sets
    labelled on one list and run on an archive of several (the same person is often
    printed in the Moscow and the Politburo lists).
    Returns how many expected records were added."""
    from memorybook.text.normalise import norm_word

    def nm(v: Any) -> str:
        return norm_word(str(v)) if v else ""

    by_loc: dict[tuple[str, int], tuple[str, str, str]] = {}
    by_name: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    surnames: list[tuple[str, tuple[str, int]]] = []
    for r in records:
        if not r["surname"]:
            continue
        loc = (r["file"], r["idx"])
        key = (nm(r["surname"]), nm(r["given_name"]), nm(r["patronymic"]))
        by_loc[loc] = key
        for n in (1, 2, 3):
            by_name[key[:n]].append(loc)
        surnames.append((key[0], loc))
    added = 0
    for item in items:
        if item["kind"] in ("absent", "filters", "alias"):
            continue  # none; a filter's answers depend on more than the name; an alias's
            # record is printed under another name
        # As many name parts as the query types words: "Кузнецов Василий" expects every
        # Кузнецов Василий, whatever his patronymic.
        words = item["query"].split()
        initials = any(w.endswith(".") or len(w) == 1 for w in words)
        # With initials, only the same full name (the initials say less than the name).
        parts = 3 if initials else max(1, min(3, len(words)))
        expected = {(str(f), int(i)) for f, i in item["expected"]}
        wider = set(expected)
        for loc in expected:
            name = by_loc.get(loc)
            if name is not None:
                wider.update(by_name[name[:parts]])
        if item["kind"] == "prefix":
            start = nm(item["query"].rstrip("*"))
            wider.update(loc for s, loc in surnames if s.startswith(start))
        added += len(wider) - len(expected)
        item["expected"] = sorted([list(e) for e in wider])
    return added


def _score_item(searcher: Searcher, item: dict[str, Any], st: KindStats, k: int) -> None:
    res = searcher.search(item["query"], SearchFilters(**item.get("filters", {})), limit=k)
    got = [(h.locator["file"], h.locator["index"]) for h in res.results]
    st.n += 1
    if item["kind"] == "absent":
        if any(h.confident for h in res.results):
            st.confident += 1
            top = next(h for h in res.results if h.confident)
            st.failures.append(f"{item['query']!r} -> confident {top.name} ({top.why})")
        return
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


def evaluate(searcher: Searcher, items: Iterable[dict[str, Any]], k: int = 10) -> dict[str, Any]:
    """{origin: {kind: figures, "all": …, "partial": …}}; "absent" gives confident_share."""
    stats: dict[str, dict[str, KindStats]] = defaultdict(lambda: defaultdict(KindStats))
    for item in items:
        _score_item(searcher, item, stats[item.get("origin", "generated")][item["kind"]], k)
    out: dict[str, Any] = {}
    for origin, kinds in sorted(stats.items()):
        report: dict[str, Any] = {}
        overall, partial = KindStats(), KindStats()
        for kind, st in sorted(kinds.items()):
            if kind == "absent":
                report[kind] = {"n": st.n, "confident_share": st.confident / max(st.n, 1),
                                "failures": st.failures}  # fmt: skip
                continue
            report[kind] = st.figures()
            overall.add(st)
            if kind in PARTIAL_KINDS:
                partial.add(st)
        report["all"] = overall.figures()
        if partial.n:
            report["partial+prefix"] = partial.figures()
        out[origin] = report
    return out


_TITLES = {"generated": "generated from the list by written rules",
           "hand": "written by hand, as a relative types"}  # fmt: skip


def format_report(report: dict[str, Any]) -> str:
    lines: list[str] = []
    for origin, kinds in report.items():
        lines.append(f"## {origin}: {_TITLES.get(origin, origin)}")
        lines.append(f"{'kind':16} {'n':>4} {'R@10':>6} {'MRR':>6} {'P@1':>6} {'conf@1':>6}")
        for kind, r in kinds.items():
            if kind == "absent":
                continue
            if kind in ("all", "partial+prefix"):
                lines.append("-" * 48 if kind == "all" else "")
            lines.append(
                f"{kind:16} {r['n']:4d} {r['recall@10']:6.3f} {r['mrr']:6.3f} {r['p@1']:6.3f} "
                f"{r['confident@1']:6.3f}"
            )
        if "absent" in kinds:
            a = kinds["absent"]
            lines.append(f"absent names: {a['n']}, confident answers: {a['confident_share']:.1%}")
        lines.append("")
    return "\n".join(lines).rstrip()


def main(argv: list[str] | None = None) -> int:
    from memorybook.storage.engine import archive_path, open_archive

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("queries", nargs="+", help="JSONL query sets")
    ap.add_argument("--archive", default=None)
    ap.add_argument("--failures", action="store_true", help="list the queries that missed")
    ap.add_argument("--json", default=None, help="write the figures as JSON here")
    ap.add_argument(
        "--same-name",
        action="store_true",
        help="expect every record of the archive printed with an expected record's name "
        "(sets labelled on one list, run on an archive of several)",
    )
    args = ap.parse_args(argv)
    engine = open_archive(archive_path(args.archive), read_only=True)
    searcher = Searcher.open(engine)
    items = load_items(*args.queries)
    if args.same_name:
        from memorybook.storage.search_store import iter_record_names

        with engine.connect() as conn:
            added = same_name_expected(items, iter_record_names(conn))
        print(f"expected records widened to the archive by name: {added} added")
    report = evaluate(searcher, items)
    print(format_report(report))
    if args.failures:
        for origin, kinds in report.items():
            for kind, r in kinds.items():
                if kind in ("all", "partial+prefix"):
                    continue
                for f in r["failures"]:
                    print(f"  {origin}/{kind}: {f}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
