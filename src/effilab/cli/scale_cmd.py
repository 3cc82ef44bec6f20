"""``effilab scale FILE --entry NAME --inputs GEN.py --sizes 1000,2000,4000``: empirical complexity."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from effilab import api
from effilab.cli import report_cmd
from effilab.cli.common import format_cost, progress_status
from effilab.measure import METRICS, ScaleResult
from effilab.sandbox import ISOLATION_TIERS

__all__ = ["register"]


def _sizes(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        # ArgumentTypeError keeps this message (argparse replaces that of other ValueErrors).
        raise argparse.ArgumentTypeError(
            f"{text!r}: give comma-separated integers, e.g. 1000,2000,4000"
        ) from None


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "scale",
        help="measure cost against input size and fit the best complexity class",
        description="Measure FILE's entry at each size and fit cost = a·g(n) + b for O(1) … O(2^n).",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--entry", required=True, metavar="NAME")
    parser.add_argument(
        "--inputs",
        required=True,
        metavar="GEN.py",
        help="file defining generate(size: int, rng: random.Random) -> tuple of arguments",
    )
    parser.add_argument("--sizes", required=True, type=_sizes, metavar="N,N,...", help="at least three sizes")
    parser.add_argument("--metric", default="time", choices=METRICS)
    parser.add_argument("--samples", type=int, default=5, help="samples per size (5)")
    parser.add_argument("--cases", type=int, default=1, help="inputs per size (1)")
    parser.add_argument("--timeout", type=float, default=None, metavar="SEC", help="limit per call")
    parser.add_argument("--isolation", default="auto", choices=["auto", *ISOLATION_TIERS])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    report_cmd.add_report_option(parser)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    report_cmd.check_report_option(args.report)
    status, update = progress_status("measuring")
    with status:
        report = api.scale(args.file, entry=args.entry, inputs=args.inputs, sizes=args.sizes,
                           metric=args.metric, samples=args.samples, cases=args.cases, timeout=args.timeout,
                           isolation=args.isolation,
                           progress=lambda event: update(event.message))  # fmt: skip
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        _render(report.result)
    report_cmd.write_report(report, args)
    return 0


def _render(result: ScaleResult) -> None:
    console = Console(highlight=False)
    table = Table(title=f"cost ({result.metric}) by input size")
    for column in ("size", "median", "MAD", "fit"):
        table.add_column(column, justify="right")
    for point in result.points:
        predicted = "" if result.fit is None else format_cost(result.fit.predict(point.size), result.unit)
        table.add_row(str(point.size), format_cost(point.summary.median, result.unit),
                      format_cost(point.summary.mad, result.unit), predicted)  # fmt: skip
    console.print(table)
    if result.fit is not None:
        best = result.fit.best
        others = ", ".join(f"{f.label} {f.relative_rss:.2g}" for f in result.fit.fits[1:4])
        quality = f"R² {best.r2:.4f}, relative RSS {best.relative_rss:.2g}"
        console.print(f"best fit: [bold]{best.label}[/bold]  ({quality}; next: {others})")
    else:
        console.print("too few sizes measured to fit a complexity class")
    if result.stopped:
        console.print(f"[yellow]stopped early[/yellow]: {result.stopped}")
    for warning in result.warnings:
        console.print(f"[yellow]warning[/yellow]: {warning}")
