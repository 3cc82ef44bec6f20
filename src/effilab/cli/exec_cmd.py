"""``effilab exec FILE --entry NAME --args JSON``: run one call of a candidate in the sandbox."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from rich.console import Console
from rich.table import Table

from effilab.errors import InvalidArgument
from effilab.measure.program import read_source
from effilab.sandbox import ISOLATION_TIERS, Limits, RunRequest, RunResult, Verdict, codec, run
from effilab.util import safejson

__all__ = ["register", "result_to_json"]


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


def result_to_json(result: RunResult) -> dict[str, Any]:
    """The one-object JSON report of a single-call run."""
    call = result.calls[0] if result.calls else None
    verdict = result.verdict
    error = result.load.error if not result.load.verdict.is_ok else (call.error if call else None)
    ok = call is not None and call.verdict is Verdict.OK
    return {
        "verdict": verdict.value,
        "output": codec.to_plain_json(call.value) if ok and call else None,
        "output_tagged": codec.encode(call.value) if ok and call else None,
        "error": None
        if error is None
        else {"type": error.type, "message": error.message, "traceback": error.traceback},
        "wall_ns": call.wall_ns if call else None,
        "cpu_ns": call.cpu_ns if call else None,
        "peak_rss_kib": call.peak_rss_kib if call else None,
        "parent_wall_ns": call.parent_wall_ns if call else None,
        "censored": bool(call and call.censored),
        "stdout": (call.stdout_tail if call else result.load.stdout_tail),
        "stderr": (call.stderr_tail if call else result.load.stderr_tail),
        "isolation": list(result.layers),
        "isolation_tier": result.isolation,
        "python": result.python_version,
    }


def _handle(args: argparse.Namespace) -> int:
    call_args = _parse_args_json(args.args)
    if not (isinstance(args.timeout, float) and math.isfinite(args.timeout) and args.timeout > 0):
        raise InvalidArgument(f"--timeout={args.timeout}: must be a positive number of seconds")
    limits = Limits(timeout_s=args.timeout, memory_mb=args.memory_mb)
    source, filename = read_source(args.file), args.file
    request = RunRequest(
        source=source,
        entry=args.entry,
        calls=[call_args],
        filename=filename,
        limits=limits,
        isolation=args.isolation,
    )
    result = run(request)
    report = result_to_json(result)
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
