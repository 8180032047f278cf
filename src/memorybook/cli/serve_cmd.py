"""`memorybook serve`: the web archive on uvicorn (the factory `memorybook.web.app:create_app`)."""

from __future__ import annotations

import argparse
import os
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
    import uvicorn

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
    uvicorn.run(
        "memorybook.web.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=max(1, args.workers),
        log_level=args.log_level,
        proxy_headers=False,
        server_header=False,
    )
    return 0
