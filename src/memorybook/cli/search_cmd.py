"""`memorybook search`: find people by name (see ../shared/docs/interfaces.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from memorybook.errors import BadQuery, NotFound


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "search",
        help="find people by name (Cyrillic, any romanisation, own-language forms, initials)",
    )
    p.add_argument("query", nargs="?", help='e.g. "Zygmunt Milewski", "Крон А.Ф.", "Милев*"')
    p.add_argument(
        "--archive",
        default=None,
        help="archive file or database URL (default: $MEMORYBOOK_ARCHIVE, else memorybook.sqlite)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--born", type=int, help="birth year (either of two printed years)")
    p.add_argument("--born-from", type=int, help="born in or after this year")
    p.add_argument("--born-to", type=int, help="born in or before this year")
    p.add_argument("--died", type=int, help="year of death")
    p.add_argument("--nationality", help='as printed, e.g. "поляк" (also finds "полька")')
    p.add_argument("--burial", help='burial place, e.g. "Бутово"')
    p.add_argument("--source", help="a source family or source key")
    p.add_argument("--limit", type=int, default=10, help="results to show (default 10)")
    p.add_argument("--offset", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument(
        "--batch", metavar="FILE", help='JSONL of {"id", "query", "filters"} ("-": stdin)'
    )
    p.set_defaults(func=run)


def _filters(args: argparse.Namespace) -> Any:
    from memorybook.search.api import SearchFilters

    return SearchFilters(
        born=args.born,
        born_from=args.born_from,
        born_to=args.born_to,
        died=args.died,
        nationality=args.nationality,
        burial_place=args.burial,
        source=args.source,
    )


def run(args: argparse.Namespace) -> int:
    from memorybook.search.api import Searcher
    from memorybook.storage.engine import archive_path, open_archive

    if not args.batch and not (args.query or "").strip():
        raise BadQuery("give a name to search for, or --batch FILE")
    path = archive_path(args.archive)
    if "://" not in path and not os.path.exists(path):
        raise NotFound(f"no archive at {path}")
    engine = open_archive(path, read_only=True)
    try:
        searcher = Searcher.open(engine)
        if searcher.index is None:
            raise NotFound(f"{path} has no search index yet: import a source first")
        if args.batch:
            return _run_batch(searcher, args.batch)
        result = searcher.search(args.query, _filters(args), limit=args.limit, offset=args.offset)
        if args.json:
            sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
            return 0
        if not result.results:
            print(f"no one found for {args.query!r}")
        for hit in result.results:
            mark = "=" if hit.confident else "~"
            loc = f"{hit.locator['file']}#{hit.locator['index']}"
            print(f"{mark} {hit.score:.2f}  {hit.name}  (b. {hit.birth or '?'})  [{loc}]")
            print(f"        {hit.why}")
        return 0
    finally:
        engine.dispose()


def _run_batch(searcher: Any, path: str) -> int:
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    try:
        items = []
        for n, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BadQuery(f"{path}:{n}: not JSON ({exc.msg})") from exc
            if not isinstance(item, dict) or "query" not in item:
                raise BadQuery(f'{path}:{n}: each line needs {{"id", "query"}}')
            items.append(item)
    finally:
        if stream is not sys.stdin:
            stream.close()
    out = sys.stdout
    for res in searcher.search_batch(items):
        out.write(json.dumps(res, ensure_ascii=False) + "\n")
    return 0
