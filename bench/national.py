"""The national benchmark: a SYNTHETIC national list of 3,000,000 entries, end to end.

    python3 bench/national.py generate --entries 3000000 --scratch /tmp/mb-national
    python3 bench/national.py import   --scratch /tmp/mb-national [--archive URL] [--runs 1]
    python3 bench/national.py size     --archive /tmp/mb-national/national.sqlite
    python3 bench/national.py all      --entries 3000000 --scratch /tmp/mb-national \\
                                       [--postgresql postgresql+psycopg:///memorybook_bench]

`generate` writes the list in the memorial-lists text format (entries between `---` lines,
one file per 250,000 entries) to a scratch folder, never into the repository. Every entry is
made from the real distributions in ../shared/data and is SYNTHETIC (the folder's README says
so and the import marks the source and every record synthetic): a name line (surname, given
name, patronymic as the Moscow list prints them, or with the surname in capitals as the
Politburo lists do, now and then with a variant in parentheses), then the lines of a real
entry's kinds (birth, occupation, residence, arrest, sentencing body and date, sentence,
execution, rehabilitation), each drawn from the real lines of texts.txt of that kind and sex
with the share of entries that have it. Names: given names and patronymics by sex from the
Moscow list; surnames from the Moscow list extended to a national vocabulary (~800,000
distinct, as bench/search.py builds it). Deterministic for a seed.

`import` measures import to searchable (parse, write, name index) in a fresh process per run
(the parser's caches start empty; the operating system's file cache is not dropped: this is a
shared machine), wall and CPU seconds, median of --runs. `size` reports bytes per entry by
table. `all` runs generate, import and size on SQLite (and PostgreSQL with --postgresql), then
bench/load.py on the archive with the result cache off and on; the scratch folder is removed
at the end unless --keep. Results: bench/out/national.json. Goals: import >= 15,000 entries/s
on SQLite, <= 1.2 KB per entry."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SHARED = Path(os.environ.get("MEMORYBOOK_SHARED", ROOT.parent / "shared")) / "data"
TEXTS = SHARED / "memorial-lists-texts" / "texts.txt"
PER_FILE = 250_000
GOAL_RATE = 15_000
GOAL_BYTES = 1200

# The kinds of line of a texts.txt entry, in the order the lists print them, by leading word;
# the ones with a sex say it (Родился / Родилась).
KINDS: tuple[tuple[str, str], ...] = (
    ("birth", r"Родил(ась|ся)"),
    ("other", r""),
    ("residence", r"Прожива(ла|л)"),
    ("arrest", r"Арестова(на|н)"),
    ("sentenced", r"Приговоре(на|н)"),
    ("sentence", r"Приговор:"),
    ("executed", r"Расстреля(на|н)"),
    ("rehab", r"Реабилитирова(на|н)"),
)


def _search_bench() -> Any:
    """bench/search.py's real distributions and national surname vocabulary (one source of
    truth for synthetic names)."""
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def line_pools() -> tuple[dict[str, dict[str, list[str]]], dict[str, float], float]:
    """Real lines of texts.txt by kind and sex ('m', 'f' or '' when the line does not say),
    the share of entries having each kind, and the share of women."""
    patterns = [(k, re.compile(p)) for k, p in KINDS if p]
    pools: dict[str, dict[str, list[str]]] = {k: {"m": [], "f": [], "": []} for k, _ in KINDS}
    having: Counter[str] = Counter()
    women = entries = 0
    text = TEXTS.read_text(encoding="utf-8").replace("\r\n", "\n")
    for piece in text.split("\n---\n"):
        lines = [x for x in piece.split("\n") if x.strip() and x != "---"]
        if not lines:
            continue
        entries += 1
        seen: set[str] = set()
        sex = ""
        for line in lines:
            kind, line_sex = "other", ""
            for k, pattern in patterns:
                m = pattern.match(line)
                if m:
                    kind = k
                    if m.groups():
                        line_sex = "f" if m.group(1) in ("ась", "ла", "на") else "m"
                    break
            if kind in seen:
                continue  # one line of each kind per generated entry
            seen.add(kind)
            sex = sex or line_sex
            pools[kind][line_sex].append(line)
        having.update(seen)
        women += sex == "f"
    share = {k: having[k] / entries for k, _ in KINDS}
    return pools, share, women / entries


def generate(folder: Path, entries: int, seed: int) -> dict[str, Any]:
    sb = _search_bench()
    rng = random.Random(seed)
    t0 = time.perf_counter()
    dist = sb.real_distributions()
    vocab = sb.surname_vocab(sorted(dist["sur"]), min(820_000, max(entries // 4, 1000)), rng)
    weights = [1.0 / (r + 20) for r in range(len(vocab))]
    pools, share, women = line_pools()
    giv = {s: sorted(dist["giv"][s]) for s in "mf"}
    # Cumulative weights once (choices() with plain weights re-adds them on every call; the
    # draws are the same).
    giv_w = {s: list(_accumulate([dist["giv"][s][x] for x in giv[s]])) for s in "mf"}
    pat = {s: sorted(dist["pat"][s]) for s in "mf"}
    pat_w = {s: list(_accumulate([dist["pat"][s][x] for x in pat[s]])) for s in "mf"}
    for kind in pools:
        for sex in pools[kind]:
            pools[kind][sex].sort()
    folder.mkdir(parents=True, exist_ok=True)
    # The marking beside the data (not *.txt: the importer would read it as a list).
    (folder / "README-SYNTHETIC.md").write_text(
        "SYNTHETIC data made by memorybook's bench/national.py (seed "
        f"{seed}): {entries:,} invented entries drawn from the distributions of Memorial's "
        "published lists. No entry describes a real person. Do not publish; delete after use.\n",
        encoding="utf-8",
    )
    # Surnames for all entries at once (choices with cumulative weights is the fast path).
    cum = list(_accumulate(weights))
    n_done = 0
    files = []
    while n_done < entries:
        n = min(PER_FILE, entries - n_done)
        path = folder / f"national-{len(files):03d}.txt"
        surnames = rng.choices(vocab, cum_weights=cum, k=n)
        if n_done == 0:  # every surname of the vocabulary at least once, as in bench/search.py
            k = min(n, len(vocab))
            surnames[:k] = vocab[:k]
            rng.shuffle(surnames)
        out = []
        for i in range(n):
            sex = "f" if rng.random() < women else "m"
            s = surnames[i]
            if sex == "f":
                s = sb._fem(s)
            g = rng.choices(giv[sex], cum_weights=giv_w[sex])[0]
            p = rng.choices(pat[sex], cum_weights=pat_w[sex])[0]
            roll = rng.random()
            if roll < 0.15:
                name = f"{s.upper()} {g} {p}"
            elif roll < 0.165:
                alt = sb._fem(rng.choice(vocab)) if sex == "f" else rng.choice(vocab)
                name = f"{s} {g} {p} ({alt})"
            else:
                name = f"{s} {g} {p}"
            lines = [name]
            for kind, _ in KINDS:
                if rng.random() < share[kind]:
                    pool = pools[kind][sex] or pools[kind][""]
                    if pool:
                        lines.append(rng.choice(pool))
            out.append("\n".join(lines))
        path.write_text("\n---\n".join(out) + "\n---\n", encoding="utf-8")
        files.append(path.name)
        n_done += n
    took = time.perf_counter() - t0
    size = sum((folder / f).stat().st_size for f in files)
    info = {
        "entries": entries, "files": files, "seed": seed, "distinct_surnames": len(vocab),
        "bytes": size, "bytes_per_entry": round(size / entries), "generate_s": round(took, 1),
    }  # fmt: skip
    (folder / "generated.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


def _accumulate(weights: list[float]) -> Any:
    total = 0.0
    for w in weights:
        total += w
        yield total


# --- import to searchable --------------------------------------------------------------------
IMPORT_CODE = """
import json, resource, sys, time
from memorybook.archive import init_archive
from memorybook.ingest.importer import import_sources
from memorybook.storage.engine import open_archive
archive, folder = sys.argv[1], sys.argv[2]
engine = open_archive(archive)
init_archive(engine)
t = time.perf_counter()
report = import_sources(engine, "memorial-lists", [folder], synthetic=True,
                        title="SYNTHETIC national list (bench/national.py)")
