"""`memorybook`: the command line entry point.

Every command runs under one error handler (`run_command`): an error the library raises on
purpose, a file the system cannot read, or a usage error becomes one line on stderr and a
non-zero exit; anything unexpected becomes one line too, exit 1, and its traceback is shown
only with `memorybook --debug …` or `MEMORYBOOK_DEBUG=1`. New commands get this for free."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable
from typing import NoReturn, cast

from memorybook import __version__
from memorybook.errors import MemorybookError

DEBUG_ENV = "MEMORYBOOK_DEBUG"
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class OneLineParser(argparse.ArgumentParser):
    """argparse whose usage errors are one line (the command, the error, where to read more)."""

    def error(self, message: str) -> NoReturn:
        first = message.splitlines()[0] if message else "invalid arguments"
        self.exit(EXIT_USAGE, f"{self.prog}: {first} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    from memorybook.cli import (
        archive_cmds,
        date_cmd,
        link_cmds,
        reference_cmds,
        search_cmd,
        serve_cmd,
    )

    parser = OneLineParser(
        prog="memorybook",
        description="An archive of the NKVD mass operations of 1937-1938 and of their victims.",
    )
    parser.add_argument("--version", action="version", version=f"memorybook {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help=f"show the traceback of an unexpected error (also: {DEBUG_ENV}=1)",
    )
    # Every command's parser is a OneLineParser too (the commands' modules take the base type).
    sub = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(
            dest="command", required=True, metavar="COMMAND", parser_class=OneLineParser
        ),
    )
    archive_cmds.add_parsers(sub)
    reference_cmds.add_parsers(sub)
    search_cmd.add_parser(sub)
    link_cmds.add_parsers(sub)
    date_cmd.add_parser(sub)
    serve_cmd.add_parser(sub)
    return parser


def debug_wanted(flag: bool = False) -> bool:
    return flag or os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "no", "false")


def error_line(exc: BaseException) -> str:
    """The one line a user reads for an error that is not a bug of ours."""
    if isinstance(exc, MemorybookError):
        text = str(exc)
    elif isinstance(exc, OSError) and exc.strerror:
        where = exc.filename if exc.filename is not None else ""
        text = f"{where}: {exc.strerror}" if where else exc.strerror
    elif isinstance(exc, UnicodeDecodeError):
        text = f"not valid {exc.encoding} at byte offset {exc.start} ({exc.reason})"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())  # one line, whatever the message held


def run_command(func: Callable[[], int | None], *, debug: bool = False) -> int:
    try:
        return int(func() or 0)
    except BrokenPipeError:  # `memorybook parse ... | head`
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        print("memorybook: interrupted; nothing was committed", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (MemorybookError, OSError, UnicodeDecodeError) as exc:
        if debug:
            traceback.print_exc()
        print(f"memorybook: {error_line(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print(
            f"memorybook: unexpected error ({type(exc).__name__}: {error_line(exc)[:200]}); "
            f"run with --debug or {DEBUG_ENV}=1 for the details",
            file=sys.stderr,
        )
        return EXIT_ERROR
    finally:
        from memorybook.cli.common import close_engines

        close_engines()


def _silence_stdout() -> None:
    # Python would complain again when it flushes the closed pipe at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(lambda: args.func(args), debug=debug_wanted(args.debug))


if __name__ == "__main__":
    sys.exit(main())
