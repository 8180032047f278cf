"""Parsing and import throughput on the real Memorial lists (and a 1,000,000-entry import).

    python bench/parse_import.py [--data ../shared/data] [--runs 5] [--million]

Prints, for each list: parse entries/s on one core, cold (the parser's memo caches cleared
before each run: what an import of a new list meets) and warm (the same entries again, caches
full), medians of --runs; end-to-end import entries/s into a fresh SQLite archive (records,
places and search keys written, name index built; caches cleared before each run; median of
--import-runs), with the CPU seconds beside the wall time (the machine is shared: CPU time is
the steadier figure); and with --million the time of an import of 1,000,000 entries (the
national list replicated, marked synthetic). Targets: parse >= 50,000/s, import >= 25,000/s.
Writes bench/out/parse_import.json. The national-size benchmark is bench/national.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import cycle, islice
from pathlib import Path

from memorybook.ingest.formats import RawEntry, memorial_lists, memorial_moscow
from memorybook.ingest.importer import import_sources
from memorybook.ingest.parser import clear_caches, parse_entry
from memorybook.storage.engine import open_archive
from memorybook.storage.migrate import upgrade

REPO = Path(__file__).resolve().parents[1]


def parse_bench(entries: list[RawEntry], style: str, runs: int) -> tuple[float, float]:
    """(cold, warm) parse rates: cold after clearing the parser's caches, warm right after on
    the same entries. Medians of `runs`."""
    texts = [e.verbatim for e in entries if not e.empty]
    cold, warm = [], []
    for _ in range(runs):
        for out, clear in ((cold, True), (warm, False)):
            if clear:
                clear_caches()
            t = time.perf_counter()
            for text in texts:
                parse_entry(text, style)
            out.append(len(texts) / (time.perf_counter() - t))
    return statistics.median(cold), statistics.median(warm)


def import_bench(fmt: str, path: Path, n: int, runs: int) -> tuple[float, float]:
    """(entries/s wall, entries per CPU second of this process and its workers), medians."""
    rates, cpu_rates = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            engine = open_archive(str(Path(tmp) / "bench.sqlite"))
            upgrade(engine)
            clear_caches()
            c0 = _cpu()
            t = time.perf_counter()
            import_sources(engine, fmt, [path])
            rates.append(n / (time.perf_counter() - t))
            cpu_rates.append(n / (_cpu() - c0))
            engine.dispose()
    return statistics.median(rates), statistics.median(cpu_rates)


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the import's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def synthetic_entries(entries: list[RawEntry], total: int) -> Iterator[RawEntry]:
    src = [e for e in entries if not e.empty]
    for i, e in enumerate(islice(cycle(src), total)):
        yield RawEntry(
            locator={"file": "synthetic-texts.txt", "index": i},
            verbatim=e.verbatim,
            raw=e.raw,
            raw_start=e.raw_start,
            raw_end=e.raw_end,
            line=e.line,
        )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--import-runs", type=int, default=3)
    ap.add_argument("--million", action="store_true", help="also time a 1,000,000-entry import")
    args = ap.parse_args()
    pages = args.data / "memorial-moscow" / "pages"
    texts = args.data / "memorial-lists-texts" / "texts.txt"
    if not pages.is_dir() or not texts.is_file():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    moscow = list(memorial_moscow.iter_entries(pages))
    lists = list(memorial_lists.iter_entries(texts))
    n_moscow = sum(1 for e in moscow if not e.empty)
    n_lists = sum(1 for e in lists if not e.empty)
    print(f"entries: memorial-moscow {n_moscow:,}, memorial-lists {n_lists:,}")
    print(f"load average {os.getloadavg()}")
    print(
        f"{'list':<16}{'parse/s cold':>14}{'warm':>10}{'ratio(cold)':>12}"
        f"{'import/s':>10}{'per CPU-s':>11}{'ratio':>8}"
    )
    results: dict[str, object] = {"load_average": os.getloadavg(), "lists": {}}
    for name, ents, style, path, n in (
        ("memorial-moscow", moscow, "moscow", pages, len(moscow)),
        ("memorial-lists", lists, "lists", texts, len(lists)),
    ):
        cold, warm = parse_bench(ents, style, args.runs)
        wall, per_cpu = import_bench(name, path, n, args.import_runs)
        print(
            f"{name:<16}{cold:>14,.0f}{warm:>10,.0f}{cold / 50_000:>12.2f}"
            f"{wall:>10,.0f}{per_cpu:>11,.0f}{wall / 25_000:>8.2f}"
        )
        results["lists"][name] = {  # type: ignore[index]
            "parse_cold_per_s": round(cold), "parse_warm_per_s": round(warm),
            "import_per_s": round(wall), "import_per_cpu_s": round(per_cpu),
        }  # fmt: skip
    if args.million:
        with tempfile.TemporaryDirectory() as tmp:
            engine = open_archive(str(Path(tmp) / "million.sqlite"))
            upgrade(engine)
            t = time.perf_counter()
            report = import_sources(
                engine,
                "memorial-lists",
                [texts],
                synthetic=True,
                title="SYNTHETIC: national list replicated to 1,000,000 entries",
                entries_override=synthetic_entries(lists, 1_000_000),
            )
            dt = time.perf_counter() - t
            size = (Path(tmp) / "million.sqlite").stat().st_size
            print(
                f"1,000,000 synthetic entries: {dt:,.1f} s ({report.records_created / dt:,.0f} entries/s, "
                f"ratio to target {report.records_created / dt / 25_000:.2f}); archive {size / 2**20:,.0f} MiB"
            )
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "parse_import.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
