"""Benchmark of record linkage on SYNTHETIC lists (never run by the test suite).

    python3 bench/linkage.py [--records 1000000] [--repeats 2] [--backend duckdb|spark|both]
        [--data-dir DIR] [--generate-only] [--out bench-linkage.json]

Two lists of N records each (every record synthetic, and the Parquet file says so in its
metadata): list A holds N people whose surnames, given names, patronymics, birth years and
execution dates are drawn from the real Moscow list's distributions (surname vocabulary
extended plausibly as in bench/search.py); list B prints half of them again with realistic
corruption (a typo in the surname, the whole name romanised, surname and given name swapped,
the patronymic missing, the birth year ±1, the execution date missing) and half other
people. The lists are generated once per size and seed into --data-dir (not timed: that is
not linkage); DuckDB spills under --data-dir/spill.

Each timed run is a fresh process under /usr/bin/time -v (cold: interpreter start, imports,
reading the records, the feature columns, training, scoring the blocked pairs, persons by
connected components at the archive's accept threshold, all through linkage.engine as
`memorybook link` uses it); the OS page cache is not dropped (the machine is shared). Peak
memory is the whole process tree's resident set, sampled every 0.1 s (Spark's JVM
included). The evaluation afterwards (pairwise precision and recall over a threshold sweep)
is not timed. Prints medians and ratios to the goals (≤ 60 s end to end, ≤ 3 GB peak
memory, recall ≥ 0.90 at precision ≥ 0.98) and writes a JSON result."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

GOALS = {"seconds": 60.0, "peak_gb": 3.0, "precision": 0.98, "recall": 0.90}
CORRUPTIONS = (
    ("typo", 0.15), ("romanised", 0.10), ("swapped", 0.05), ("no_patronymic", 0.10),
    ("year_pm1", 0.15), ("no_execution_date", 0.10),
)  # fmt: skip
_CYR = "абвгдежзиклмнопрстуфхцчшщыэюя"


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word))
    op = rng.random()
    if op < 0.4:
        return word[:i] + rng.choice(_CYR) + word[i + 1 :]
    if op < 0.7:
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice(_CYR) + word[i:]


def _romanise(word: str | None) -> str | None:
    from memorybook.text.translit import transliterate

    if not word:
        return word
    return transliterate(word.lower(), "popular").capitalize()


GENERATOR_VERSION = 2  # bump when the synthetic lists change (cached files are keyed by it)


def generate(n: int, seed: int) -> tuple[dict[str, list[Any]], dict[str, int]]:
    """Columns of lists A and B (`list`, the names, `birth`, `execution` as an ISO date or
    None) with the person each record stands for (`person`), and the corruption counts."""
    import datetime as dt

    from search import _draw, _fem, real_distributions, surname_vocab  # bench/search.py

    rng = random.Random(seed)
    dist = real_distributions()
    vocab = surname_vocab(list(dist["sur"]), max(90_000, n // 10), rng)
    weights = [dist["sur"].get(s, 1) for s in vocab]
    days = _execution_days()
    sexes = ["f" if rng.random() < 0.06 else "m" for _ in range(2 * n)]
    surnames = rng.choices(vocab, weights=weights, k=2 * n)
    giv = {x: _draw(dist["giv"][x], rng, 2 * n) for x in ("m", "f")}
    pat = {x: _draw(dist["pat"][x], rng, 2 * n) for x in ("m", "f")}
    years = _draw(dist["years"], rng, 2 * n)
    shot = _draw(days, rng, 2 * n)
    cols: dict[str, list[Any]] = {
        k: [] for k in ("person", "list", "surname", "given_name", "patronymic", "birth",
                        "execution")
    }  # fmt: skip

    def person(pid: int) -> dict[str, Any]:
        sex = sexes[pid]
        return {
            "person": pid,
            "surname": surnames[pid] if sex == "m" else _fem(surnames[pid]),
            "given_name": giv[sex][pid],
            "patronymic": pat[sex][pid],
            "birth": years[pid],
            "execution": dt.date.fromordinal(shot[pid]).isoformat(),
        }

    def add(r: dict[str, Any], lst: str) -> None:
        cols["list"].append(lst)
        for k in ("person", "surname", "given_name", "patronymic", "birth", "execution"):
            cols[k].append(r[k])

    counts: Counter[str] = Counter()
    for pid in range(n):
        add(person(pid), "A")
    again = rng.sample(range(n), n // 2)
    for pid in again:
        r = person(pid)
        for kind, prob in CORRUPTIONS:
            if rng.random() >= prob:
                continue
            counts[kind] += 1
            if kind == "typo":
                r["surname"] = _typo(r["surname"], rng)
            elif kind == "romanised":
                for k in ("surname", "given_name", "patronymic"):
                    r[k] = _romanise(r[k])
            elif kind == "swapped":
                r["surname"], r["given_name"] = r["given_name"], r["surname"]
            elif kind == "no_patronymic":
                r["patronymic"] = None
            elif kind == "year_pm1":
                r["birth"] += rng.choice((-1, 1))
            elif kind == "no_execution_date":
                r["execution"] = None
        add(r, "B")
    for pid in range(n, n + (n - len(again))):
        add(person(pid), "B")
    return cols, dict(counts)


def _execution_days() -> Counter[int]:
    import datetime as dt
    import re

    from memorybook.ingest.formats.memorial_moscow import iter_entries
    from search import PAGES

    out: Counter[int] = Counter()
    for e in iter_entries(PAGES):
        m = re.search(r"Расс+трел\w* (\d\d)\.(\d\d)\.(19\d\d)", e.verbatim)
        if m:
            with contextlib.suppress(ValueError):
                out[dt.date(int(m[3]), int(m[2]), int(m[1])).toordinal()] += 1
    return out


def data_file(n: int, seed: int, data_dir: Path) -> tuple[Path, dict[str, Any]]:
    """The synthetic lists as Parquet under `data_dir`, generated once per size, seed and
    generator version (generation is not linkage: it is never inside a timed run)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = data_dir / f"synthetic-{n}-{seed}-v{GENERATOR_VERSION}.parquet"
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text("utf-8"))
    data_dir.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    cols, corrupted = generate(n, seed)
    table = pa.table(
        {
            "person": pa.array(cols["person"], pa.int64()),
            "list": pa.array(cols["list"], pa.string()),
            "surname": pa.array(cols["surname"], pa.string()),
            "given_name": pa.array(cols["given_name"], pa.string()),
            "patronymic": pa.array(cols["patronymic"], pa.string()),
            "birth": pa.array(cols["birth"], pa.int64()),
            "execution": pa.array(
                [None if d is None else dt.date.fromisoformat(d) for d in cols["execution"]],
                pa.date32(),
            ),
        },
        metadata={"synthetic": "true"},
    )
    del cols
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)
    meta = {"corruption": corrupted, "generated_seconds": round(time.perf_counter() - t, 1)}
    meta_path.write_text(json.dumps(meta), "utf-8")
    return path, meta