took = time.perf_counter() - t
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": took, "records": report.records_created,
                  "summary_s": report.summary_seconds,
                  "entries": report.entries, "status": report.status,
                  "writer_cpu_s": me.ru_utime + me.ru_stime,
                  "workers_cpu_s": kids.ru_utime + kids.ru_stime,
                  "writer_max_rss_mb": me.ru_maxrss // 1024}))
"""


def _dies_with_us() -> None:
    """In a child, before it runs: end when this script ends, however it ends. A bench
    killed mid-import left its import running on (and committing) without anyone waiting."""
    from memorybook.procs import die_with_parent

    die_with_parent()


def fresh_archive(archive: str) -> None:
    """Remove an old SQLite file or recreate the PostgreSQL database."""
    if "://" not in archive:
        for suffix in ("", "-wal", "-shm"):
            Path(archive + suffix).unlink(missing_ok=True)
        return
    from sqlalchemy import make_url

    url = make_url(archive)
    db = url.database
    cmd = ["psql", "-d", "postgres", "-qc"]
    subprocess.run([*cmd, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'], check=True)
    subprocess.run(
        [*cmd, f"CREATE DATABASE \"{db}\" ENCODING 'UTF8' TEMPLATE template0"], check=True
    )


def import_runs(archive: str, folder: Path, runs: int) -> dict[str, Any]:
    results = []
    for _ in range(runs):
        fresh_archive(archive)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", IMPORT_CODE, archive, str(folder)],
            capture_output=True, text=True, check=False, preexec_fn=_dies_with_us,
        )  # fmt: skip
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise SystemExit(f"import failed: {proc.stderr[-2000:]}")
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        results.append({**got, "process_s": wall, "cpu_s": cpu, "load": os.getloadavg()})
    secs = statistics.median(r["seconds"] for r in results)
    n = results[0]["entries"]
    return {
        "archive": archive, "runs": results, "entries": n, "median_s": round(secs, 1),
        "entries_per_s": round(n / secs), "ratio_to_goal": round(n / secs / GOAL_RATE, 2),
        "cpu_s_median": round(statistics.median(r["cpu_s"] for r in results), 1),
        "writer_cpu_s_median": round(statistics.median(r["writer_cpu_s"] for r in results), 1),
        "workers_cpu_s_median": round(statistics.median(r["workers_cpu_s"] for r in results), 1),
        "cpu_us_per_entry": round(1e6 * statistics.median(r["cpu_s"] for r in results) / n),
        # Counting the statistics of the new archive version (stats.summary), inside the
        # import's transaction: part of the time above, given apart.
        "summary_s_median": round(statistics.median(r.get("summary_s", 0.0) for r in results), 1),
        "cache": "fresh process per run (parser caches empty); OS file cache not dropped",
    }  # fmt: skip


# --- size ------------------------------------------------------------------------------------
def size(archive: str) -> dict[str, Any]:
    from sqlalchemy import text

    from memorybook.storage.engine import open_archive

    engine = open_archive(archive)
    if engine.dialect.name == "sqlite":  # the write-ahead log into the file, then measure it
        raw = engine.raw_connection()
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
    with engine.connect() as conn:
        records = int(conn.execute(text("SELECT count(*) FROM record")).scalar() or 0)
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(
                "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
            ).all()
            total = Path(str(engine.url.database)).stat().st_size
        else:
            rows = conn.exec_driver_sql(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 2 DESC"
            ).all()
            total = int(
                conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar() or 0
            )
    engine.dispose()
    per = round(total / records) if records else None
    return {
        "archive": archive, "records": records, "bytes": total, "bytes_per_entry": per,
        "ratio_to_goal": round(GOAL_BYTES / per, 2) if per else None,
        "tables": {str(n): {"bytes": int(b), "per_entry": round(int(b) / max(records, 1))}
                   for n, b in rows[:20]},
    }  # fmt: skip


# --- the web under load ------------------------------------------------------------------------
def load(archive: str, extra: list[str]) -> list[dict[str, Any]]:
    out = []
    for cache in ("off", "on"):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "load.py"), "--archive", archive,
             "--cache", cache, "--connections", "32", "--workers", "2", *extra],
            capture_output=True, text=True, check=False, preexec_fn=_dies_with_us,
        )  # fmt: skip
        print(proc.stdout, end="", flush=True)
        if proc.returncode not in (0, 1):
            print(proc.stderr[-3000:], file=sys.stderr)
        path = OUT / "load.json"
        if path.exists():
            out.append(json.loads(path.read_text()))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=("generate", "import", "size", "load", "all"))
    ap.add_argument("--entries", type=int, default=3_000_000)
    ap.add_argument("--seed", type=int, default=1937)
    ap.add_argument("--scratch", type=Path, default=Path("/tmp/memorybook-national"))
    ap.add_argument("--archive", default=None, help="default: SCRATCH/national.sqlite")
    ap.add_argument("--postgresql", default=None, help="also run on this (throw-away) database")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ap.add_argument("--load-args", default="", help="extra arguments for bench/load.py")
    args = ap.parse_args(argv)
    if ROOT in args.scratch.resolve().parents:
        raise SystemExit("the scratch folder must be outside the repository")
    data = args.scratch / "list"
    archive = args.archive or str(args.scratch / "national.sqlite")
    result: dict[str, Any] = {"command": " ".join(["python3", "bench/national.py", *sys.argv[1:]])}
    result["load_average_at_start"] = os.getloadavg()
    try:
        if args.step in ("generate", "all"):
            result["generate"] = generate(data, args.entries, args.seed)
            print("generated:", json.dumps(result["generate"]), flush=True)
        archives = [archive] + ([args.postgresql] if args.postgresql else [])
        if args.step == "import" or args.step == "all":
            result["import"] = []
            for a in archives:
                r = import_runs(a, data, args.runs)
                result["import"].append(r)
                print(
                    f"import to searchable on {a}: {r['entries']:,} entries in {r['median_s']} s"
                    f" = {r['entries_per_s']:,}/s (ratio to goal {r['ratio_to_goal']}),"
                    f" CPU {r['cpu_s_median']} s (writer {r['writer_cpu_s_median']} s, workers"
                    f" {r['workers_cpu_s_median']} s; {r['cpu_us_per_entry']} µs/entry;"
                    f" statistics counted in {r['summary_s_median']} s of it),"
                    f" load {r['runs'][-1]['load']}",
                    flush=True,
                )
        if args.step in ("size", "all"):
            result["size"] = [size(a) for a in (archives if args.step == "all" else [archive])]
            for r in result["size"]:
                print(
                    f"size of {r['archive']}: {r['bytes_per_entry']} bytes/entry"
                    f" (ratio to goal {r['ratio_to_goal']})",
                    flush=True,
                )
        if args.step in ("load", "all"):
            extra = args.load_args.split()
            result["load"] = [load(a, extra) for a in archives]
    finally:
        result["load_average_at_end"] = os.getloadavg()
        OUT.mkdir(exist_ok=True)
        (OUT / f"national-{args.step}.json").write_text(json.dumps(result, indent=2, default=str))
        if args.step == "all" and not args.keep:
            shutil.rmtree(args.scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
