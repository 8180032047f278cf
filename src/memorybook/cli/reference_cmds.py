"""`figures` (the ledger of published figures, side by side) and `check` (their consistency)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import Engine

from memorybook.cli.common import add_archive_option, engine_for, print_json
from memorybook.storage.engine import archive_path


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "figures",
        help="every source's figure per operation and measure, disagreements marked",
    )
    p.add_argument("--operation", help="operation key, alias or order number (e.g. polish, 00485)")
    p.add_argument("--measure", help="shot, arrested, sentenced, camps, quota_1, quota_2 ...")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_figures)

    p = sub.add_parser(
        "check",
        help="consistency checks over the reference figures, and against the archive's lists",
    )
    add_archive_option(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--strict", action="store_true", help="exit 1 when anything is found")
    p.set_defaults(func=run_check)


def run_figures(args: argparse.Namespace) -> int:
    from memorybook.reference import load_reference
    from memorybook.reference.ledger import ledger, ledger_json, render_ledger_text

    rows = ledger(load_reference(), operation=args.operation, measure=args.measure)
    if args.json:
        print_json(ledger_json(rows))
    else:
        sys.stdout.write(render_ledger_text(rows) + "\n")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from memorybook.reference import load_reference
    from memorybook.reference.archive_checks import archive_findings
    from memorybook.reference.checks import render_findings_text, run_checks

    ref = load_reference()
    findings = run_checks(ref) + archive_findings(ref, _archive_if_any(args))
    if args.json:
        print_json([f.to_json() for f in findings])
    else:
        sys.stdout.write(render_findings_text(findings) + "\n")
    return 1 if (args.strict and findings) else 0


def _archive_if_any(args: argparse.Namespace) -> Engine | None:
    """The archive to compare with, or None where there is none (a file not yet created)."""
    path = archive_path(args.archive)
    if "://" not in path and not Path(path).exists():
        return None
    return engine_for(args)