def read_columns(path: Path) -> tuple[dict[str, Any], Any]:
    """The feature builder's plain columns from the Parquet file, and the person of each
    record (the truth, kept apart from what the matcher sees)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from memorybook.linkage.features import EPOCH

    t = pq.read_table(path)
    n = t.num_rows
    days = pc.subtract(
        t["execution"].cast(pa.int32()).cast(pa.int64()),
        pa.scalar((EPOCH - dt.date(1970, 1, 1)).days, pa.int64()),
    )
    src = pc.binary_join_element_wise("synthetic-", t["list"], "")
    columns = {
        "unique_id": pa.array(range(1, n + 1), pa.int64()),
        "src": src,
        "surname": t["surname"],
        "given_name": t["given_name"],
        "patronymic": t["patronymic"],
        "birth_from": t["birth"],
        "birth_to": t["birth"],
        "execution_day": days,
        # The record's group as linkage.features.group_key makes it: the day its list says
        # it was executed.
        "group": pc.binary_join_element_wise(
            src, "executed", t["execution"].cast(pa.string()), "|"
        ),
    }
    plain = {
        k: v.combine_chunks() if isinstance(v, pa.ChunkedArray) else v for k, v in columns.items()
    }
    return plain, t["person"].combine_chunks()


def pair_scores(cluster_of: Any, person: Any) -> dict[str, float]:
    """Pairwise precision and recall of clusters (unique_id, cluster_id) against the true
    persons (person[i] for unique_id i + 1), counted by groups, not pairs."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = pa.array(range(1, len(person) + 1), pa.int64())
    truth = pa.table({"unique_id": ids, "person": person})
    joined = truth.join(cluster_of, "unique_id", join_type="left outer")
    # A record the clustering left out is a person of its own.
    cid = pc.coalesce(joined["cluster_id"].cast(pa.string()), joined["unique_id"].cast(pa.string()))
    joined = joined.append_column("cid", cid)

    def pairs(keys: list[str]) -> int:
        c = joined.group_by(keys).aggregate([([], "count_all")])["count_all"]
        return int(pc.sum(pc.divide(pc.multiply(c, pc.subtract(c, 1)), 2)).as_py() or 0)

    tp, pred, true = pairs(["cid", "person"]), pairs(["cid"]), pairs(["person"])
    p = tp / pred if pred else 1.0
    r = tp / true if true else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}  # fmt: skip


ACCEPT = 0.99  # linkage.run.DEFAULT_THRESHOLDS.accept
SWEEP = (0.5, 0.8, 0.9, 0.95, 0.99)


