"""``effilab suite list`` and ``effilab suite validate PATH``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from effilab.cli.common import add_oracle_limit_options, oracle_memory_arg
from effilab.errors import InvalidArgument
from effilab.sandbox import ISOLATION_TIERS
from effilab.sandbox.limits import MAX_MEMORY_MB
from effilab.suites import builtin_suites, load_suite
from effilab.suites.validate import ProblemReport, SuiteReport, validate_suite
from effilab.util.argcheck import MAX_SECONDS, count, number, seconds

__all__ = ["register"]


def register(commands: Any) -> None:
    parser = commands.add_parser("suite", help="list the suites loadable by name, or validate a suite")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="suites that --suite accepts by name")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    listing.set_defaults(handler=_list)
    check = actions.add_parser(
        "validate",
        help="check a suite: references agree, generators are deterministic, levels separate references",
        description="Runs every reference on every generated input in the sandbox, checks that they agree "
        "and that the fastest clearly beats the slowest at the top level, and that the whole suite fits a "
        "time budget. Exit status 1 when the suite fails.",
    )
    check.add_argument("suite", metavar="PATH_OR_NAME", help="suite folder, built-in name or FORMAT:PATH")
    check.add_argument("--problems", metavar="ID,ID", help="validate only these problems")
    check.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="problems in parallel")
    check.add_argument("--budget", type=float, default=600.0, metavar="SEC", help="time budget (600)")
    check.add_argument(
        "--min-separation",
        type=float,
        default=3.0,
        metavar="X",
        help="slowest/fastest reference time at the top level that counts as separated (3)",
    )
    check.add_argument("--min-share", type=float, default=0.8, metavar="P",
                       help="share of problems that must be separated (0.8)")  # fmt: skip
    check.add_argument("--instructions", action="store_true", help="also compare instruction counts")
    add_oracle_limit_options(check)
    check.add_argument("--isolation", default="auto", choices=["auto", *ISOLATION_TIERS])
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(handler=_validate)


def _list(args: argparse.Namespace) -> int:
    rows = []
    for name in sorted(builtin_suites()):
        suite = load_suite(name)
        rows.append({"name": name, "problems": len(suite), "path": suite.source})
    if args.json:
        print(json.dumps({"suites": rows}, indent=2))
        return 0
    table = Table("name", "problems", "path")
    for row in rows:
        table.add_row(str(row["name"]), str(row["problems"]), str(row["path"]))
    Console().print(table)
    print("Also: --suite FOLDER, enamel:PATH/enamel.csv, evalplus:PATH.jsonl[.gz], evalperf:PATH.jsonl")
    return 0


def _validate(args: argparse.Namespace) -> int:
    count("workers", args.workers, low=1, high=4096)
    seconds("budget", args.budget, high=MAX_SECONDS * 52)
    number("min_separation", args.min_separation, low=0, low_open=True)
    number("min_share", args.min_share, low=0, high=1)
    if args.oracle_timeout is not None:
        seconds("oracle_timeout", args.oracle_timeout)
    if args.oracle_memory_mb is not None and args.oracle_memory_mb.strip().lower() != "none":
        count("oracle_memory_mb", oracle_memory_arg(args.oracle_memory_mb, None), low=64, high=MAX_MEMORY_MB)
    suite = load_suite(args.suite)
    problems = list(suite.problems)
    if args.problems:
        wanted = [p.strip() for p in args.problems.split(",") if p.strip()]
        unknown = [p for p in wanted if suite.get(p) is None]
        if unknown:
            raise InvalidArgument(f"--problems: unknown in suite {suite.name}: {', '.join(unknown)}")
        problems = [p for p in problems if p.id in wanted]

    def progress(report: ProblemReport) -> None:
        if args.json:
            return
        mark = "ok  " if report.ok else "FAIL"
        sep = "n/a" if math.isnan(report.separation) else f"{report.separation:.1f}×"
        print(f"{mark} {report.id:<32} separation {sep:>8}  {report.seconds:6.1f} s", file=sys.stderr)
        for error in report.errors:
            print(f"     {error}", file=sys.stderr)
        for note in report.dropped:
            print(f"     dropped {note}", file=sys.stderr)

    settings = dataclasses.replace(
        suite.settings,
        oracle_memory_mb=oracle_memory_arg(args.oracle_memory_mb, suite.settings.oracle_memory_mb),
        oracle_timeout_s=suite.settings.oracle_timeout_s
        if args.oracle_timeout is None
        else args.oracle_timeout,
    )
    report = validate_suite(
        suite,
        settings=settings,
        workers=args.workers,
        budget_s=args.budget,
        min_separation=args.min_separation,
        min_share=args.min_share,
        instructions=args.instructions,
        isolation=args.isolation,
        on_problem=progress,
        problems=problems,
    )
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        _print_summary(report)
    return 0 if report.ok else 1


def _print_summary(report: SuiteReport) -> None:
    n = len(report.problems)
    passed = sum(p.ok for p in report.problems)
    print(
        f"suite {report.suite}: {passed}/{n} problems valid, {report.separated_share:.0%} separated by "
        f"≥{report.min_separation:g}×, {report.seconds:.0f} s (budget {report.budget_s:.0f} s)"
    )
    for failure in report.failures:
        print(f"  FAIL {failure}")
    print("valid" if report.ok else "NOT valid")
