"""``effilab optimize path/to/file.py::function``: a verified, measured, faster version — or an honest no.

Without ``--model`` the offline compiler strategy runs (numba); with ``--model`` (any OpenAI-compatible
endpoint) the LLM strategies do. The user's file is only written with ``--apply``, atomically, after a
backup; otherwise the patch is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax

from effilab import api
from effilab.cli import program_optimize_cmd, report_cmd
from effilab.cli.common import add_endpoint_arguments
from effilab.optimize.prompts import DEFAULT_PROMPTS
from effilab.optimize.session import OptimizeResult
from effilab.optimize.strategies import STRATEGIES
from effilab.reports import ProgressEvent
from effilab.sandbox import ISOLATION_TIERS

__all__ = ["register"]

EXIT_NOT_FOUND = 1
"""The run worked but no candidate was accepted."""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "optimize",
        help="make a function faster: propose, verify against the original, measure, patch",
        description="Find a faster version of FILE::FUNCTION that is proven equal to the original on "
        "differential tests, fresh inputs and the project's own tests, and measurably faster. Offline "
        "(numba) without --model; LLM strategies with --model. Exit status 0 when a version was accepted, "
        "1 when none was.",
    )
    parser.add_argument(
        "target", metavar="FILE::FUNCTION", help="e.g. src/pkg/mod.py::func or mod.py::Cls.meth"
    )
    parser.add_argument(
        "--strategy",
        default="auto",
        choices=STRATEGIES,
        help="auto: refine with --model, numba without (auto)",
    )
    model = parser.add_argument_group("model (LLM strategies)")
    model.add_argument("--model", default=None, metavar="M", help="model name sent to the endpoint")
    add_endpoint_arguments(model)
    model.add_argument(
        "--temperature",
        type=float,
        default=None,
        metavar="T",
        help="sampling temperature (0 for one proposal per round, 0.8 for several)",
    )
    model.add_argument(
        "--n", type=int, default=3, metavar="N", help="proposals per round / per beam parent (3)"
    )
    model.add_argument("--rounds", type=int, default=3, metavar="R", help="refinement or beam rounds (3)")
    model.add_argument(
        "--beam-width", type=int, default=2, metavar="W", help="candidates kept per beam round (2)"
    )
    model.add_argument("--max-calls", type=int, default=12, metavar="N", help="model-call budget (12)")
    model.add_argument("--token-budget", type=int, default=None, metavar="N", help="prompt+completion tokens")
    model.add_argument("--max-tokens", type=int, default=None, metavar="N", help="completion limit per reply")
    model.add_argument(
        "--request-timeout", type=float, default=120.0, metavar="SEC", help="per request (120)"
    )
    model.add_argument("--price-in", type=float, default=0.0, metavar="USD", help="$ per 1M prompt tokens")
    model.add_argument(
        "--price-out", type=float, default=0.0, metavar="USD", help="$ per 1M completion tokens"
    )
    model.add_argument(
        "--prompts",
        default=DEFAULT_PROMPTS,
        metavar="VERSION",
        help=f"prompt template version ({DEFAULT_PROMPTS})",
    )
    checks = parser.add_argument_group("inputs and checks")
    checks.add_argument(
        "--inputs",
        default=None,
        metavar="GEN.py",
        help="generator: generate(size, rng) -> tuple of arguments",
    )
    checks.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="DIR",
        help="project root (default: nearest folder with pyproject.toml/setup.py/.git)",
    )
    checks.add_argument(
        "--tests",
        type=Path,
        action="append",
        default=None,
        metavar="PATH",
        help="test files or folders (default: ROOT/tests); repeatable",
    )
    checks.add_argument(
        "--no-tests",
        action="store_true",
        help="go on without the project's tests (by default tests that exist must run, or optimize stops)",
    )
    checks.add_argument(
        "--site-packages",
        type=Path,
        action="append",
        default=None,
        metavar="DIR",
        help="the project's environment for its tests (default: ROOT/.venv if made for this Python); "
        "repeatable",
    )
    checks.add_argument(
        "--min-checked",
        type=int,
        default=50,
        metavar="N",
        help="accept only candidates checked on at least N inputs (50)",
    )
    checks.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="N",
        help="seed of the generated verification inputs (default: a fresh secret one, reported)",
    )
    checks.add_argument("--allow-deps", action="store_true", help="allow imports beyond the original's")
    checks.add_argument("--float-tol", type=float, default=1e-9, metavar="REL", help="float tolerance (1e-9)")
    checks.add_argument(
        "--confidence", type=float, default=0.95, help="confidence level of the speedup (0.95)"
    )
    checks.add_argument(
        "--measure-budget",
        type=float,
        default=20.0,
        metavar="SEC",
        help="measurement budget per candidate (20)",
    )
    checks.add_argument("--time-budget", type=float, default=1800.0, metavar="SEC", help="whole run (1800)")
    checks.add_argument("--isolation", default="auto", choices=["auto", *ISOLATION_TIERS])
    out = parser.add_argument_group("output")
    out.add_argument(
        "--apply", action="store_true", help="write the accepted version into the file (backup kept)"
    )
    out.add_argument(
        "--db",
        default="effilab-results.sqlite",
        metavar="FILE",
        help="results file for the trajectory (effilab-results.sqlite)",
    )
    out.add_argument("--json", action="store_true", help="print one JSON object")
    report_cmd.add_report_option(out)
    program_optimize_cmd.add_options(parser)  # whole programs: FILE.cpp / FILE.py --tests DIR
    parser.set_defaults(handler=report_cmd.reported(program_optimize_cmd.dispatch(_handle)))


def _handle(args: argparse.Namespace) -> int:
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    quiet = args.json and not sys.stderr.isatty()
    report_cmd.check_report_option(args.report)

    def log(event: ProgressEvent) -> None:
        if not quiet:
            console.print(f"[dim]·[/dim] {escape(event.message)}")

    report = api.optimize(
        args.target,
        strategy=args.strategy,
        model=args.model,
        base_url=args.base_url,
        api_key_env=args.api_key_env,
        temperature=args.temperature,
        n=args.n,
        rounds=args.rounds,
        beam_width=args.beam_width,
        max_calls=args.max_calls,
        max_tokens=args.max_tokens,
        token_budget=args.token_budget,
        time_budget=args.time_budget,
        price_in=args.price_in,
        price_out=args.price_out,
        request_timeout=args.request_timeout,
        prompts=args.prompts,
        inputs=args.inputs,
        project=args.project,
        tests=args.tests or None,
        run_tests=not args.no_tests,
        site_packages=args.site_packages if args.site_packages is not None else _active_venv(),
        seed=args.seed,
        min_checked=args.min_checked,
        allow_deps=args.allow_deps,
        float_tol=args.float_tol,
        confidence=args.confidence,
        measure_budget=args.measure_budget,
        isolation=args.isolation,
        apply=args.apply,
        db=args.db,
        progress=log,
    )
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        _render(report.result)
    report_cmd.write_report(report, args)
    return 0 if report.accepted else EXIT_NOT_FOUND


def _active_venv() -> tuple[Path, ...] | None:
    """The user's activated virtual environment (``$VIRTUAL_ENV``), when it is not effilab's own.

    None leaves the choice to the project (its own .venv, if any).
    """
    active = os.environ.get("VIRTUAL_ENV")
    if not active or Path(active).resolve() == Path(sys.prefix).resolve():
        return None
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    folder = Path(active) / "lib" / version / "site-packages"
    return (folder,) if folder.is_dir() else None


def _render(result: OptimizeResult) -> None:
    console = Console(highlight=False, soft_wrap=True)
    console.print(
        f"[bold]{escape(result.target)}[/bold]  strategy {result.strategy}, "
        f"{len(result.attempts)} candidates, {result.elapsed_s:.1f} s"
    )
    inputs, tests = result.inputs, result.inputs.tests
    console.print(
        f"inputs: {escape('; '.join(inputs.sources))}; {inputs.examples} examples + "
        f"{inputs.structured} structured probes + {inputs.fresh_per_candidate} fresh per candidate "
        f"(seed {inputs.seed}; at least {inputs.min_checked} checked to accept)"
    )
    if tests.status == "ran":
        console.print(
            f"project tests: {tests.ran} ran, {tests.passed_with_original} pass with the original "
            "and must pass with a candidate"
        )
    else:
        console.print(f"project tests: {escape(tests.status)}")
    for attempt in result.attempts:
        style = "green" if attempt.outcome and attempt.outcome.value == "accepted" else "red"
        verdict = attempt.outcome.value if attempt.outcome else "?"
        console.print(f"  #{attempt.index} [{style}]{verdict}[/{style}] {escape(attempt.detail)}")
        if attempt.failing_input and attempt.expected is not None:
            console.print(f"      input    {escape(attempt.failing_input)}")
            console.print(f"      expected {escape(attempt.expected)}")
            if attempt.actual is not None:
                console.print(f"      got      {escape(attempt.actual)}")
    usage = result.usage
    if usage.model_calls:
        cost = f", ${usage.cost_usd:.4f}" if usage.cost_usd is not None else ""
        console.print(
            f"model: {usage.model_calls} calls, {usage.prompt_tokens} prompt + "
            f"{usage.completion_tokens} completion tokens{cost}"
        )
    for note in result.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}")
    if not result.accepted or result.best is None:
        console.print("[bold]no faster version was accepted[/bold]; the file is unchanged")
        return
    best = result.best
    assert best.ci is not None
    assert best.speedup is not None
    console.print(
        f"[bold green]accepted #{best.index}: {best.speedup:.3g}× faster[/bold green] "
        f"(95% CI {best.ci[0]:.3g} – {best.ci[1]:.3g}; {result.original.workload}); "
        f"matched the original on {best.checked} inputs"
    )
    _render_change(console, "peak memory", result.original.peak_bytes, result.candidate.peak_bytes)
    before, after = result.original.complexity, result.candidate.complexity
    if before and after:
        console.print(
            f"complexity: {before['class']} → {after['class']} "
            f"(empirical fit over sizes {before['sizes']} only)"
        )
    console.print(Syntax(result.patch, "diff", theme="ansi_dark", background_color="default"))
    if result.applied:
        console.print(f"applied; the previous version is in {escape(result.applied)}")
    else:
        console.print("not applied (pass --apply to write it; a backup is kept)")


def _render_change(console: Console, what: str, before: object, after: object) -> None:
    if isinstance(before, int) and isinstance(after, int):
        console.print(f"{what}: {before / 1024:.1f} KiB → {after / 1024:.1f} KiB (Python heap, tracemalloc)")
