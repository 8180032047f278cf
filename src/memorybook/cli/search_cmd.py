"""`memorybook search`: find people by name (see ../shared/docs/interfaces.md)."""

from __future__ import annotations

import argparse
import json
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
    from memorybook.cli.common import engine_for
    from memorybook.search.api import Searcher

    if not args.batch and not (args.query or "").strip():
        raise BadQuery("give a name to search for, or --batch FILE")
    # The whole batch is read and checked before anything is searched or printed.
    items = _read_batch(args.batch) if args.batch else []
    engine = engine_for(args, read_only=True)
    searcher = None
    try:
        searcher = Searcher.open(engine)
        if searcher.index is None:
            raise NotFound(
                f"{args.archive or 'the archive'} has no search index yet: import a source first"
            )
        if args.batch:
            out = sys.stdout
            with engine.connect() as conn:
                for res in searcher.search_batch(items):
                    _with_persons(conn, res["results"])
                    out.write(json.dumps(res, ensure_ascii=False) + "\n")
            return 0
        result = searcher.search(args.query, _filters(args), limit=args.limit, offset=args.offset)
        if args.json:
            data = result.to_json()
            with engine.connect() as conn:
                _with_persons(conn, data["results"], [h.record_id for h in result.results])
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
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
        if searcher is not None:
            searcher.close()  # its connections, before the pool goes
        engine.dispose()


def _with_persons(conn: Any, results: list[dict[str, Any]], ids: list[int] | None = None) -> None:
    """Each record-level result gets the id of the person it belongs to (an extra key,
    "person"; null for a record no linkage run has placed yet). `ids` are the results'
    record ids; without them they are read from the results (or found by locator)."""
    from memorybook.search.persons import person_ids
    from memorybook.storage.link_store import record_by_locator

    if ids is None:
        ids = []
        for r in results:
            rid = r.get("record_id")
            if rid is None:
                loc = r.get("locator") or {}
                found = record_by_locator(conn, str(loc.get("file")), int(loc.get("index", -1)))
                rid = found[0] if len(found) == 1 else -1
            ids.append(int(rid))
    persons = person_ids(conn, [i for i in ids if i > 0])
    for r, rid in zip(results, ids, strict=True):
        r["person"] = persons.get(rid)


def _read_batch(path: str) -> list[Any]:
    """Every line of a `--batch` file checked (`search.batch`); the first bad line stops the
    command with its line number, before any output."""
    from memorybook.search.batch import parse_item

    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except IsADirectoryError:
            raise BadQuery(f"{path}: is a directory, not a JSON Lines file") from None
        except FileNotFoundError:
            raise NotFound(f"{path}: no such file") from None
        except OSError as exc:
            raise BadQuery(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadQuery(
            f"{path}: not UTF-8 at byte offset {exc.start}; a batch file is UTF-8 JSON Lines"
        ) from None
    items = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadQuery(f"{path}:{n}: not JSON ({exc.msg})") from exc
        try:
            items.append(parse_item(item))
        except BadQuery as exc:
            raise BadQuery(f"{path}:{n}: {exc}") from None
    return items
