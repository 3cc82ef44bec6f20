"""``effilab exec FILE --entry NAME --args JSON``: run one call of a candidate in the sandbox."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from effilab import api
from effilab.errors import InvalidArgument
from effilab.sandbox import ISOLATION_TIERS
from effilab.util import safejson

__all__ = ["register"]


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "exec",
        help="run NAME(*args) from FILE once in the sandbox",
        description="Run NAME(*args) from FILE once in the sandbox.",
    )
    parser.add_argument("file", metavar="FILE", help="Python source file holding the candidate")
    parser.add_argument("--entry", required=True, metavar="NAME", help="function (or Class.method) to call")
    parser.add_argument(
        "--args",
        default="[]",
        metavar="JSON",
        help="JSON array of positional arguments (JSON arrays become lists); default []",
    )
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SEC", help="wall-clock limit (10)")
    parser.add_argument(
        "--memory-mb", type=int, default=1024, metavar="MB", help="address-space limit (1024)"
    )
    parser.add_argument(
        "--isolation",
        default="auto",
        choices=["auto", *ISOLATION_TIERS],
        help="isolation tier (auto: the strongest available)",
    )
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object")
    parser.set_defaults(handler=_handle)


def _parse_args_json(text: str) -> list[object]:
    try:
        value = safejson.loads(text)
    except safejson.JSONInputError as exc:
        raise InvalidArgument(f"--args: invalid JSON ({exc})") from None
    if not isinstance(value, list):
        raise InvalidArgument(
            f"--args: must be a JSON array of positional arguments, got {type(value).__name__}"
        )
    return value


def _handle(args: argparse.Namespace) -> int:
    report = api.run(args.file, entry=args.entry, args=_parse_args_json(args.args), timeout=args.timeout,
                     memory_mb=args.memory_mb, isolation=args.isolation).to_dict()  # fmt: skip
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    _render(report)
    return 0


def _render(report: dict[str, Any]) -> None:
    console = Console()
    style = "green" if report["verdict"] == "ok" else "red"
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("verdict", f"[{style}]{report['verdict']}[/{style}]")
    if report["verdict"] == "ok":
        table.add_row("output", json.dumps(report["output"], ensure_ascii=False)[:2000])
    if report["error"]:
        table.add_row("error", f"{report['error']['type']}: {report['error']['message']}"[:2000])
    if report["wall_ns"] is not None:
        table.add_row("wall", f"{report['wall_ns'] / 1e6:.3f} ms")
        table.add_row("cpu", f"{report['cpu_ns'] / 1e6:.3f} ms")
        table.add_row("peak rss", f"{report['peak_rss_kib'] / 1024:.1f} MiB")
    table.add_row("isolation", f"{report['isolation_tier']}: {', '.join(report['isolation'])}")
    for stream in ("stdout", "stderr"):
        if report[stream]:
            table.add_row(stream, report[stream].rstrip()[-1000:])
    console.print(table, markup=True, highlight=False)
