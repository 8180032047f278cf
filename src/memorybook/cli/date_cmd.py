"""`date`: how memorybook reads one printed date phrase (EDTF, bounds, warnings)."""

from __future__ import annotations

import argparse
import sys

from memorybook.cli.common import print_json


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "date",
        help="read one printed date phrase ('до 1940 г.') as the importers do: EDTF and bounds",
    )
    p.add_argument("phrase", help="the date as printed, e.g. 'до 1940 г.' or 'около 1900'")
    p.add_argument(
        "--century", type=int, default=None, help="century of two-digit years (19: 24.5.56)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_date)


def run_date(args: argparse.Namespace) -> int:
    from memorybook.dates import date_json, read_date

    value = date_json(read_date(args.phrase, args.century))
    if args.json:
        print_json(value)
        return 0
    bounds = f"{value['earliest'] or '…'} – {value['latest'] or '…'}"
    sys.stdout.write(f"{value['edtf']}\t{bounds}\n")
    for w in value["warnings"]:
        sys.stdout.write(f"  warning: {w}\n")
    return 0
