"""`memorybook serve`: the web archive on uvicorn (the factory `memorybook.web.app:create_app`)."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
from pathlib import Path

from memorybook.errors import MemorybookError


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("serve", help="serve the web archive", description=__doc__)
    p.add_argument(
        "--archive", help="the SQLite archive (default: $MEMORYBOOK_ARCHIVE or memorybook.sqlite)"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--workers", type=int, default=1, help="worker processes (default 1; 2 on a 2-core machine)"
    )
    p.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="requests a worker computes at once; the rest wait their turn (default 4)",
    )
    p.add_argument("--log-level", default="warning", help="uvicorn's log level (default warning)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from memorybook.storage.engine import archive_path

    path = archive_path(args.archive)
    if "://" not in path and not Path(path).exists():
        raise MemorybookError(
            f"{path}: no such archive (run `memorybook init` and an import first)"
        )
    # The factory runs in every worker process and reads its settings from the environment.
    os.environ["MEMORYBOOK_ARCHIVE"] = path
    if args.concurrency is not None:
        os.environ["MEMORYBOOK_WEB_CONCURRENCY"] = str(max(1, args.concurrency))
    workers = max(1, args.workers)
    if workers == 1:
        serve_worker(args.host, args.port, args.log_level)
        return 0
    # One process per worker, each with a listener of its own on the same port: the kernel
    # (SO_REUSEPORT) spreads new connections across them. With one shared listener, a
    # worker's accept loop drains bursts of keep-alive connections and the other idles.
    ctx = multiprocessing.get_context("fork")
    procs = [
        ctx.Process(target=serve_worker, args=(args.host, args.port, args.log_level))
        for _ in range(workers)
    ]
    for proc in procs:
        proc.start()
    try:
        for proc in procs:
            proc.join()
    except KeyboardInterrupt:
        pass
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join(timeout=10)
    return 0


def listener(host: str, port: int) -> socket.socket:
    """A listening socket for one worker.

    Its protocol is IPPROTO_TCP, not 0, because asyncio turns Nagle's algorithm off on
    accepted connections only for such sockets; with it on, every small response waited
    for the client's delayed ACK (a fixed ~40 ms, measured)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


def serve_worker(host: str, port: int, log_level: str) -> None:
    import uvicorn

    config = uvicorn.Config(
        "memorybook.web.app:create_app",
        factory=True,
        log_level=log_level,
        proxy_headers=False,
        server_header=False,
    )
    uvicorn.Server(config).run(sockets=[listener(host, port)])
