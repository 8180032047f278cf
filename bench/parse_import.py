"""Parsing and import throughput on the real Memorial lists (and a 1,000,000-entry import).

    python bench/parse_import.py [--data ../shared/data] [--runs 5] [--million]

Prints, for each list: parse entries/s on one core, cold (each run a fresh Python process
that reads the list, then times one parse of it with the parser's memo caches empty: what an
import of a new list meets) and warm (in this process, the same entries parsed once untimed,
then timed again with the caches full), medians of --runs; end-to-end import entries/s into
a fresh SQLite archive (records, places and search keys written, name index built; caches
cleared before each run; median of --import-runs); each with entries per CPU second beside
it (the machine is shared: CPU time is the steadier figure). With --million, the time of an
import of 1,000,000 entries (the national list replicated, marked synthetic). Targets: parse
>= 50,000/s, import >= 25,000/s. Writes bench/out/parse_import.json. The national-size
benchmark is bench/national.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
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


def _texts(data: Path, name: str) -> list[str]:
    if name == "memorial-moscow":
        entries = memorial_moscow.iter_entries(data / "memorial-moscow" / "pages")
    else:
        entries = memorial_lists.iter_entries(data / "memorial-lists-texts" / "texts.txt")
    return [e.verbatim for e in entries if not e.empty]


def _parse_rate(texts: list[str], style: str) -> tuple[float, float]:
    """(entries per wall second, entries per CPU second of this process) of one pass."""
    t, c = time.perf_counter(), time.process_time()
    for text in texts:
        parse_entry(text, style)
    return len(texts) / (time.perf_counter() - t), len(texts) / (time.process_time() - c)


def cold_parse_once(data: Path, name: str, style: str) -> tuple[float, float]:
    """One cold parse rate: a fresh process reads the list (not timed), empties the parser's
    caches (nothing should be in them yet) and times one pass."""
    out = subprocess.run(
        [sys.executable, __file__, "--data", str(data), "--cold-run", f"{name}:{style}"],
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    wall, cpu = out.stdout.split()[-2:]
    return float(wall), float(cpu)


def parse_bench(data: Path, name: str, style: str, runs: int) -> dict[str, float]:
    """Parse rates (entries/s, wall and per CPU second), medians of `runs`: cold in fresh
    processes, warm here on the same entries after one untimed pass has filled the caches."""
    cold = [cold_parse_once(data, name, style) for _ in range(runs)]
    texts = _texts(data, name)
    clear_caches()
    _parse_rate(texts, style)  # fills the caches: warm-up, not timed
    warm = [_parse_rate(texts, style) for _ in range(runs)]
    return {
        "cold": statistics.median(r[0] for r in cold),
        "cold_cpu": statistics.median(r[1] for r in cold),
        "warm": statistics.median(r[0] for r in warm),
        "warm_cpu": statistics.median(r[1] for r in warm),
    }


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
    ap.add_argument("--cold-run", help=argparse.SUPPRESS)  # LIST:STYLE, in a fresh process
    args = ap.parse_args()
    if args.cold_run:
        name, style = args.cold_run.split(":")
        texts = _texts(args.data, name)
        clear_caches()
        print(*_parse_rate(texts, style))
        return 0
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
        f"{'list':<16}{'parse/s cold':>14}{'per CPU-s':>11}{'warm':>10}{'per CPU-s':>11}"
        f"{'ratio(cold)':>12}"
        f"{'import/s':>10}{'per CPU-s':>11}{'ratio':>8}"
    )
    results: dict[str, object] = {"load_average": os.getloadavg(), "lists": {}}
    for name, style, path, n in (
        ("memorial-moscow", "moscow", pages, len(moscow)),
        ("memorial-lists", "lists", texts, len(lists)),
    ):
        parse = parse_bench(args.data, name, style, args.runs)
        wall, per_cpu = import_bench(name, path, n, args.import_runs)
        print(
            f"{name:<16}{parse['cold']:>14,.0f}{parse['cold_cpu']:>11,.0f}{parse['warm']:>10,.0f}"
            f"{parse['warm_cpu']:>11,.0f}{parse['cold'] / 50_000:>12.2f}"
            f"{wall:>10,.0f}{per_cpu:>11,.0f}{wall / 25_000:>8.2f}"
        )
        results["lists"][name] = {  # type: ignore[index]
            "parse_cold_per_s": round(parse["cold"]),
            "parse_cold_per_cpu_s": round(parse["cold_cpu"]),
            "parse_warm_per_s": round(parse["warm"]),
            "parse_warm_per_cpu_s": round(parse["warm_cpu"]),
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
