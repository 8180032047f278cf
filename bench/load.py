"""Load test of the web archive on loopback: concurrent keep-alive clients against a
`memorybook serve` this script starts and stops itself.

    python3 bench/load.py --archive memorybook.sqlite               # 50 connections
    python3 bench/load.py --archive big.sqlite --connections 32,8 --duration 10 --workers 2
    python3 bench/load.py --archive memorybook.sqlite --scenarios mixed --workers 2 \
        --cache off --repeat 3                                        # issue 12's mixed load

Scenarios: search, record, statistics, browse (filter only: a nationality and a page, no
name), export (CSV of a name search or of a nationality), suggest (autocomplete of names cut
after a random letter) and mixed (all but suggest in the shares of `MIX`). Every path is used
once before any is repeated, so `--cache off` (the server's search and record caches set to 0)
measures cold answers; with the cache on, the share of answers the server took from it (its
`X-Cache` header) is printed beside the figures; with `--repeat N` every repetition
starts a fresh server and the medians of the N runs are printed (the counts of requests,
5xx, 429 and errors are summed over the runs). The mixed scenario's goal —
no 5xx and p99 <= 500 ms at 50 connections — is printed as a ratio (p99 / 500 ms).

Prints requests/s, p50/p95/p99 latency and errors per scenario and connection count (for
mixed, per kind too) with the load average, the result caches' hit ratio (from the server's
`X-Cache`), the start-up to the first answer and to the first search, and each worker's
resident and proportional memory after the phase; the national goals (search at 32
connections >= 600 req/s with p99 <= 100 ms, <= 500 MB per worker, start-up <= 5 s) as
ratios; and writes the same as JSON to bench/out/load.json. The statistics scenario asks
the statistics page and each chart's table. --archive may be a PostgreSQL URL. Only 127.0.0.1 is ever contacted; every phase is bounded in time, and
the server is stopped at the end (or on any error)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
OUT = Path(__file__).resolve().parent / "out"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _dies_with_us() -> None:
    from memorybook.procs import die_with_parent

    die_with_parent()  # its workers end with it (web/server.py)


def start_server(
    archive: str, port: int, workers: int, concurrency: int | None, cache: bool = True
) -> subprocess.Popen[bytes]:
    # `memorybook serve` itself, so that what is measured is what is deployed.
    env = dict(os.environ, MEMORYBOOK_WEB_RATE="0")
    if not cache:
        env.update(MEMORYBOOK_WEB_SEARCH_CACHE="0", MEMORYBOOK_WEB_RECORD_CACHE="0")
    cmd = [
        sys.executable, "-m", "memorybook.cli.main", "serve", "--archive", archive,
        "--host", HOST, "--port", str(port), "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    if concurrency is not None:
        cmd += ["--concurrency", str(concurrency)]
    # The server ends with this script, however it ends (a killed bench left it serving).
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, preexec_fn=_dies_with_us)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5) as s:
                s.sendall(b"GET /static/site.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return proc
        except OSError:
            pass
        time.sleep(0.25)
    proc.kill()
    raise SystemExit("the server did not answer within 120 s")


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the server and its workers (Linux /proc): on
    a shared machine the latencies depend on the others' load, this does not."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def worker_memory(pid: int) -> list[dict[str, Any]]:
    """Resident and proportional (shared pages divided among their sharers) memory of the
    server and each of its worker processes, in MB (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            fields = dict(
                line.split(":", 1)
                for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()[1:]
            )
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (OSError, ValueError):
            continue
        kb = {k: int(v.split()[0]) for k, v in fields.items() if k in ("Rss", "Pss")}
        out.append(
            {"pid": p, "rss_mb": kb.get("Rss", 0) // 1024, "pss_mb": kb.get("Pss", 0) // 1024}
        )
    return out


def first_answer(port: int, path: str) -> float:
    """Seconds for one answer of `path` on a fresh connection (the first search of a worker
    loads what searching needs)."""

    async def one() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            await asyncio.wait_for(fetch(reader, writer, path), 60)
        finally:
            writer.close()

    t0 = time.perf_counter()
    asyncio.run(one())
    return time.perf_counter() - t0


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (OSError, ValueError):
            continue
        out += kids
        todo += kids
    return out


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


LEFTOVERS: list[int] = []  # server workers that outlived their server (killed by stop_server)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and every worker it started: a worker still busy after its server
    ended (seen at 3 M: computing charts for minutes) would load the next phase."""
    workers = _descendants(proc.pid)
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 10
    for pid in workers:
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _running(pid):
            LEFTOVERS.append(pid)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


async def fetch(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str
) -> tuple[int, str]:
    """Status and the server's `X-Cache` (hit, miss, or "" where no result cache was asked)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    chunked = False
    cache = ""
    for line in head.split(b"\r\n"):
        low = line.lower()
        if low.startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
        elif low.startswith(b"transfer-encoding:") and b"chunked" in low:
            chunked = True
        elif low.startswith(b"x-cache:"):
            cache = low.split(b":", 1)[1].strip().decode()
    if chunked:  # the streamed exports
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status, cache


class Paths:
    """The paths of a phase, shared by its clients: each is used once before any repeats."""

    def __init__(self, paths: list[str], start: int = 0) -> None:
        self.paths, self.at = paths, start

    def next(self) -> str:
        path = self.paths[self.at % len(self.paths)]
        self.at += 1
        return path


async def client(
    port: int, paths: Paths, until: float, lat: list[tuple[str, float]], statuses: list[int],
    errs: list[str], caches: Counter[str],
) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.perf_counter() < until:
            path = paths.next()
            t0 = time.perf_counter()
            try:
                status, cache = await asyncio.wait_for(fetch(reader, writer, path), 10)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                errs.append(type(exc).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                continue
            lat.append((path, time.perf_counter() - t0))
            statuses.append(status)
            caches[cache] += 1
    finally:
        writer.close()


def _quantiles(values: list[float]) -> dict[str, float]:
    if len(values) < 20:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "p99_ms": float("nan")}
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {f"p{k}_ms": round(q[k - 1] * 1000, 1) for k in (50, 95, 99)}


async def phase(
    port: int, paths: Paths, conns: int, seconds: float, kind_of: dict[str, str] | None = None
) -> dict[str, Any]:
    lat: list[tuple[str, float]] = []
    statuses: list[int] = []
    errs: list[str] = []
    caches: Counter[str] = Counter()
    start = time.perf_counter()
    until = start + seconds
    await asyncio.gather(
        *(client(port, paths, until, lat, statuses, errs, caches) for _ in range(conns))
    )
    took = time.perf_counter() - start
    out: dict[str, Any] = {
        "connections": conns,
        "requests": len(lat),
        "rps": round(len(lat) / took, 1),
        **_quantiles([t for _, t in lat]),
        "status_5xx": sum(1 for s in statuses if s >= 500),
        "status_429": sum(1 for s in statuses if s == 429),
        "status_other": sum(1 for s in statuses if s != 200 and s != 429 and s < 500),
        "connection_errors": len(errs),
        "error_kinds": sorted({*errs, *(str(s) for s in statuses if s != 200)})[:8],
    }
    out["errors"] = out["status_5xx"] + out["status_other"] + out["connection_errors"]
    looked = caches["hit"] + caches["miss"]
    out["cache_hits"], out["cache_misses"] = caches["hit"], caches["miss"]
    out["cache_hit_ratio"] = round(caches["hit"] / looked, 3) if looked else None
    if kind_of:
        kinds: dict[str, list[float]] = {}
        for path, t in lat:
            kinds.setdefault(kind_of.get(path, "?"), []).append(t)
        out["kinds"] = {k: {"requests": len(v), **_quantiles(v)} for k, v in sorted(kinds.items())}
    return out


def _misspell(word: str, rng: random.Random) -> str:
    """One typing error: a letter dropped, doubled or swapped with its neighbour."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def rows(archive: str, sql: str) -> list[tuple[Any, ...]]:
    """A read-only query on the archive: a SQLite file, or a database URL (PostgreSQL)."""
    if "://" not in archive:
        with sqlite3.connect(f"file:{archive}?mode=ro", uri=True) as db:
            return db.execute(sql).fetchall()
    from sqlalchemy import create_engine, text

    engine = create_engine(archive)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def workload(archive: str, queries: int) -> dict[str, list[str]]:
    """Queries made from names drawn from the archive itself, mixed as families type them:
    surname and given name (40 %), surname alone (20 %), the full name (15 %), a Latin
    romanisation (15 %) and a misspelling (10 %); record ids drawn from the whole archive."""
    from memorybook.stats import CHARTS
    from memorybook.text.translit import transliterate

    rng = random.Random(1937)
    people = rows(
        archive, "SELECT surname, given_name, patronymic FROM record WHERE surname IS NOT NULL"
    )
    ids = [i for (i,) in rows(archive, "SELECT id FROM record WHERE verbatim IS NOT NULL")]
    out: set[str] = set()
    for _ in range(queries * 20):
        if len(out) >= queries or not people:
            break
        s, g, p = rng.choice(people)
        roll = rng.random()
        if roll < 0.40 and g:
            q = f"{s} {g}"
        elif roll < 0.60:
            q = s
        elif roll < 0.75:
            q = " ".join(x for x in (s, g, p) if x)
        elif roll < 0.90:
            scheme = rng.choice(("popular", "german", "polish", "bgn"))
            q = transliterate(" ".join(x for x in (g, s) if x), scheme).title()
        else:
            q = " ".join(x for x in (_misspell(s, rng), g) if x)
        out.add(q)
    names = sorted(out)
    rng.shuffle(names)
    paths = {
        "search": [f"/search.json?q={urllib.parse.quote(n)}" for n in names]
        or ["/search.json?q=x"],
        "record": [f"/records/{i}.json" for i in rng.sample(ids, min(len(ids), 20_000))],
        # The statistics page and each of its charts as a table.
        "statistics": ["/statistics.json", *(f"/statistics/{k}.csv" for k in CHARTS)],
    }
    paths["suggest"] = suggest_paths(names, rng)
    paths["browse"] = browse_paths(archive, rng)
    paths["export"] = export_paths(names, archive, rng)
    paths["mixed"] = mixed_paths(paths, rng)
    return paths


def suggest_paths(names: list[str], rng: random.Random) -> list[str]:
    """Autocomplete as someone types: each query cut after a random letter (two at least),
    so the last word is mostly unfinished."""
    out = []
    for name in names:
        if len(name) >= 2:
            out.append(name[: rng.randint(2, len(name))].rstrip())
    return [f"/api/suggest?q={urllib.parse.quote(t)}" for t in dict.fromkeys(out)] or [
        "/api/suggest?q=x"
    ]


def browse_paths(archive: str, rng: random.Random) -> list[str]:
    """Browsing by filter only, as the search page's facets lead a visitor: a nationality
    (every value the archive holds, weighted by how often it occurs) and a page of it, with
    no name. Every (nationality, page) pair is distinct, so nothing is answered from cache."""
    counts = rows(
        archive,
        "SELECT nationality, COUNT(*) FROM record WHERE nationality IS NOT NULL"
        " GROUP BY nationality",
    )
    pairs = [(nat, page) for nat, n in counts for page in range(1, min(500, -(-n // 20)) + 1)]
    rng.shuffle(pairs)
    return [f"/search.json?nationality={urllib.parse.quote(n)}&page={p}" for n, p in pairs] or [
        "/search.json?page=2"
    ]


def export_paths(names: list[str], archive: str, rng: random.Random) -> list[str]:
    """CSV exports of a name search (up to the candidate cap) and of one nationality."""
    nats = [
        n
        for (n,) in rows(
            archive, "SELECT DISTINCT nationality FROM record WHERE nationality IS NOT NULL"
        )
    ]
    out = [f"/search/export.csv?q={urllib.parse.quote(n)}" for n in names[:2000]]
    out += [f"/search/export.csv?nationality={urllib.parse.quote(n)}" for n in nats]
    rng.shuffle(out)
    return out or ["/search/export.csv?q=x"]


# The mixed scenario: what a day of visitors asks, by share of requests.
MIX = {"search": 0.35, "browse": 0.25, "record": 0.25, "statistics": 0.05, "export": 0.10}


def mixed_paths(paths: dict[str, list[str]], rng: random.Random, n: int = 40_000) -> list[str]:
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]
    cursor = dict.fromkeys(kinds, 0)
    out = []
    for kind in rng.choices(kinds, weights, k=n):
        pool = paths[kind]
        out.append(pool[cursor[kind] % len(pool)])
        cursor[kind] += 1
    return out


GOAL_P99_MS = 500.0  # the mixed load's goal at 50 connections on 2 workers (issue 12)
# The national archive's goals (issue 11): search at 32 connections, memory, start-up.
GOAL_SEARCH_RPS, GOAL_SEARCH_P99_MS = 600.0, 100.0
GOAL_WORKER_MB, GOAL_STARTUP_S = 500.0, 5.0
FIGURES = (
    "rps", "p50_ms", "p95_ms", "p99_ms", "status_5xx", "status_429", "errors",
    "cpu_ms_per_request", "cache_hit_ratio", "startup_s", "first_search_s",
    "max_worker_rss_mb", "max_worker_pss_mb",
)  # fmt: skip


COUNTS = ("requests", "status_5xx", "status_429", "status_other", "connection_errors", "errors")


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the repetitions, except the counts of answers and
    errors, which are summed (one 5xx in any run is one too many; the runs are kept too)."""
    out = dict(runs[0])
    for key in FIGURES:
        values = [r[key] for r in runs if isinstance(r.get(key), int | float)]
        if values:
            out[key] = statistics.median(values)
    for key in COUNTS:
        out[key] = sum(int(r.get(key) or 0) for r in runs)
    out["error_kinds"] = sorted({k for r in runs for k in r.get("error_kinds", [])})[:8]
    if "kinds" in runs[0]:
        out["kinds"] = {
            kind: {
                "requests": sum(r["kinds"][kind]["requests"] for r in runs if kind in r["kinds"]),
                **{
                    key: statistics.median(
                        r["kinds"][kind][key] for r in runs if kind in r["kinds"]
                    )
                    for key in ("p50_ms", "p95_ms", "p99_ms")
                },
            }
            for kind in runs[0]["kinds"]
        }
    out["runs"] = runs
    return out


def _line(scenario: str, r: dict[str, Any]) -> str:
    text = (
        f"{scenario:<11} {r['connections']:>3} conns  {r['rps']:>8.1f} req/s"
        f"  p50 {r['p50_ms']:>6.1f} ms  p95 {r['p95_ms']:>6.1f} ms  p99 {r['p99_ms']:>6.1f} ms"
        f"  5xx {r['status_5xx']}  429 {r['status_429']}  errors {r['errors']}"
        f"  cpu {r.get('cpu_ms_per_request', float('nan')):.1f} ms/req"
    )
    if r.get("cache_hit_ratio") is not None:
        text += f"  cache hits {r['cache_hit_ratio']:.0%}"
    if "startup_s" in r:
        text += (
            f"  start-up {r['startup_s']:.1f} s (goal {GOAL_STARTUP_S:.0f}), first search"
            f" {r['first_search_s']:.2f} s, worker RSS {r['max_worker_rss_mb']} MB"
            f" PSS {r['max_worker_pss_mb']} MB (goal {GOAL_WORKER_MB:.0f})"
        )
    if scenario == "mixed":
        text += f"  p99/goal {r['p99_ms'] / GOAL_P99_MS:.2f}"
    if scenario == "search":
        text += (
            f"  req/s / goal {r['rps'] / GOAL_SEARCH_RPS:.2f},"
            f" p99 / goal {r['p99_ms'] / GOAL_SEARCH_P99_MS:.2f}"
        )
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", default=os.environ.get("MEMORYBOOK_ARCHIVE", "memorybook.sqlite"))
    ap.add_argument("--connections", default="50", help="comma-separated, e.g. 50,32,8")
    ap.add_argument("--duration", type=float, default=8.0, help="seconds per phase")
    ap.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per scenario")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--queries", type=int, default=5000, help="distinct search queries")
    ap.add_argument(
        "--concurrency", type=int, default=None, help="requests computed at once per worker"
    )
    ap.add_argument("--scenarios", default="search,record,statistics")
    ap.add_argument(
        "--cache", choices=("on", "off"), default="on",
        help="off: the server's search and record caches hold nothing (cold answers)",
    )  # fmt: skip
    ap.add_argument(
        "--repeat", type=int, default=1, help="runs per scenario, each on a fresh server; medians"
    )
    ap.add_argument("--out", type=Path, default=OUT / "load.json")
    args = ap.parse_args(argv)
    if "://" not in args.archive and not Path(args.archive).exists():
        raise SystemExit(f"{args.archive}: no such archive")
    paths = workload(args.archive, args.queries)
    kind_of = {p: k for k in MIX for p in paths[k]}
    load_before = os.getloadavg()
    results: list[dict[str, Any]] = []
    for scenario in args.scenarios.split(","):
        for conns in (int(c) for c in args.connections.split(",")):
            runs = []
            for rep in range(max(1, args.repeat)):
                port = free_port()
                t_start = time.perf_counter()
                proc = start_server(
                    args.archive, port, args.workers, args.concurrency, args.cache == "on"
                )
                startup = time.perf_counter() - t_start
                try:
                    # Start-up to the first answer: the server answers a static file, then
                    # the first search of a fresh connection (neither is in the measured phase).
                    first_search = first_answer(port, paths["search"][-1])
                    # Warm-up (not timed) on paths the measured phase does not use.
                    shared = Paths(paths[scenario], start=len(paths[scenario]) // 2 + rep * 997)
                    asyncio.run(phase(port, shared, 8, args.warmup))
                    measured = Paths(paths[scenario], start=rep * 7919)
                    cpu0 = server_cpu_seconds(proc.pid)
                    r = asyncio.run(
                        phase(port, measured, conns, args.duration,
                              kind_of if scenario == "mixed" else None)
                    )  # fmt: skip
                    cpu = server_cpu_seconds(proc.pid) - cpu0
                    memory = worker_memory(proc.pid)
                    r["server_cpu_s"] = round(cpu, 2)
                    r["startup_s"] = round(startup, 2)
                    r["first_search_s"] = round(first_search, 3)
                    r["memory"] = memory
                    r["max_worker_rss_mb"] = max((m["rss_mb"] for m in memory), default=None)
                    r["max_worker_pss_mb"] = max((m["pss_mb"] for m in memory), default=None)
                    r["cpu_ms_per_request"] = round(1000 * cpu / max(1, r["requests"]), 2)
                finally:
                    stop_server(proc)
                r["scenario"] = scenario
                r["loadavg"] = [round(x, 2) for x in os.getloadavg()]
                runs.append(r)
                print(_line(scenario, r) + f"  (run {rep + 1}, load {r['loadavg'][0]})", flush=True)
            result = _median_run(runs) if len(runs) > 1 else runs[0]
            results.append(result)
            if len(runs) > 1:
                print(
                    _line(scenario, result)
                    + f"  (median of {len(runs)}; requests and errors summed)",
                    flush=True,
                )
            if scenario == "mixed":
                for kind, k in result["kinds"].items():
                    print(
                        f"    {kind:<10} {k['requests']:>7} requests  p50 {k['p50_ms']:>6.1f} ms"
                        f"  p95 {k['p95_ms']:>6.1f} ms  p99 {k['p99_ms']:>6.1f} ms",
                        flush=True,
                    )
    if LEFTOVERS:
        print(f"{len(LEFTOVERS)} server workers outlived their server and were killed", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "archive": args.archive,
                "workers": args.workers,
                "concurrency": args.concurrency,
                "cache": args.cache,
                "repeat": args.repeat,
                "queries": len(paths["search"]),
                "mix": MIX,
                "goal_p99_ms": GOAL_P99_MS,
                "loadavg_before": [round(x, 2) for x in load_before],
                "loadavg_after": [round(x, 2) for x in os.getloadavg()],
                "server_workers_outliving_their_server": len(LEFTOVERS),
                "command": " ".join(["python3", "bench/load.py", *(argv or sys.argv[1:])]),
                "results": results,
            },
            indent=2,
        )
    )
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
