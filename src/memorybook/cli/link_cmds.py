"""`memorybook link`, `link review`, `link decisions`, `persons` (../shared/docs/interfaces.md)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from pathlib import Path

from memorybook.cli.common import add_archive_option, engine_for, print_json
from memorybook.errors import BadQuery


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "link", help="group the records of one person (Splink), within and across sources"
    )
    add_archive_option(p)
    p.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb")
    p.add_argument(
        "--ignore-source-identities",
        action="store_true",
        help="do not use the person ids a source asserts itself (measures the matcher alone)",
    )
    p.add_argument("--json", action="store_true", help="print the run's report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=run_link, link_command=None)
    lsub = p.add_subparsers(dest="link_command", metavar="SUBCOMMAND")
    r = lsub.add_parser("review", help="decide the pairs the model was unsure of, in a terminal")
    _sub_archive_option(r)
    r.add_argument("--who", default=None, help="your name, kept with each decision")
    r.add_argument("--limit", type=int, default=None, help="review at most this many pairs")
    r.set_defaults(func=run_review)
    d = lsub.add_parser("decisions", help="export or import the stored decisions (CSV)")
    _sub_archive_option(d)
    g = d.add_mutually_exclusive_group(required=True)
    g.add_argument("--export", metavar="FILE", help='write all decisions as CSV ("-": stdout)')
    g.add_argument("--import", dest="import_", metavar="FILE", help="read decisions from CSV")
    d.set_defaults(func=run_decisions)

    q = sub.add_parser("persons", help="print persons and their records")
    add_archive_option(q)
    q.add_argument("--json", action="store_true", help="one JSON object per person and line")
    q.set_defaults(func=run_persons)


def _sub_archive_option(p: argparse.ArgumentParser) -> None:
    # SUPPRESS: `link --archive X review` keeps X (a sub-command's default would replace it).
    p.add_argument("--archive", default=argparse.SUPPRESS, help="as for `link`")


def run_link(args: argparse.Namespace) -> int:
    from memorybook.linkage import link_archive

    engine = engine_for(args)
    started = time.monotonic()

    def progress(stage: str) -> None:  # on stderr: stdout stays the report
        print(f"link: {stage} ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)

    report = link_archive(
        engine,
        backend=args.backend,
        use_source_identities=not args.ignore_source_identities,
        progress=None if args.quiet else progress,
    )
    if args.json:
        print_json(report.as_dict())
        return 0
    state = "unchanged: nothing written" if report.unchanged else f"run {report.run_id}"
    print(
        f"{state}; {report.records} records ({report.compared} with a name), "
        f"{report.persons} persons ({report.multi_record_persons} with several records); "
        f"links: {report.accepted} accepted, {report.review} to review, {report.cut} cut by "
        f"a decision or contradiction; {report.decisions_used} decisions; "
        f"{report.seconds:.1f} s"
    )
    return 0


def _who(args: argparse.Namespace) -> str:
    if args.who:
        return str(args.who)
    try:
        return os.environ.get("MEMORYBOOK_USER") or getpass.getuser()
    except (KeyError, OSError):
        raise BadQuery("say who decides with --who NAME") from None


def run_review(args: argparse.Namespace) -> int:
    from memorybook.linkage.review import review

    engine = engine_for(args)
    counts = review(engine, _who(args), sys.stdin, sys.stdout, args.limit)
    print(
        f"\n{counts['same']} same, {counts['not_same']} not the same, {counts['skipped']} skipped;"
        " run `memorybook link` to apply"
    )
    return 0


def run_decisions(args: argparse.Namespace) -> int:
    from memorybook.linkage import decisions

    engine = engine_for(args)
    if args.export:
        if args.export == "-":
            n = decisions.export_csv(engine, sys.stdout)
        else:
            with open(args.export, "w", encoding="utf-8", newline="") as out:
                n = decisions.export_csv(engine, out)
        print(f"{n} decisions exported", file=sys.stderr)
        return 0
    rows = decisions.read_csv(Path(args.import_))
    counts = decisions.import_rows(engine, rows)
    print(
        f"{counts['read']} decisions read, {counts['stored']} stored, "
        f"{counts['unchanged']} already known; run `memorybook link` to apply"
    )
    return 0


def run_persons(args: argparse.Namespace) -> int:
    from memorybook.linkage.persons import persons_json

    engine = engine_for(args)
    with engine.connect() as conn:
        out = sys.stdout
        for row in persons_json(conn):
            if args.json:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                out.write(f"{row['person']}\t{len(row['records'])} record(s)\n")
    return 0
