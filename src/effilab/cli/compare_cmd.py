"""``effilab compare A.py B.py --entry NAME --inputs GEN.py``: is B faster than A, and is it still right?"""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console

from effilab import api
from effilab.cli import report_cmd
from effilab.cli.common import format_cost, progress_status
from effilab.measure import METRICS, Comparison
from effilab.sandbox import ISOLATION_TIERS

__all__ = ["register"]


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "compare",
        help="measure whether B is faster than A (the oracle) on generated inputs",
        description="Interleaved, repeated measurement of A and B with a bootstrap confidence interval. "
        "A is the oracle: B's outputs must equal A's on every input, or no speedup is claimed.",
    )
    parser.add_argument("a", metavar="A.py", help="baseline program (the oracle)")
    parser.add_argument("b", metavar="B.py", help="candidate program")
    parser.add_argument("--entry", required=True, metavar="NAME", help="function (or Class.method) in both")
    parser.add_argument(
        "--inputs",
        required=True,
        metavar="GEN.py",
        help="file defining generate(size: int, rng: random.Random) -> tuple of arguments",
    )
    parser.add_argument(
        "--size", type=int, default=1000, metavar="N", help="input size passed to generate (1000)"
    )
    parser.add_argument(
        "--cases", type=int, default=3, metavar="K", help="inputs generated, seeds 0..K-1 (3)"
    )
    parser.add_argument("--metric", default="time", choices=METRICS, help="cost to compare (time)")
    parser.add_argument("--confidence", type=float, default=0.95, help="confidence level (0.95)")
    parser.add_argument(
        "--budget", type=float, default=30.0, metavar="SEC", help="time budget in seconds (30)"
    )
    parser.add_argument(
        "--float-tol",
        type=float,
        default=1e-9,
        metavar="REL",
        help="relative tolerance when comparing float outputs (1e-9)",
    )
    parser.add_argument("--timeout", type=float, default=None, metavar="SEC", help="limit per call")
    parser.add_argument("--seed", type=int, default=0, help="first generator seed (0)")
    parser.add_argument("--isolation", default="auto", choices=["auto", *ISOLATION_TIERS])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    report_cmd.add_report_option(parser)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    report_cmd.check_report_option(args.report)
    status, update = progress_status("measuring A and B")
    with status:
        report = api.compare(args.a, args.b, entry=args.entry, inputs=args.inputs, size=args.size,
                             cases=args.cases, metric=args.metric, confidence=args.confidence,
                             budget=args.budget, float_tol=args.float_tol, timeout=args.timeout,
                             seed=args.seed, isolation=args.isolation,
                             progress=lambda event: update(event.message))  # fmt: skip
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        _render(report.comparison, args)
    report_cmd.write_report(report, args)
    return 0


def _render(result: Comparison, args: argparse.Namespace) -> None:
    console = Console(highlight=False)
    for label, path, measurement in (("A", args.a, result.a), ("B", args.b, result.b)):
        if not measurement.samples:
            console.print(f"{label}  {path}  (not measured)")
            continue
        summary = measurement.summary
        processes = len(set(measurement.processes))
        console.print(
            f"{label}  {path}  median {format_cost(summary.median, measurement.unit)}"
            f"  (MAD {format_cost(summary.mad, measurement.unit)}, {summary.n} samples,"
            f" {processes} processes)"
        )
    if result.speedup is not None:
        estimate = result.speedup
        confidence = f"{args.confidence:.0%}"
        if estimate.point >= 1:
            claim = f"B is {estimate.point:.3g}× faster than A"
        else:
            claim = f"B is {1 / estimate.point:.3g}× slower than A"
        console.print(f"{claim}  [{confidence} CI of the speedup: {estimate.low:.3g} – {estimate.high:.3g}]")
    style = {"faster": "green", "slower": "red", "incorrect": "red"}.get(result.verdict.value, "yellow")
    console.print(f"verdict: [{style}]{result.verdict.value}[/{style}]  ({result.reason})")
    if result.failure is not None and result.failure.expected:
        console.print(f"  input #{result.failure.case}: expected {result.failure.expected}")
        console.print(f"  {' ' * len(str(result.failure.case))}         got      {result.failure.actual}")
