"""``effilab dataset build --suite S --model M --out DIR``: Effi-Code's pipeline, resumable.

Generate → evaluate → optimize the correct samples → verify the faster versions on the problem's tests →
export SFT/DPO/RRHF records. Running the same command again continues an interrupted build.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from effilab import api
from effilab.cli.common import add_endpoint_arguments, add_executor_option
from effilab.optimize.strategies import LLM_STRATEGIES
from effilab.reports import ProgressEvent, ProgressKind
from effilab.sandbox import ISOLATION_TIERS
from effilab.training.build import STAGES, DatasetReport

__all__ = ["register"]

EXIT_INCOMPLETE = 1
"""A stage could not finish (samples the model never returned): run the command again to continue."""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "dataset",
        help="build training datasets (Effi-Code's pipeline)",
        description="Build training data from a suite and a model.",
    )
    sub = parser.add_subparsers(dest="dataset_command", metavar="ACTION", required=True)
    build = sub.add_parser(
        "build",
        help="generate, evaluate, optimize and export SFT/DPO records for every problem (resumable)",
        description="For each problem of the suite: generate --n samples with the model, evaluate them, run "
        "the profile-guided optimize loop on the correct ones, verify the accepted versions on the "
        "problem's tests, keep the fastest verified version, and write DIR/sft.jsonl, DIR/dpo.jsonl and "
        "DIR/rrhf.jsonl with their provenance (model, speedup and its interval). Progress is stored in "
        "--db: the same command again continues where it stopped. Tokens are counted per stage.",
    )
    build.add_argument(
        "--suite", required=True, metavar="PATH_OR_NAME", help="suite name, folder or format:PATH"
    )
    build.add_argument("--model", required=True, metavar="M", help="model name sent to the endpoint")
    add_endpoint_arguments(build)
    build.add_argument("--n", type=int, default=5, metavar="N", help="samples per problem (5)")
    build.add_argument("--db", default=api.DEFAULT_DB, metavar="DB", help=f"results file ({api.DEFAULT_DB})")
    build.add_argument(
        "--out", required=True, metavar="DIR", help="folder for samples, work files and records"
    )
    build.add_argument("--problems", default=None, metavar="ID,ID", help="only these problems (all)")
    build.add_argument("--temperature", type=float, default=None, metavar="T",
                       help="sampling temperature (0.0 for one sample, 0.8 for several)")  # fmt: skip
    build.add_argument("--max-tokens", type=int, default=None, metavar="N", help="completion token limit")
    build.add_argument("--concurrency", type=int, default=4, metavar="N", help="requests in flight (4)")
    build.add_argument("--timeout", type=float, default=300.0, metavar="SEC", help="limit per request (300)")
    build.add_argument("--workers", type=int, default=None, metavar="N", help="evaluation workers (CPUs)")
    add_executor_option(build)
    build.add_argument(
        "--strategy", default="refine", choices=LLM_STRATEGIES, help="optimize strategy (refine)"
    )
    build.add_argument(
        "--proposals", type=int, default=2, metavar="N", help="optimize: proposals per round (2)"
    )
    build.add_argument("--rounds", type=int, default=2, metavar="N", help="optimize: rounds (2)")
    build.add_argument(
        "--max-calls", type=int, default=6, metavar="N", help="optimize: model calls per solution (6)"
    )
    build.add_argument("--measure-budget", type=float, default=20.0, metavar="SEC",
                       help="optimize: seconds to measure one candidate (20)")  # fmt: skip
    build.add_argument("--time-budget", type=float, default=1800.0, metavar="SEC",
                       help="optimize: seconds per solution (1800)")  # fmt: skip
    build.add_argument("--optimize-per-problem", type=int, default=None, metavar="K",
                       help="optimize at most K correct samples per problem, fastest first")  # fmt: skip
    build.add_argument(
        "--min-ratio", type=float, default=1.5, metavar="R", help="DPO significance ratio (1.5)"
    )
    build.add_argument("--alpha", type=float, default=0.05, metavar="A", help="DPO sign-test level (0.05)")
    build.add_argument(
        "--pairs-per-problem", type=int, default=16, metavar="N", help="DPO pairs per problem (16)"
    )
    build.add_argument("--isolation", default="auto", choices=["auto", *ISOLATION_TIERS])
    build.add_argument("--json", action="store_true", help="print one JSON object")
    build.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from effilab.models.chat import api_key_from_env  # noqa: PLC0415

    reporter: _RichReporter | _LogReporter = _RichReporter() if sys.stderr.isatty() else _LogReporter()
    problems = None if args.problems is None else [p.strip() for p in args.problems.split(",") if p.strip()]
    try:
        report = api.build_dataset(
            suite=args.suite,
            model=args.model,
            out=args.out,
            n=args.n,
            db=args.db,
            base_url=args.base_url,
            api_key=api_key_from_env(args.api_key_env),
            problems=problems,
            temperature=args.temperature,
            max_tokens=args.max_tokens,
            concurrency=args.concurrency,
            request_timeout=args.timeout,
            workers=args.workers,
            strategy=args.strategy,
            proposals=args.proposals,
            rounds=args.rounds,
            max_calls=args.max_calls,
            measure_budget=args.measure_budget,
            time_budget=args.time_budget,
            optimize_per_problem=args.optimize_per_problem,
            min_ratio=args.min_ratio,
            alpha=args.alpha,
            pairs_per_problem=args.pairs_per_problem,
            isolation=args.isolation,
            progress=reporter,
            executor=args.executor,
        )
    finally:
        reporter.close()
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        _print_human(report)
    return 0 if report.complete else EXIT_INCOMPLETE


def _print_human(report: DatasetReport) -> None:
    data = report.to_dict()
    state = "resumed" if report.resumed else "new"
    print(f"build {report.build_id} ({state}): {report.suite}, model {report.model}, out {report.out}")
    print(f"samples: {report.samples} evaluated, {report.samples_correct} correct (run {report.samples_run})")
    optimized = ", ".join(f"{n} {status}" for status, n in report.optimized.items()) or "none"
    print(f"optimized: {optimized} ({report.optimized_now} now); verified on the tests: {report.verified}")
    for fmt, path in report.files.items():
        print(f"{fmt}: {report.records.get(fmt, 0)} records -> {path}")
    print("tokens (prompt / completion, model calls):")
    for stage, usage in data["usage"].items():
        print(f"  {stage:<9} {usage['prompt_tokens']:>10} / {usage['completion_tokens']:<10} "
              f"{usage['model_calls']} calls")  # fmt: skip
    for note in report.notes:
        print(f"note: {note}")
    if not report.complete:
        print("incomplete: run the same command again to continue")


def _stage(message: str) -> tuple[str, str]:
    head, _, rest = message.partition(": ")
    return (head, rest) if head in STAGES else ("", message)


class _LogReporter:
    """Plain lines for logs and pipes: stage starts, every ~10 % of a stage, and notes."""

    def __init__(self) -> None:
        self._step: dict[str, int] = {}

    def __call__(self, event: ProgressEvent) -> None:
        stage, text = _stage(event.message)
        if event.kind is ProgressKind.START:
            self._step[stage] = max(1, (event.total or 0) // 10)
            print(f"{stage}: {text}", file=sys.stderr, flush=True)
        elif event.kind is ProgressKind.ADVANCE:
            done, total = event.done or 0, event.total or 0
            if done % self._step.get(stage, 1) == 0 or done == total:
                print(f"{stage}: {done}/{total}", file=sys.stderr, flush=True)
        else:
            print(f"{stage or 'build'}: {text}", file=sys.stderr, flush=True)

    def close(self) -> None:
        return None


class _RichReporter:
    """One bar per stage, as the other commands show theirs."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description:<9}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[last]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        self._tasks: dict[str, Any] = {}
        self._started = False

    def __call__(self, event: ProgressEvent) -> None:
        if not self._started:
            self._progress.start()
            self._started = True
        stage, text = _stage(event.message)
        if event.kind is ProgressKind.START:
            self._tasks[stage] = self._progress.add_task(stage, total=event.total, completed=event.done or 0,
                                                         last="")  # fmt: skip
        elif event.kind is ProgressKind.ADVANCE and stage in self._tasks:
            self._progress.update(self._tasks[stage], completed=event.done, last=text[-60:])
        elif event.kind is ProgressKind.NOTE:
            self._progress.console.print(f"{stage or 'build'}: {text}", markup=False)

    def close(self) -> None:
        if self._started:
            self._progress.stop()
