"""Entry point of the ``effilab`` command.

Bad usage and failures of effilab itself end with one line on stderr and a non-zero status, never a
traceback; whatever a *candidate* does is reported as data with status 0.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from effilab import __version__
from effilab.cli import (
    compare_cmd,
    dataset_cmd,
    doctor_cmd,
    evaluate_cmd,
    exec_cmd,
    export_cmd,
    generate_cmd,
    optimize_cmd,
    report_cmd,
    scale_cmd,
    serve_cmd,
    suite_cmd,
    task_cmd,
)
from effilab.errors import EffilabError, InvalidArgument, SandboxUnavailable

__all__ = ["main"]

EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3
EXIT_INTERNAL = 4


class UsageError(Exception):
    """Raised by the parser instead of printing usage and exiting, so every error is one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="effilab", description="Make code measurably and safely faster.")
    parser.add_argument("--version", action="version", version=f"effilab {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, required=True)
    exec_cmd.register(commands)
    compare_cmd.register(commands)
    scale_cmd.register(commands)
    evaluate_cmd.register(commands)
    suite_cmd.register(commands)
    doctor_cmd.register(commands)
    generate_cmd.register(commands)
    optimize_cmd.register(commands)
    serve_cmd.register(commands)
    export_cmd.register(commands)
    dataset_cmd.register(commands)
    report_cmd.register(commands)
    task_cmd.register(commands)
    return parser


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    """Every ``--option`` of the parser and its sub-commands."""
    found = {option for action in parser._actions for option in action.option_strings}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _option_strings(sub)
    return found


_NAMED = re.compile(r"^([a-z][a-z0-9_]*)=")


def _as_option(message: str, options: set[str]) -> str:
    """The API names a bad argument as Python does (``float_tol=-1``); on the command line it is the
    option the user typed (``--float-tol=-1``)."""
    match = _NAMED.match(message)
    if match is None:
        return message
    option = "--" + match.group(1).replace("_", "-")
    return option + message[len(match.group(1)) :] if option in options else message


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        status: int = args.handler(args)
        return status
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidArgument as exc:
        print(f"error: {_as_option(str(exc), _option_strings(parser))}", file=sys.stderr)
        return EXIT_USAGE
    except SandboxUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except EffilabError as exc:
        print(f"error: effilab failed: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last resort: even a bug of effilab's ends in one line, not a traceback
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:1000]
        print(f"error: internal error in effilab (please report it): {detail}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
