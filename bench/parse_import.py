"""Parsing and import throughput on the real Memorial lists (and a 1,000,000-entry import).

    python bench/parse_import.py [--data ../shared/data] [--runs 5] [--million]

Prints, for each list: parse entries/s on one core (median of --runs), end-to-end import
entries/s into a fresh SQLite archive (records, events, places and search keys written;
median of 3), and with --million the time of an import of 1,000,000 entries (the national
list replicated, marked synthetic). Targets: parse >= 50,000/s, import >= 25,000/s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import cycle, islice
from pathlib import Path

from memorybook.ingest.formats import RawEntry, memorial_lists, memorial_moscow
from memorybook.ingest.importer import import_sources
from memorybook.ingest.parser import parse_entry
from memorybook.storage.engine import open_archive
from memorybook.storage.migrate import upgrade

REPO = Path(__file__).resolve().parents[1]


def median_rate(fn, n: int, runs: int) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    rates = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        rates.append(n / (time.perf_counter() - t))
    return statistics.median(rates), rates


def parse_bench(entries: list[RawEntry], style: str, runs: int) -> float:
    texts = [e.verbatim for e in entries if not e.empty]

    def run() -> None:
        for t in texts:
            parse_entry(t, style)

    med, _ = median_rate(run, len(texts), runs)
    return med


def import_bench(fmt: str, path: Path, n: int, runs: int) -> float:
    rates = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            engine = open_archive(str(Path(tmp) / "bench.sqlite"))
            upgrade(engine)
            t = time.perf_counter()
            import_sources(engine, fmt, [path])
            rates.append(n / (time.perf_counter() - t))
            engine.dispose()
    return statistics.median(rates)


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
    print(
        f"{'list':<16}{'parse/s (median)':>18}{'target ratio':>14}{'import/s (median)':>20}{'target ratio':>14}"
    )
    for name, ents, style, path, n in (
        ("memorial-moscow", moscow, "moscow", pages, len(moscow)),
        ("memorial-lists", lists, "lists", texts, len(lists)),
    ):
        p = parse_bench(ents, style, args.runs)
        i = import_bench(name, path, n, args.import_runs)
        print(f"{name:<16}{p:>18,.0f}{p / 50_000:>14.2f}{i:>20,.0f}{i / 25_000:>14.2f}")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
