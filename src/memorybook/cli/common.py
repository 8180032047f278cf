"""What every command shares: the archive option, JSON output, one-line errors."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from memorybook.errors import NotFound
from memorybook.storage.engine import archive_path, open_archive


def add_archive_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--archive",
        default=None,
        help="archive file or database URL (default: $MEMORYBOOK_ARCHIVE, else memorybook.sqlite)",
    )


# Engines a command opened, closed when it ends (`close_engines`): a PostgreSQL session must
# not be left to the garbage collector when commands run inside a longer-lived process.
_OPENED: list[Engine] = []


def opened(engine: Engine) -> Engine:
    _OPENED.append(engine)
    return engine


def close_engines() -> None:
    while _OPENED:
        _OPENED.pop().dispose()


def engine_for(
    args: argparse.Namespace, *, check_schema: bool = True, read_only: bool = False
) -> Engine:
    """The archive a command works on. Only `init` (check_schema=False) may create one; every
    other command needs an existing archive whose schema is current, and says what to run
    otherwise (without leaving an empty file behind)."""
    from memorybook.storage.migrate import require_current

    path = archive_path(args.archive)
    if check_schema and "://" not in path and not Path(path).expanduser().exists():
        raise NotFound(f"no archive at {path}: run `memorybook init --archive {path}` first")
    engine = opened(open_archive(path, read_only=read_only))
    if check_schema:
        try:
            require_current(engine)
        except BaseException:
            engine.dispose()
            raise
    return engine


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=2) + "\n")
