"""Load test of the web archive on loopback: search, record and statistics requests from
concurrent keep-alive clients against a uvicorn this script starts and stops itself.

    python3 bench/load.py --archive memorybook.sqlite               # 50 connections
    python3 bench/load.py --archive big.sqlite --connections 32,8 --duration 10

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


def start_server(archive: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, MEMORYBOOK_ARCHIVE=archive, MEMORYBOOK_WEB_RATE="0")
    cmd = [
        sys.executable, "-m", "uvicorn", "memorybook.web.app:create_app", "--factory",
        "--host", HOST, "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
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


async def get_json(port: int, path: str) -> Any:
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    return json.loads(raw.split(b"\r\n\r\n", 1)[1])


async def workload(port: int, queries: int) -> dict[str, list[str]]:
    """Names and record ids taken from the archive itself, through its own JSON."""
    names: list[str] = []
    ids: list[int] = []
    for page in range(1, 40):
        data = await get_json(port, f"/search.json?size=100&page={page * 7}")
        for h in data.get("hits", []):
            ids.append(int(h["record_id"]))
            if h.get("name"):
                names.append(str(h["name"]).split()[0])
        if len(ids) >= 2000:
            break
    rng = random.Random(1937)
    names = sorted(set(names))
    rng.shuffle(names)
    names = names[:queries] or ["Иванов"]
    return {
        "search": [f"/search.json?q={urllib.parse.quote(n)}" for n in names],
        "record": [f"/records/{i}.json" for i in ids] or ["/records/1.json"],
        "statistics": ["/statistics.json"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", default=os.environ.get("MEMORYBOOK_ARCHIVE", "memorybook.sqlite"))
    ap.add_argument("--connections", default="50", help="comma-separated, e.g. 50,32,8")
    ap.add_argument("--duration", type=float, default=8.0, help="seconds per phase")
    ap.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per scenario")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--queries", type=int, default=200, help="distinct search queries")
    ap.add_argument("--scenarios", default="search,record,statistics")
    args = ap.parse_args(argv)
    if not Path(args.archive).exists():
        raise SystemExit(f"{args.archive}: no such archive")
    port = free_port()
    proc = start_server(args.archive, port, args.workers)
    results: list[dict[str, Any]] = []
    try:
        paths = asyncio.run(workload(port, args.queries))
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
        json.dumps({"archive": args.archive, "workers": args.workers, "results": results}, indent=2)
    )
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
