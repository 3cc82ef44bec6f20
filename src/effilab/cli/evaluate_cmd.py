"""``effilab evaluate --suite S --samples FILE``: check, measure and score code samples; resumable."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, Literal

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from effilab import api
from effilab.cli import pie_cmd, report_cmd
from effilab.cli.common import add_executor_option, add_oracle_limit_options
from effilab.errors import InvalidArgument
from effilab.evaluate.engine import METRICS
from effilab.evaluate.runner import RunInfo
from effilab.reports import ProgressEvent, ProgressKind
from effilab.sandbox import ISOLATION_TIERS

__all__ = ["register"]

DEFAULT_DB = api.DEFAULT_DB


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "evaluate",
        help="check, measure and score code samples on a suite (resumable)",
        description="Runs every sample in the sandbox on the suite's tests, measures the correct ones "
        "against the references (interleaved with the oracle), and reports pass@k, eff@k (ENAMEL), "
        "speedup/%%OPT (PIE), DPE (EvalPerf) and efficient@k. Results go to an SQLite file as they finish: "
        "run the same command again after a crash and it resumes.",
    )
    parser.add_argument(
        "--suite",
        required=True,
        metavar="PATH_OR_NAME",
        help="suite folder, built-in name, enamel:CSV, evalplus:JSONL[.gz], evalperf:JSONL or pie:JSONL",
    )
    parser.add_argument("--samples", required=True, metavar="FILE",
                        help="JSONL with task_id + solution|completion, or ENAMEL's JSON layout")  # fmt: skip
    parser.add_argument("--k", default="1", metavar="K,K", help="k values for pass@k / eff@k (1)")
    parser.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"results store ({DEFAULT_DB})")
    parser.add_argument("--workers", type=int, default=None,
                        help=f"samples in parallel ({os.cpu_count() or 1}; on Ray: its CPUs)")  # fmt: skip
    parser.add_argument("--metric", default="time", choices=METRICS, help="cost to score (time)")
    parser.add_argument("--alpha", type=float, default=None, help="time-limit factor α (suite's, 2)")
    parser.add_argument("--repetitions", type=int, default=None, help="timed rounds per test (suite's, 3)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of generated inputs (suite's, else a secret one per run)")  # fmt: skip
    parser.add_argument("--baseline", default=None, metavar="REF", help="reference for speedups (slowest)")
    parser.add_argument("--memory-mb", type=int, default=None, help="a sample's memory limit (suite's)")
    add_oracle_limit_options(parser)
    parser.add_argument("--skip-bad", action="store_true", help="skip malformed sample lines (else stop)")
    parser.add_argument("--isolation", default="auto", choices=["auto", *ISOLATION_TIERS])
    add_executor_option(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON summary object")
    report_cmd.add_report_option(parser)
    pie_cmd.add_options(parser)  # whole programs: --suite pie:FILE.jsonl --tests DIR
    parser.set_defaults(handler=report_cmd.reported(pie_cmd.dispatch(_handle)))


def _parse_ks(text: str) -> tuple[int, ...]:
    try:
        ks = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise InvalidArgument(f"--k={text!r}: must be comma-separated positive integers") from None
    if not ks or ks[0] < 1:
        raise InvalidArgument(f"--k={text!r}: must be comma-separated positive integers")
    return ks


def _oracle_memory(text: str | None) -> int | Literal["machine"] | None:
    if text is None:
        return None
    if text.strip().lower() == "none":
        return "machine"
    try:
        return int(text)
    except ValueError:
        raise InvalidArgument(f"--oracle-memory-mb={text!r}: a number of MiB, or 'none'") from None


def _handle(args: argparse.Namespace) -> int:
    report_cmd.check_report_option(args.report)
    reporter: _RichReporter | _LogReporter = _RichReporter() if sys.stderr.isatty() else _LogReporter()
    try:
        report = api.evaluate(
            suite=args.suite,
            samples=args.samples,
            k=_parse_ks(args.k),
            db=args.db,
            workers=args.workers,
            metric=args.metric,
            alpha=args.alpha,
            repetitions=args.repetitions,
            seed=args.seed,
            baseline=args.baseline,
            memory_mb=args.memory_mb,
            oracle_memory_mb=_oracle_memory(args.oracle_memory_mb),
            oracle_timeout=args.oracle_timeout,
            skip_bad=args.skip_bad,
            isolation=args.isolation,
            progress=reporter,
            executor=args.executor,
        )
    finally:
        reporter.close()
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        _print_human(report.info, report.suite, args.db, report.seconds)
    report_cmd.write_report(report, args)
    return 0


def _fmt(value: object, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _print_human(info: RunInfo, suite: str, db: str, elapsed: float) -> None:
    summary = info.summary
    data = summary.to_json()
    # Not a terminal (a log, a pipe): rich would wrap the table at 80 columns; logs can take wide lines.
    console = Console() if sys.stdout.isatty() else Console(width=160)
    k0 = summary.ks[0]
    table = Table(title=f"{suite}: {data['samples']} samples on {data['problems']} problems")
    for column in ("problem", "n", "correct", f"pass@{k0}", f"eff@{k0}", "best speedup", "verdicts"):
        table.add_column(column, justify="left" if column in ("problem", "verdicts") else "right")
    for row in data["per_problem"]:
        verdicts = ", ".join(f"{v} {n}" for v, n in sorted(row["verdicts"].items()))
        speed = row["best_speedup"]
        table.add_row(
            row["task_id"],
            str(row["n"]),
            str(row["correct"]),
            _fmt(row.get(f"pass@{k0}")),
            _fmt(row.get(f"eff@{k0}")),
            "-" if speed is None else f"{speed:.2f}×",
            verdicts,
        )
    console.print(table)
    metrics = "  ".join(
        f"{key} {_fmt(data[key])}"
        for key in [*(f"{m}@{k}" for k in summary.ks for m in ("pass", "eff")), "speedup_geomean", "pct_opt"]
        if key in data
    )
    console.print(metrics)
    for task, reason in sorted(summary.broken.items()):
        console.print(
            f"broken: {task} ({summary.not_evaluated.get(task, 0)} samples not evaluated): {reason}"
        )
    if summary.dropped:
        tasks = sorted({d["task_id"] for d in summary.dropped})
        console.print(
            f"dropped {len(summary.dropped)} cases the oracle could not answer, on {len(tasks)} problems:"
        )
        for item in summary.dropped[:10]:
            console.print(f"  {item['task_id']} level {item['level']} case {item['case']}: {item['reason']}")
        if len(summary.dropped) > 10:
            console.print(f"  … and {len(summary.dropped) - 10} more (--json lists them all)")
    console.print(
        f"speedup vs {summary.baseline}; metric {summary.metric}; "
        f"{info.evaluated} evaluated now, {info.already_done} already in {db} "
        f"(run {info.run_id}{', resumed' if info.resumed else ''}); {elapsed:.1f} s"
    )
    if summary.missing:
        console.print(f"{len(summary.missing)} problems had no samples (left out of the averages)")
    if summary.mixed_isolation:
        spread = ", ".join(f"{h['host']}: {h['isolation']} ({h['samples']} samples)" for h in summary.hosts)
        console.print(f"note: the hosts ran samples under different isolation tiers: {spread}")


class _LogReporter:
    """Plain lines for logs and pipes: one every ~5 % of the work."""

    def __init__(self) -> None:
        self._total = 0
        self._done = 0
        self._step = 1
        self._next = 0
        self._started = time.perf_counter()

    def __call__(self, event: ProgressEvent) -> None:
        if event.kind is ProgressKind.START:
            self._start(event.total or 0, event.done or 0, event.message)
        elif event.kind is ProgressKind.ADVANCE:
            self._advance()
        else:
            print(f"evaluate: {event.message}", file=sys.stderr, flush=True)

    def _start(self, total: int, done: int, state: str) -> None:
        self._total, self._done = total, done
        self._step = max(1, total // 20)
        self._next = done + self._step
        print(f"evaluate: {state}", file=sys.stderr, flush=True)

    def _advance(self) -> None:
        self._done += 1
        if self._done >= self._next or self._done == self._total:
            self._next = self._done + self._step
            rate = self._done / max(time.perf_counter() - self._started, 1e-9)
            print(f"evaluate: {self._done}/{self._total} samples ({rate:.1f}/s)", file=sys.stderr, flush=True)

    def close(self) -> None:
        return None


class _RichReporter:
    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("[bold]evaluate"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[last]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task: Any = None
        self._closed = False

    def __call__(self, event: ProgressEvent) -> None:
        if event.kind is ProgressKind.START:
            self._progress.start()
            self._task = self._progress.add_task(
                "samples", total=event.total, completed=event.done or 0, last=""
            )
        elif event.kind is ProgressKind.ADVANCE:
            self._progress.update(self._task, advance=1, last=event.message)
        else:
            self._progress.console.print(event.message)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._progress.stop()
