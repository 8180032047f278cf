"""`init`, `import`, `import-all` and `parse`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from memorybook.cli.common import add_archive_option, engine_for, print_json
from memorybook.cli.progress import ProgressDisplay
from memorybook.ingest.entry_checks import DEFAULT_MAX_ENTRY_BYTES, MAX_ENTRY_BYTES_ENV
from memorybook.ingest.formats import FORMATS

EXTRA_FORMATS = ("topography", "geocoded-addresses")


def add_max_entry_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--max-entry-bytes",
        type=int,
        metavar="BYTES",
        help="an entry larger than this is kept unparsed, its beginning shown, with a warning"
        f" (default: ${MAX_ENTRY_BYTES_ENV}, else {DEFAULT_MAX_ENTRY_BYTES})",
    )


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="create or upgrade an archive and load the reference data")
    add_archive_option(p)
    p.set_defaults(func=run_init)

    p = sub.add_parser("import", help="import sources into the archive")
    add_archive_option(p)
    p.add_argument("--format", required=True, choices=sorted([*FORMATS, *EXTRA_FORMATS]))
    p.add_argument("--encoding", help="the files' encoding (default: from the file, else UTF-8)")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="csv/jsonl: map a column to an entry field (repeatable)",
    )
    p.add_argument("--delimiter", default=",", help="csv: the cell delimiter")
    p.add_argument("--title", help="the source's title")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress display")
    add_max_entry_option(p)
    p.add_argument("paths", nargs="+", type=Path)
    p.set_defaults(func=run_import)

    p = sub.add_parser("import-all", help="import every Memorial list found in a data folder")
    add_archive_option(p)
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")
    add_max_entry_option(p)
    p.set_defaults(func=run_import_all)

    p = sub.add_parser("parse", help="parse entries to JSON lines (no archive needed)")
    p.add_argument("--format", required=True, choices=sorted(FORMATS))
    p.add_argument("--encoding")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN")
    p.add_argument("--delimiter", default=",", help="csv: the cell delimiter")
    add_max_entry_option(p)
    p.add_argument("paths", nargs="+", type=Path)
    p.set_defaults(func=run_parse)


def run_init(args: argparse.Namespace) -> int:
    from memorybook.archive import init_archive

    engine = engine_for(args, check_schema=False)
    summary = init_archive(engine)
    print(f"archive ready: {summary}")
    return 0


def _progress(quiet: bool) -> ProgressDisplay:
    return ProgressDisplay(enabled=not quiet)


def run_import(args: argparse.Namespace) -> int:
    from memorybook.archive import import_into

    engine = engine_for(args)
    with _progress(args.quiet) as progress:
        report = import_into(
            engine,
            args.format,
            args.paths,
            encoding=args.encoding,
            options={"mapping": args.map, "delimiter": args.delimiter},
            title=args.title,
            progress=progress.callback(f"{args.format}"),
            max_entry_bytes=args.max_entry_bytes,
        )
    if args.json:
        print_json(report.to_json())
    else:
        print(report.render_text())
    return 0


def run_import_all(args: argparse.Namespace) -> int:
    from memorybook.archive import import_all

    engine = engine_for(args)
    with _progress(args.quiet) as progress:
        reports = import_all(
            engine, args.data, progress=progress, max_entry_bytes=args.max_entry_bytes
        )
    if args.json:
        print_json([r.to_json() for r in reports])
    else:
        for r in reports:
            print(r.render_text())
    return 0


def run_parse(args: argparse.Namespace) -> int:
    from memorybook.ingest.entry_checks import checked_entries, max_entry_bytes
    from memorybook.ingest.formats.base import source_files
    from memorybook.ingest.parser import parse_raw_entry

    fmt = FORMATS[args.format]
    limit = max_entry_bytes(args.max_entry_bytes)
    options = {"mapping": args.map, "delimiter": args.delimiter}
    if fmt.reading_options:
        fmt.reading_options(options)  # a bad --map or --delimiter stops before any output
    out = sys.stdout
    for file in source_files(fmt, list(args.paths)):
        src = fmt.decode(file, args.encoding)
        for entry in checked_entries(fmt.read(src, options), limit):
            if entry.empty:
                continue
            parsed = parse_raw_entry(entry, fmt.style)
            line = parsed.to_json(entry.locator, entry.verbatim)
            warnings = [*entry.warnings, *parsed.warnings]
            if warnings:
                line["warnings"] = warnings
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return 0
