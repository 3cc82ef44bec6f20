"""``effilab suite list`` and ``effilab suite validate PATH``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from effilab.cli.common import add_executor_option, add_oracle_limit_options, oracle_memory_arg
from effilab.errors import InvalidArgument
from effilab.executors import make_executor, parse_executor
from effilab.sandbox import ISOLATION_TIERS
from effilab.sandbox.limits import MAX_MEMORY_MB
from effilab.suites import builtin_suites, load_suite
from effilab.suites.program_folder import (
    describe,
    is_program_folder,
    load_program_folder,
    program_suite_folder,
)
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
    add_executor_option(check)
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
    rows: list[dict[str, Any]] = []
    for name, folder in sorted(builtin_suites().items()):
        if is_program_folder(folder):  # whole programs (kind = "program"): one pair per language
            programs = load_program_folder(folder, name=name)
            rows.append({"name": name, "kind": "program", **describe(programs), "path": programs.source})
            continue
        suite = load_suite(name)
        rows.append({"name": name, "kind": "function", "problems": len(suite), "path": suite.source})
    if args.json:
        print(json.dumps({"suites": rows}, indent=2))
        return 0
    table = Table("name", "kind", "problems", "path")
    for row in rows:
        kind = row["kind"] + (f" ({', '.join(row['languages'])})" if row.get("languages") else "")
        table.add_row(str(row["name"]), kind, str(row["problems"]), str(row["path"]))
    Console().print(table)
    print("Also: --suite FOLDER, enamel:PATH/enamel.csv, evalplus:PATH.jsonl[.gz], evalperf:PATH.jsonl, "
          "pie:PATH.jsonl --tests DIR, pie:programs")  # fmt: skip
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
    parse_executor(args.executor)
    folder = program_suite_folder(args.suite)
    if folder is not None:
        if args.executor != "local":
            raise InvalidArgument(f"--executor {args.executor!r}: program suites are validated locally only")
        return _validate_programs(args, folder)
    suite = load_suite(args.suite)
    problems = list(suite.problems)
    if args.problems:
        wanted = [p.strip() for p in args.problems.split(",") if p.strip()]
        unknown = [p for p in wanted if suite.get(p) is None]
        if unknown:
            raise InvalidArgument(f"--problems: unknown in suite {suite.name}: {', '.join(unknown)}")
        problems = [p for p in problems if p.id in wanted]

    progress = _progress(args.json)
    settings = dataclasses.replace(
        suite.settings,
        oracle_memory_mb=oracle_memory_arg(args.oracle_memory_mb, suite.settings.oracle_memory_mb),
        oracle_timeout_s=suite.settings.oracle_timeout_s
        if args.oracle_timeout is None
        else args.oracle_timeout,
    )
    with make_executor(args.executor, max_workers=args.workers) as executor:
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
            executor=executor,
        )
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        _print_summary(report)
    return 0 if report.ok else 1


def _progress(quiet: bool) -> Callable[[ProblemReport], None]:
    def progress(report: ProblemReport) -> None:
        if quiet:
            return
        mark = "ok  " if report.ok else "FAIL"
        sep = "n/a" if math.isnan(report.separation) else f"{report.separation:.1f}×"
        print(f"{mark} {report.id:<32} separation {sep:>8}  {report.seconds:6.1f} s", file=sys.stderr)
        for error in report.errors:
            print(f"     {error}", file=sys.stderr)
        for note in report.dropped:
            print(f"     dropped {note}", file=sys.stderr)

    return progress


def _validate_programs(args: argparse.Namespace, folder: Path) -> int:
    """A suite folder of program problems: every reference, compiled and run in boxes, on every test."""
    from effilab.programs.compile import default_cache_dir  # noqa: PLC0415 - only for program suites
    from effilab.programs.evaluate import ProgramEvalConfig  # noqa: PLC0415
    from effilab.programs.limits import ProgramLimits  # noqa: PLC0415
    from effilab.programs.validate import validate_programs  # noqa: PLC0415

    suite = load_program_folder(folder, name=args.suite if args.suite in builtin_suites() else None)
    settings = suite.settings
    assert settings is not None
    keys = None
    if args.problems:
        keys = [p.strip() for p in args.problems.split(",") if p.strip()]
        known = {p.key for p in suite} | {p.problem_id for p in suite}
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise InvalidArgument(f"--problems: unknown in suite {suite.name}: {', '.join(unknown)}")
    memory = oracle_memory_arg(args.oracle_memory_mb, None)
    limits = ProgramLimits(timeout_s=args.oracle_timeout or 10.0, memory_mb=memory or 1024)
    config = ProgramEvalConfig(cache_dir=default_cache_dir(), repetitions=settings.repetitions, limits=limits,
                               isolation=args.isolation, seed=settings.seed)  # fmt: skip
    report = validate_programs(suite, config, budget_s=args.budget, min_separation=args.min_separation,
                               min_share=args.min_share, instructions=args.instructions, keys=keys,
                               on_problem=_progress(args.json))  # fmt: skip
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
