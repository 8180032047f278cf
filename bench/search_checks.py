"""Truth checks of the name search on a REAL archive (never run by the test suite).

    python3 bench/search_checks.py --archive memorybook.sqlite [--out result.json]

Prints, with the load average:
- negative pairs (search/data/not_equivalent.yaml): for every record whose given name is one
  of a pair (all of them, not a sample), its surname with the other name of the pair, in
  both orders: how many of those queries name that record confidently (goal 0; counted
  apart where the record prints the typed name itself in parentheses, which is right);
- nonsense queries: how many hits each gets (goal 0);
- the issue's as-you-type examples: the rank of the first record whose surname starts with
  the intended surname and whose given name is the intended one (written below, a person
  reading the issue chose them; nothing here is tuned to them);
- entries without a printed name among the results of any query above (goal 0);
- suggest latency on this archive: p50/p95 of the typed starts of real names (every prefix
  from two letters of "surname given" for a sample of records), warm-up untimed, the
  per-word match cache cleared before each; wall clock and CPU time (the machine is shared)."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

NONSENSE = ("zzzzqqq", "qqqq", "ъъъъ", "xzxzxz", "Ыыыыыы", "кщкщкщ", "wqwqwq zzz")
# (query, surname the person's starts with, given name): the section 3.
EXAMPLES = (
    ("Левон Баласанович Ша", "шахназаров", "левон"),
    ("Стефан Александрович Кру", "кру", "стефан"),
    ("Petrzhik Iv", "петржик", "иван"),
    ("Milewski Zyg", "милевский", "сигизмунд"),
)


def load_average() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(q * len(s)))]


def negative_pairs(searcher: Any, records: list[dict[str, Any]]) -> dict[str, Any]:
    from memorybook.search.names import not_equivalent
    from memorybook.text.normalise import norm_word

    by_given: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for r in records:
        if r["surname"] and r["given_name"]:
            by_given[norm_word(r["given_name"])].append((r["id"], r["surname"]))
    queries = confident = via_alias = 0
    wrong: list[str] = []
    pairs_met = 0
    for p in not_equivalent():
        for typed, printed in ((p.a, p.b), (p.b, p.a)):
            recs = by_given.get(norm_word(printed), [])
            pairs_met += bool(recs)
            for rid, surname in recs:
                for query in (f"{surname} {typed}", f"{typed} {surname}"):
                    queries += 1
                    hits = [h for h in searcher.search(query).results
                            if h.record_id == rid and h.confident]  # fmt: skip
                    if hits and hits[0].alias:
                        via_alias += 1  # the record prints that name too, in parentheses
                    elif hits:
                        confident += 1
                        wrong.append(f"{query} -> {hits[0].name} ({hits[0].why})")
    return {"pair_directions_met": pairs_met, "queries": queries, "confident": confident,
            "confident_through_a_printed_alias": via_alias, "wrong": wrong[:20]}  # fmt: skip


def examples(searcher: Any, nameless: set[int]) -> dict[str, Any]:
    from memorybook.text.normalise import norm_word

    out: dict[str, Any] = {}
    for query, surname, given in EXAMPLES:
        res = searcher.search(query).results
        rank = next(
            (i + 1 for i, h in enumerate(res)
             if norm_word(h.name.split()[0]).startswith(surname)
             and len(h.name.split()) > 1 and norm_word(h.name.split()[1]) == given),
            None,
        )  # fmt: skip
        out[query] = {"rank": rank, "top": [f"{h.name} ({h.score:.3f})" for h in res[:3]],
                      "nameless_hits": sum(h.record_id in nameless for h in res)}  # fmt: skip
    return out


def suggest_latency(searcher: Any, records: list[dict[str, Any]], n: int) -> dict[str, Any]:
    rng = random.Random(1937)
    named = [r for r in records if r["surname"] and r["given_name"]]
    sample = rng.sample(named, min(len(named), 2 * n))
    typed: list[str] = []
    for r in sample:
        text = f"{r['surname']} {r['given_name']}"
        typed += [text[:k] for k in range(2, len(text) + 1) if not text[:k].endswith(" ")]
    warm, timed = typed[: len(typed) // 4], typed[len(typed) // 4 :]
    for t in warm:  # warm-up, untimed
        searcher.suggest(t)
    searcher._matches.clear()
    ts, cpu = [], []
    for t in timed:
        searcher._matches.clear()  # cache off: every word matched afresh
        t0, c0 = time.perf_counter(), time.thread_time()
        searcher.suggest(t)
        ts.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return {"queries": len(ts), "p50_ms": statistics.median(ts), "p95_ms": pct(ts, 0.95),
            "p99_ms": pct(ts, 0.99), "cpu_p50_ms": statistics.median(cpu),
            "cpu_p95_ms": pct(cpu, 0.95), "goal_p95_ms": 20.0}  # fmt: skip


def main() -> int:
    from memorybook.search.api import Searcher
    from memorybook.storage.engine import archive_path, open_archive
    from memorybook.storage.search_store import iter_record_names

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", default=None)
    ap.add_argument("--suggest", type=int, default=300, help="records whose name is typed")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    load_start = load_average()
    engine = open_archive(archive_path(args.archive), read_only=True)
    searcher = Searcher.open(engine)
    with engine.connect() as conn:
        records = list(iter_record_names(conn))
    nameless = {r["id"] for r in records if not (r["surname"] or r["given_name"])}
    res: dict[str, Any] = {"records": len(records), "nameless_records": len(nameless)}
    res["nonsense"] = {q: len(searcher.search(q).results) for q in NONSENSE}
    res["examples"] = examples(searcher, nameless)
    res["negative_pairs"] = negative_pairs(searcher, records)
    res["suggest"] = suggest_latency(searcher, records, args.suggest)
    res["load_average"] = [load_start, load_average()]
    searcher.close()
    engine.dispose()
    neg, sug = res["negative_pairs"], res["suggest"]
    print(f"archive: {res['records']:,} records ({len(nameless):,} without a printed name); "
          f"load average {load_start}")  # fmt: skip
    print("nonsense hits: " + ", ".join(f"{q!r} {k}" for q, k in res["nonsense"].items()))
    for q, e in res["examples"].items():
        print(f"{q!r}: intended person at rank {e['rank']}; top {e['top']}; "
              f"nameless hits {e['nameless_hits']}")  # fmt: skip
    print(f"negative pairs: {neg['queries']:,} queries over {neg['pair_directions_met']} pair "
          f"directions met in the archive, confident answers naming the other name's record: "
          f"{neg['confident']} (and {neg['confident_through_a_printed_alias']} where the record "
          f"prints the typed name itself in parentheses)")  # fmt: skip
    for w in neg["wrong"]:
        print(f"  {w}")
    print(f"suggest (cache off, warm-up untimed): {sug['queries']:,} typed starts, p50 "
          f"{sug['p50_ms']:.2f} ms, p95 {sug['p95_ms']:.2f} ms, p99 {sug['p99_ms']:.2f} ms "
          f"(p95 / goal 20 ms = {sug['p95_ms'] / 20:.2f}); CPU time p50 {sug['cpu_p50_ms']:.2f} "
          f"ms, p95 {sug['cpu_p95_ms']:.2f} ms; load average at the end "
          f"{res['load_average'][1]}")  # fmt: skip
    if args.out:
        Path(args.out).write_text(json.dumps(res, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
