"""Load test of the web archive on loopback: search, record and statistics requests from
concurrent keep-alive clients against a uvicorn this script starts and stops itself.

    python3 bench/load.py --archive memorybook.sqlite               # 50 connections
    python3 bench/load.py --archive big.sqlite --connections 32,8 --duration 10 --workers 2

Prints requests/s, p50/p95/p99 latency and errors per scenario and connection count, and
writes the same as JSON to bench/out/load.json. Only 127.0.0.1 is ever contacted; every phase
is bounded in time, and the server is stopped at the end (or on any error)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
OUT = Path(__file__).resolve().parent / "out"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(
    archive: str, port: int, workers: int, concurrency: int | None
) -> subprocess.Popen[bytes]:
    # `memorybook serve` itself, so that what is measured is what is deployed.
    env = dict(os.environ, MEMORYBOOK_WEB_RATE="0")
    cmd = [
        sys.executable, "-m", "memorybook.cli.main", "serve", "--archive", archive,
        "--host", HOST, "--port", str(port), "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    if concurrency is not None:
        cmd += ["--concurrency", str(concurrency)]
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5) as s:
                s.sendall(b"GET /index.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return proc
        except OSError:
            pass
        time.sleep(0.25)
    proc.kill()
    raise SystemExit("the server did not answer within 120 s")


async def fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return status


async def client(
    port: int, paths: list[str], until: float, lat: list[float], errs: list[str]
) -> None:
    rng = random.Random()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.perf_counter() < until:
            path = rng.choice(paths)
            t0 = time.perf_counter()
            try:
                status = await asyncio.wait_for(fetch(reader, writer, path), 10)
            except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                errs.append(type(exc).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                continue
            lat.append(time.perf_counter() - t0)
            if status != 200:
                errs.append(str(status))
    finally:
        writer.close()


async def phase(port: int, paths: list[str], conns: int, seconds: float) -> dict[str, Any]:
    lat: list[float] = []
    errs: list[str] = []
    start = time.perf_counter()
    until = start + seconds
    await asyncio.gather(*(client(port, paths, until, lat, errs) for _ in range(conns)))
    took = time.perf_counter() - start
    q = statistics.quantiles(lat, n=100) if len(lat) >= 100 else [float("nan")] * 99
    return {
        "connections": conns,
        "requests": len(lat),
        "rps": round(len(lat) / took, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "errors": len(errs),
        "error_kinds": sorted(set(errs))[:5],
    }


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


def workload(archive: str, queries: int) -> dict[str, list[str]]:
    """Queries made from names drawn from the archive itself, mixed as families type them:
    surname and given name (40 %), surname alone (20 %), the full name (15 %), a Latin
    romanisation (15 %) and a misspelling (10 %); record ids drawn from the whole archive."""
    from memorybook.text.translit import transliterate

    rng = random.Random(1937)
    with sqlite3.connect(f"file:{archive}?mode=ro", uri=True) as db:
        people = db.execute(
            "SELECT surname, given_name, patronymic FROM record WHERE surname IS NOT NULL"
        ).fetchall()
        ids = [i for (i,) in db.execute("SELECT id FROM record WHERE verbatim IS NOT NULL")]
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
    return {
        "search": [f"/search.json?q={urllib.parse.quote(n)}" for n in names]
        or ["/search.json?q=x"],
        "record": [f"/records/{i}.json" for i in rng.sample(ids, min(len(ids), 20_000))],
        "statistics": ["/statistics.json"],
    }


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
    args = ap.parse_args(argv)
    if not Path(args.archive).exists():
        raise SystemExit(f"{args.archive}: no such archive")
    port = free_port()
    paths = workload(args.archive, args.queries)
    proc = start_server(args.archive, port, args.workers, args.concurrency)
    results: list[dict[str, Any]] = []
    try:
        for scenario in args.scenarios.split(","):
            asyncio.run(phase(port, paths[scenario], 8, args.warmup))
            for conns in (int(c) for c in args.connections.split(",")):
                r = asyncio.run(phase(port, paths[scenario], conns, args.duration))
                r["scenario"] = scenario
                results.append(r)
                print(
                    f"{scenario:<11} {conns:>3} conns  {r['rps']:>8.1f} req/s  p50 {r['p50_ms']:>6.1f} ms"
                    f"  p95 {r['p95_ms']:>6.1f} ms  p99 {r['p99_ms']:>6.1f} ms  errors {r['errors']}",
                    flush=True,
                )
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    OUT.mkdir(exist_ok=True)
    (OUT / "load.json").write_text(
        json.dumps(
            {
                "archive": args.archive,
                "workers": args.workers,
                "concurrency": args.concurrency,
                "queries": len(paths["search"]),
                "command": " ".join(["python3", "bench/load.py", *(argv or sys.argv[1:])]),
                "results": results,
            },
            indent=2,
        )
    )
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
