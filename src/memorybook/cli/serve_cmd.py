"""`memorybook serve`: the web archive on uvicorn (`memorybook.web.server`)."""

from __future__ import annotations

import argparse
import os

from memorybook.errors import ConfigurationError
from memorybook.web.settings import Settings

_DEFAULTS = Settings()


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("serve", help="serve the web archive", description=__doc__)
    p.add_argument(
        "--archive", help="the archive (default: $MEMORYBOOK_ARCHIVE or memorybook.sqlite)"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free port)")
    p.add_argument(
        "--workers", type=int, default=1, help="worker processes (default 1; 2 on a 2-core machine)"
    )
    p.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="requests a worker computes at once; the rest wait their turn "
        f"(default {_DEFAULTS.concurrency})",
    )
    p.add_argument(
        "--public-url",
        default=None,
        help="the site's public address (e.g. https://memorybook.example) for the absolute "
        "links in JSON-LD and exports; default: links relative to the site",
    )
    p.add_argument(
        "--log-level",
        default=os.environ.get("MEMORYBOOK_LOG_LEVEL", "info"),
        choices=("critical", "error", "warning", "info", "debug", "trace"),
        help="info (default; also $MEMORYBOOK_LOG_LEVEL) logs one line per request; "
        "warning only problems",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from memorybook.cli.common import engine_for
    from memorybook.storage.engine import archive_path
    from memorybook.web.server import ServeOptions, serve

    if not 0 <= args.port <= 65535:
        raise ConfigurationError(f"--port must be between 0 and 65535, not {args.port}")
    # The archive must exist and be current before anything listens.
    engine_for(args, read_only=True).dispose()
    from memorybook.web.security import csp

    tiles = os.environ.get("MEMORYBOOK_WEB_TILE_URL", "")
    try:
        csp(tiles)
    except ValueError as exc:
        raise ConfigurationError(f"MEMORYBOOK_WEB_TILE_URL={tiles!r}: {exc}") from None
    # The factory runs in every worker process and reads its settings from the environment.
    os.environ["MEMORYBOOK_ARCHIVE"] = archive_path(args.archive)
    if args.concurrency is not None:
        os.environ["MEMORYBOOK_WEB_CONCURRENCY"] = str(max(1, args.concurrency))
    if args.public_url is not None:
        os.environ["MEMORYBOOK_WEB_PUBLIC_URL"] = args.public_url
    serve(ServeOptions(args.host, args.port, max(1, args.workers), args.log_level))
    return 0
