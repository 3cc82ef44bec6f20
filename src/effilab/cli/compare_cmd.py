"""``effilab compare A.py B.py --entry NAME --inputs GEN.py``: is B faster than A, and is it still right?"""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console

from effilab.cli.common import format_cost, positive_float, progress_status, unit_interval
from effilab.errors import InvalidArgument
from effilab.measure import METRICS, Comparison, Program, compare, generate_inputs
from effilab.sandbox import ISOLATION_TIERS, Limits, Verdict

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
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    unit_interval("--confidence", args.confidence)
    positive_float("--budget", args.budget)
    if args.cases < 1 or args.size < 0:
        raise InvalidArgument(f"--cases={args.cases} / --size={args.size}: cases ≥ 1 and size ≥ 0 required")
    if not args.float_tol >= 0:
        raise InvalidArgument(f"--float-tol={args.float_tol}: must be ≥ 0")
    a = Program.from_path(args.a, args.entry, what="A")
    b = Program.from_path(args.b, args.entry, what="B")
    limits = None
    if args.timeout is not None:
        limits = Limits(timeout_s=positive_float("--timeout", args.timeout))
    seeds = [args.seed + i for i in range(args.cases)]
    inputs = generate_inputs(args.inputs, size=args.size, seeds=seeds, isolation=args.isolation)
    status, update = progress_status("measuring A and B")
    with status:
        result = compare(a, b, inputs, metric=args.metric, confidence=args.confidence, budget_s=args.budget,
                         limits=limits, isolation=args.isolation, float_tol=args.float_tol,
                         progress=lambda n, t: update(f"({n} samples per side, {t:.0f} s)"))  # fmt: skip
    failure = result.failure
    if (
        failure is not None
        and failure.case < 0
        and failure.verdict in (Verdict.MISSING_ENTRY, Verdict.SYNTAX_ERROR, Verdict.IMPORT_ERROR)
    ):
        raise InvalidArgument(f"B: {failure.detail}")
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        _render(result, args)
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