def one_run(data: Path, backend: str, spill: Path) -> dict[str, Any]:
    """One cold run (called in a fresh process): from reading the records to persons at the
    accept threshold; the evaluation (a threshold sweep) is not timed."""
    import pyarrow as pa

    from memorybook.linkage.engine import Backend, duckdb_api, predict
    from memorybook.linkage.features import feature_columns

    marks: dict[str, float] = {"start": time.perf_counter() - _process_age()}
    cpu_marks: dict[str, float] = {}

    def mark(name: str) -> None:
        marks[name] = time.perf_counter()
        cpu_marks[name] = _cpu()

    mark("imports")
    columns, person = read_columns(data)
    mark("read")
    # One reference only, handed over to the engine (which copies it into DuckDB and lets
    # it go): a pyarrow table of 2 M records weighs about 0.7 GB.
    tables = [feature_columns(columns)]
    del columns
    mark("features")
    api = None
    if backend == "duckdb":
        spill.mkdir(parents=True, exist_ok=True)
        spill_dir = tempfile.TemporaryDirectory(dir=spill)  # removed when the run ends
        api = duckdb_api(threads=2, temp_dir=spill_dir.name)
    b: Backend = "spark" if backend == "spark" else "duckdb"
    prediction = predict([], backend=b, threshold=0.5, table=tables.pop(), db_api=api)
    mark("train_and_predict")
    persons = prediction.clusters(ACCEPT)
    mark("cluster")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    pairs = prediction.pairs_table().num_rows
    sweep = {}
    for t in SWEEP:
        clusters = persons if t == ACCEPT else prediction.clusters(t)
        sweep[str(t)] = pair_scores(clusters, person)
    prediction.close()
    ok = [v for v in sweep.values() if v["precision"] >= GOALS["precision"]]
    best = max(ok, key=lambda v: v["recall"]) if ok else {"precision": 0.0, "recall": 0.0}
    at = [t for t, v in sweep.items() if v is best]
    steps = ["imports", "read", "features", "train_and_predict", "cluster"]
    start = marks["start"]
    phases, prev = {}, start
    cpu_phases, prev_cpu = {}, 0.0
    for s in steps:
        phases[s] = round(marks[s] - prev, 2)
        cpu_phases[s] = round(cpu_marks[s] - prev_cpu, 2)
        prev, prev_cpu = marks[s], cpu_marks[s]
    return {
        "seconds": round(marks["cluster"] - start, 2),  # process start to persons
        "phases": phases,
        # CPU time of this process (all its threads) and its forked workers to the persons:
        # on a shared machine the wall time depends on the other processes; CPU / 2 cores
        # is what an idle machine would need at best. Spark's JVM is not counted.
        "cpu_seconds": cpu_marks["cluster"],
        "cpu_phases": cpu_phases,
        "pairs_scored": pairs,
        "records": len(person),
        "accept_threshold": ACCEPT,
        "precision": sweep[str(ACCEPT)]["precision"],
        "recall": sweep[str(ACCEPT)]["recall"],
        "best_threshold": float(at[0]) if at else None,
        "recall_at_precision_0.98": best["recall"],
        "sweep": sweep,
        "engine": {
            "duckdb": "memory_limit 1500MB (MEMORYBOOK_LINK_MEMORY), threads 2, spill "
            f"under {spill}"
        }.get(backend, "spark local[2], driver memory capped"),
        "peak_gb_self": round(usage.ru_maxrss / 1024 / 1024, 3),
        "arrow_memory_pool": pa.default_memory_pool().backend_name,
        "pyarrow": pa.__version__,
    }


