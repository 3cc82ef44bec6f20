"""``effilab generate --suite S --model M --out FILE``: code samples from an OpenAI-compatible endpoint.

The output is the JSONL ``effilab evaluate --samples`` reads. Running the same command again resumes:
only samples missing from FILE are requested, so an interrupted or partly failed run is finished by
repeating it, and a complete one costs nothing.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from effilab.cli.common import add_endpoint_arguments
from effilab.errors import InvalidArgument
from effilab.generate import runner
from effilab.generate.runner import GenerateOptions, GenerationReport
from effilab.models.chat import api_key_from_env, resolve_base_url
from effilab.suites.model import Problem, Suite
from effilab.suites.registry import load_suite
from effilab.util.argcheck import count, number, seconds

__all__ = ["register"]

EXIT_SAMPLES_FAILED = 1
"""Some samples could not be obtained (they are reported and missing from FILE; re-run to retry)."""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "generate",
        help="sample solutions from an OpenAI-compatible chat-completions endpoint",
        description="Ask a model for an efficient program per problem and write one JSONL record per sample "
        "(task_id, sample, solution, model, tokens, finish_reason) for 'effilab evaluate --samples'. "
        "Samples already in --out are not requested again.",
    )
    parser.add_argument("--suite", required=True, help="suite name, folder or format:PATH")
    parser.add_argument("--model", required=True, metavar="M", help="model name sent to the endpoint")
    add_endpoint_arguments(parser)
    parser.add_argument("--n", type=int, default=1, metavar="N", help="samples per problem (1)")
    parser.add_argument(
        "--temperature",
        type=float,
        default=None,
        metavar="T",
        help="sampling temperature (0.0 for one sample, 0.8 for several)",
    )
    parser.add_argument(
        "--max-tokens", type=int, default=None, metavar="N", help="completion token limit (server default)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=4, metavar="N", help="requests in flight at once (4)"
    )
    parser.add_argument(
        "--timeout", type=float, default=300.0, metavar="SEC", help="limit per request in seconds (300)"
    )
    parser.add_argument(
        "--problems", default=None, metavar="ID,ID", help="only these problem ids (default: all)"
    )
    parser.add_argument("--out", required=True, metavar="FILE", help="JSONL output, resumed if it exists")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    # Upper bounds first: --n 10**12 would plan a trillion jobs in memory before the first request.
    count("n", args.n, low=1, high=1_000_000)
    count("concurrency", args.concurrency, low=1, high=1024)
    if args.max_tokens is not None:
        count("max_tokens", args.max_tokens, low=1, high=10**9)
    if args.temperature is not None:
        number("temperature", args.temperature, low=0, high=10)
    timeout = seconds("timeout", args.timeout)
    options = GenerateOptions(
        model=args.model,
        n=args.n,
        temperature=args.temperature,
        max_tokens=args.max_tokens,
        concurrency=args.concurrency,
    )
    api_key = api_key_from_env(args.api_key_env)
    base_url = resolve_base_url(args.base_url)
    suite = load_suite(args.suite)
    problems = _select(suite, args.problems)
    out = Path(args.out)
    progress: _BarProgress | _LogProgress = _BarProgress() if sys.stderr.isatty() else _LogProgress()
    try:
        report = runner.generate(
            problems,
            out,
            options,
            base_url=base_url,
            api_key=api_key,
            timeout_s=timeout,
            retry=runner.DEFAULT_RETRY,  # looked up now so tests can swap in a policy that does not sleep
            progress=progress,
        )
    finally:
        progress.stop()
    return _summarise(report, out)


def _select(suite: Suite, spec: str | None) -> list[Problem]:
    """The problems to sample, in suite order; unknown ids are an error, not silently skipped."""
    if spec is None:
        return list(suite)
    wanted = {part.strip() for part in spec.split(",") if part.strip()}
    if not wanted:
        raise InvalidArgument(f"--problems={spec!r}: give comma-separated problem ids")
    unknown = sorted(wanted - {problem.id for problem in suite})
    if unknown:
        known = [problem.id for problem in suite]
        shown = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
        raise InvalidArgument(
            f"--problems: unknown id(s) {', '.join(unknown[:5])} in suite {suite.name} (ids: {shown})"
        )
    return [problem for problem in suite if problem.id in wanted]


def _summarise(report: GenerationReport, out: Path) -> int:
    # Plain print: a rich Console would wrap long paths mid-line in logs.
    if report.already_present == report.planned:
        print(f"nothing to do: all {report.planned} samples are already in {out}")
        return 0
    failed = len(report.failures)
    print(
        f"wrote {report.written} samples to {out} ({report.already_present} already present,"
        f" {failed} failed, {report.requests} requests)"
    )
    total = report.prompt_tokens + report.completion_tokens
    print(
        f"tokens this run: {report.prompt_tokens:,} prompt + {report.completion_tokens:,} completion"
        f" = {total:,}"
    )
    if failed:
        # Name the cause: when the endpoint is unreachable every sample fails the same way, and a count
        # alone left the user to scroll back through the notes.
        reasons = Counter(failure.reason for failure in report.failures)
        reason, times = reasons.most_common(1)[0]
        share = "" if times == failed else f" ({times} of them)"
        print(
            f"error: {failed} sample(s) could not be generated: {reason}{share}; "
            "run the same command again to retry them",
            file=sys.stderr,
        )
        return EXIT_SAMPLES_FAILED
    return 0


class _BarProgress:
    """A live bar on a terminal; notes (failures, repairs) scroll above it."""

    def __init__(self) -> None:
        self._bar = RichProgress(
            TextColumn("generating"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        self._task: Any = None

    def start(self, total: int) -> None:
        self._task = self._bar.add_task("generating", total=total, failed="")
        self._bar.start()

    def advance(self, done: int, total: int, failed: int) -> None:
        if self._task is not None:
            self._bar.update(self._task, completed=done, failed=f"{failed} failed" if failed else "")

    def note(self, message: str) -> None:
        self._bar.console.print(message, markup=False, highlight=False)

    def stop(self) -> None:
        self._bar.stop()


class _LogProgress:
    """Plain lines on stderr for logs and CI: one about every 10 % of the samples, plus every note."""

    def __init__(self) -> None:
        self._step = 1

    def start(self, total: int) -> None:
        self._step = max(1, math.ceil(total / 10))
        print(f"generate: {total} samples to request", file=sys.stderr, flush=True)

    def advance(self, done: int, total: int, failed: int) -> None:
        if done % self._step == 0 or done == total:
            print(
                f"generate: {done}/{total} samples ({100 * done // total}%), {failed} failed",
                file=sys.stderr,
                flush=True,
            )

    def note(self, message: str) -> None:
        print(f"generate: {message}", file=sys.stderr, flush=True)

    def stop(self) -> None:
        pass
