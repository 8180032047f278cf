"""`memorybook`: the command line entry point."""

from __future__ import annotations

import argparse
import sys

from memorybook import __version__
from memorybook.errors import MemorybookError


def build_parser() -> argparse.ArgumentParser:
    from memorybook.cli import archive_cmds, link_cmds, reference_cmds, search_cmd, serve_cmd

    parser = argparse.ArgumentParser(
        prog="memorybook",
        description="An archive of the NKVD mass operations of 1937-1938 and of their victims.",
    )
    parser.add_argument("--version", action="version", version=f"memorybook {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    archive_cmds.add_parsers(sub)
    reference_cmds.add_parsers(sub)
    search_cmd.add_parser(sub)
    link_cmds.add_parsers(sub)
    serve_cmd.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except MemorybookError as exc:
        print(f"memorybook: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `memorybook parse ... | head`
        return 0
    except KeyboardInterrupt:
        print("memorybook: interrupted; nothing was committed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