def _cpu() -> float:
    """CPU seconds of this process and of its children that ended (the feature workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _process_age() -> float:
    """Seconds since this process started (the interpreter's start-up and imports count)."""
    with open("/proc/self/stat", encoding="ascii") as f:
        started_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime", encoding="ascii") as f:
        uptime = float(f.read().split()[0])
    return uptime - started_ticks / os.sysconf("SC_CLK_TCK")


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Spark's JVM included)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError):
            with open(f"/proc/{p}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{p}/task/{p}/children", encoding="ascii") as f:
                todo.extend(int(c) for c in f.read().split())
    return total


def timed_child(args: list[str]) -> tuple[dict[str, Any], float, str]:
    """Run one child under /usr/bin/time -v; (its result, peak resident GB of the whole
    process tree sampled every 0.1 s, /usr/bin/time's maximum resident set)."""
    import threading

    cmd = [sys.executable, __file__, *args]
    timer = Path("/usr/bin/time")
    log = Path(tempfile.mkstemp(prefix="bench-linkage-time-")[1])
    if timer.exists():
        cmd = [str(timer), "-v", "-o", str(log), *cmd]
    # pyarrow's default allocator (mimalloc) keeps freed pages: the feature table handed to
    # DuckDB would still count in the resident set. The system allocator gives them back.
    env = {**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "system"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    time_v = log.read_text("utf-8") if log.exists() else ""
    log.unlink(missing_ok=True)
    if proc.returncode != 0:
        Path("bench-linkage-failure.log").write_text(err, "utf-8")
        raise SystemExit(f"run failed (whole stderr in bench-linkage-failure.log):\n{err[-3000:]}")
    maxrss = next(
        (line.split(":")[1].strip() for line in time_v.splitlines() if "Maximum resident" in line),
        "",
    )
    return json.loads(out.strip().splitlines()[-1]), peak[0] / 1024**3, maxrss


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000, help="records per list")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--backend", choices=("duckdb", "spark", "both"), default="duckdb")
    ap.add_argument("--seed", type=int, default=1937)
    ap.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "bench-linkage",
                    help="where the synthetic lists are cached and DuckDB spills")  # fmt: skip
    ap.add_argument("--generate-only", action="store_true", help="prepare the data and stop")
    ap.add_argument("--out", type=Path, default=Path("bench-linkage.json"))
    ap.add_argument("--run", type=Path, help=argparse.SUPPRESS)  # one timed run (child)
    ap.add_argument("--run-backend", default="duckdb", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        print(json.dumps(one_run(args.run, args.run_backend, args.data_dir / "spill")))
        return 0
    data, meta = data_file(args.records, args.seed, args.data_dir)
    print(
        f"SYNTHETIC lists: {args.records:,} + {args.records:,} records "
        f"(B reprints {args.records // 2:,} of A with corruption {meta['corruption']}); "
        f"generated in {meta['generated_seconds']:.0f} s (not timed as linkage): {data}",
        flush=True,
    )
    if args.generate_only:
        return 0
    backends = ["duckdb", "spark"] if args.backend == "both" else [args.backend]
    result: dict[str, Any] = {
        "synthetic": True,
        "records_per_list": args.records,
        "corruption": meta["corruption"],
        "generation_seconds": meta["generated_seconds"],
        "goals": GOALS,
        "load_average_before": os.getloadavg(),
        "cold": "fresh process per run (imports, reading, features, training, scoring, "
        "clustering); OS page cache not dropped (shared machine)",
    }
    for backend in backends:
        runs = []
        for i in range(args.repeats):
            load = os.getloadavg()
            run, tree_gb, maxrss = timed_child(
                ["--run", str(data), "--run-backend", backend, "--data-dir", str(args.data_dir)]
            )
            run["peak_gb"] = round(tree_gb, 3)
            run["time_v_max_rss_kb"] = maxrss
            run["load_average_before"], run["load_average_after"] = load, os.getloadavg()
            runs.append(run)
            short = {k: v for k, v in run.items() if k != "sweep"}
            print(f"  {backend} run {i + 1}: {short}", flush=True)
        keys = ("seconds", "cpu_seconds", "peak_gb", "precision", "recall",
                "recall_at_precision_0.98")  # fmt: skip
        med = {k: statistics.median(r[k] for r in runs) for k in keys}
        med["seconds_with_generation"] = round(med["seconds"] + meta["generated_seconds"], 1)
        ratios = {
            "seconds": round(med["seconds"] / GOALS["seconds"], 2),
            "peak_gb": round(med["peak_gb"] / GOALS["peak_gb"], 2),
            "recall": round(med["recall_at_precision_0.98"] / GOALS["recall"], 3),
        }
        met = {
            "seconds": med["seconds"] <= GOALS["seconds"],
            "peak_gb": med["peak_gb"] <= GOALS["peak_gb"],
            "recall_at_precision_0.98": med["recall_at_precision_0.98"] >= GOALS["recall"],
        }
        result[backend] = {"runs": runs, "median": med, "ratio_to_goal": ratios, "met": met}
        n = len(runs)
        print(
            f"{backend} ({'median of ' + str(n) + ' runs' if n > 1 else 'one run'}): "
            f"{med['seconds']:.1f} s end to end without data generation, "
            f"{med['seconds_with_generation']:.1f} s with it (x{ratios['seconds']} of the 60 s "
            f"goal; CPU {med['cpu_seconds']:.1f} s), peak {med['peak_gb']:.2f} GB "
            f"(x{ratios['peak_gb']} of 3 GB), at the accept threshold {ACCEPT}: precision "
            f"{med['precision']:.3f} recall {med['recall']:.3f}; recall at precision >= 0.98: "
            f"{med['recall_at_precision_0.98']:.3f} (x{ratios['recall']} of 0.90); goals met: "
            f"{met}; load average {os.getloadavg()}",
            flush=True,
        )
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
