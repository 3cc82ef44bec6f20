"""Small helpers shared by the commands: argument checks and human-readable units."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from rich.console import Console

from effilab.errors import InvalidArgument
from effilab.models.chat import DEFAULT_API_KEY_ENV

__all__ = [
    "add_endpoint_arguments",
    "add_executor_option",
    "add_oracle_limit_options",
    "format_cost",
    "oracle_memory_arg",
    "progress_status",
]


def add_executor_option(parser: Any) -> None:
    """``--executor``: where sandboxes run, the same for every command that evaluates code."""
    parser.add_argument(
        "--executor",
        default="local",
        metavar="local|ray|ray://HOST:PORT",
        help="where sandboxes run: this machine (local), this machine's Ray cluster or a new local one "
        "(ray), or a remote Ray cluster (ray://HOST:PORT); Ray needs: pip install 'effilab[ray]'",
    )


def add_endpoint_arguments(group: Any) -> None:
    """``--base-url`` and ``--api-key-env``, the same for every command that talks to a model."""
    group.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="endpoint, e.g. http://localhost:8000/v1 (default: $OPENAI_BASE_URL or OpenAI's)",
    )
    group.add_argument(
        "--api-key-env",
        default=DEFAULT_API_KEY_ENV,
        metavar="VAR",
        help=f"environment variable holding the API key ({DEFAULT_API_KEY_ENV})",
    )


def format_cost(value: float, unit: str) -> str:
    """1234567 ns -> '1.235 ms'; 1234567 instructions -> '1.235 M instr'; inf -> '≥ limit (censored)'."""
    if math.isinf(value):
        return "≥ limit (censored)"
    if unit == "ns":
        for scale, name in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
            if value >= scale:
                return f"{value / scale:.4g} {name}"
        return f"{value:.4g} ns"
    for scale, name in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= scale:
            return f"{value / scale:.4g} {name} instr"
    return f"{value:.4g} instr"


def progress_status(message: str) -> tuple[AbstractContextManager[object], Callable[[str], None]]:
    """A live status line on a terminal (stderr), nothing otherwise; returns (context, update)."""
    if not sys.stderr.isatty():
        return nullcontext(), lambda text: None
    console = Console(stderr=True)
    status = console.status(message)
    return status, lambda text: status.update(f"{message} {text}")


def add_oracle_limit_options(parser: Any) -> None:
    """--oracle-memory-mb and --oracle-timeout: the references' limits (defaults: the suite's)."""
    parser.add_argument("--oracle-memory-mb", default=None, metavar="MB|none",
                        help="references' memory limit; 'none': the machine's (suite's)")  # fmt: skip
    parser.add_argument("--oracle-timeout", type=float, default=None, metavar="SEC",
                        help="limit of one reference call computing expected outputs (suite's)")  # fmt: skip


def oracle_memory_arg(text: str | None, default: int | None) -> int | None:
    if text is None:
        return default
    if text.strip().lower() == "none":
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidArgument(f"--oracle-memory-mb={text!r}: a number of MiB, or 'none'") from None
