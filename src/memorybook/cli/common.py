"""What every command shares: the archive option, JSON output, one-line errors."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sqlalchemy import Engine

from memorybook.storage.engine import archive_path, open_archive


def add_archive_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--archive",
        default=None,
        help="archive file or database URL (default: $MEMORYBOOK_ARCHIVE, else memorybook.sqlite)",
    )


def engine_for(args: argparse.Namespace, *, check_schema: bool = True) -> Engine:
    from memorybook.storage.migrate import require_current

    engine = open_archive(archive_path(args.archive))
    if check_schema:
        require_current(engine)
    return engine


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=2) + "\n")
