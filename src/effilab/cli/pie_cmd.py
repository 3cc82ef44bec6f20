"""``effilab evaluate --suite pie:FILE.jsonl --tests DIR --samples GENERATIONS``: whole programs, PIE's way.

Hooked into ``evaluate``: its options are added to that verb's parser, and a ``pie:`` suite is routed here,
as is a suite folder of program problems (``kind = "program"`` in ``problem.toml``, docs/suite.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from effilab.errors import InvalidArgument
from effilab.programs.box import box_tier
from effilab.programs.compile import default_cache_dir
from effilab.programs.evaluate import PairResult, ProgramEvalConfig, evaluate_programs, summarise
from effilab.programs.limits import ProgramLimits
from effilab.programs.store import ProgramStore, run_identity
from effilab.suites.pie import ProgramSuite, load_generations, load_pie
from effilab.suites.program_folder import load_program_folder, program_suite_folder
from effilab.suites.registry import BUILTIN_ROOT, builtin_suites

__all__ = ["add_options", "dispatch", "run_pie", "run_program_folder"]

PREFIX = "pie:"


def add_options(parser: Any) -> None:
    group = parser.add_argument_group("whole programs (--suite pie:FILE.jsonl)")
    group.add_argument(
        "--tests",
        metavar="DIR",
        default=None,
        help="PIE's tests: DIR/<problem_id>/input.<i>.txt + output.<i>.txt",
    )
    group.add_argument(
        "--column",
        default=None,
        metavar="NAME",
        help="samples column with a program or a list (generated_answers, ...)",
    )
    group.add_argument("--language", default=None, help="language of records without one (cpp, python, c)")
    group.add_argument(
        "--program-timeout",
        type=float,
        default=10.0,
        metavar="SEC",
        help="wall-clock and CPU limit of one program run (10)",
    )
    group.add_argument(
        "--cache-dir",
        default=None,
        metavar="DIR",
        help="compiled programs, by source digest (~/.cache/effilab/programs)",
    )


def dispatch(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``handler`` for every suite but ``pie:`` ones, which :func:`run_pie` takes."""

    def route(args: argparse.Namespace) -> int:
        is_programs = str(args.suite).startswith(PREFIX) or program_suite_folder(str(args.suite)) is not None
        if is_programs and getattr(args, "executor", "local") != "local":
            raise InvalidArgument(f"--executor {args.executor!r}: whole-program suites run locally only")
        if str(args.suite).startswith(PREFIX):
            return run_pie(args)
        folder = program_suite_folder(str(args.suite))
        if folder is not None:
            if getattr(args, "tests", None) is not None:
                raise InvalidArgument(
                    "--tests: only for --suite pie:...; a program suite folder holds its tests"
                )
            return run_program_folder(args, folder)
        if getattr(args, "tests", None) is not None:
            raise InvalidArgument("--tests: only for --suite pie:FILE.jsonl")
        return handler(args)

    return route


def run_pie(args: argparse.Namespace) -> int:
    path = str(args.suite)[len(PREFIX) :]
    if not path:
        raise InvalidArgument(f"--suite {args.suite!r}: give the JSONL file after 'pie:'")
    tests = args.tests
    shipped = BUILTIN_ROOT / path
    if not Path(path).exists() and (shipped / "problems.jsonl").is_file():
        # A suite shipped with effilab in PIE's layout: pie:programs.
        path, tests = str(shipped / "problems.jsonl"), tests or str(shipped / "tests")
    if tests is None:
        raise InvalidArgument("--suite pie:...: needs --tests DIR (PIE's test cases)")
    suite = load_pie(path, tests, language=args.language)
    samples = path if args.samples == args.suite else args.samples
    generations = load_generations(samples, suite, column=args.column)
    files = [Path(path), Path(tests), Path(samples)]
    return _evaluate(
        args, suite, generations, files, label=f"pie:{path}", repetitions=3, alpha=2.0, seed=None
    )


def run_program_folder(args: argparse.Namespace, folder: Path) -> int:
    """A suite folder of program problems: its references are the pair's slow, middle and target programs."""
    name = str(args.suite) if str(args.suite) in builtin_suites() else None
    suite = load_program_folder(folder, name=name)
    generations = load_generations(args.samples, suite, column=args.column, language=args.language)
    settings = suite.settings
    assert settings is not None
    return _evaluate(args, suite, generations, [folder, Path(args.samples)], label=suite.name,
                     repetitions=settings.repetitions, alpha=settings.alpha, seed=settings.seed)  # fmt: skip


def _evaluate(
    args: argparse.Namespace,
    suite: ProgramSuite,
    generations: dict[str, list[bytes]],
    files: list[Path],
    *,
    label: str,
    repetitions: int,
    alpha: float,
    seed: int | None,
) -> int:
    limits = ProgramLimits(timeout_s=args.program_timeout, memory_mb=args.memory_mb or 1024)
    config = ProgramEvalConfig(
        cache_dir=Path(args.cache_dir) if args.cache_dir else default_cache_dir(),
        metric=args.metric,
        repetitions=args.repetitions or repetitions,
        limits=limits,
        isolation=args.isolation,
    )
    console = Console(stderr=True)
    settings = {
        "column": args.column,
        "metric": config.metric,
        "repetitions": config.repetitions,
        "limits": repr(limits),
        "tier": box_tier(config.isolation),
        "language": args.language,
        "seed": args.seed,
    }
    store = ProgramStore(args.db)
    run_id = run_identity(files, settings)
    # Generated inputs (problems with a generator.py) come from a secret seed per run unless --seed (or a
    # suite folder's seed) is given; it is stored with the run, so a resumed run generates the same inputs.
    chosen = args.seed if args.seed is not None else seed
    seed = store.seed(run_id, chosen if chosen is not None else secrets.randbits(62))
    config = dataclasses.replace(config, seed=seed)
    finished = store.finished(run_id)
    if finished and not args.json:
        console.print(f"resuming: {len(finished)} pairs already evaluated in {args.db}", highlight=False)

    def progress(result: PairResult) -> None:
        store.save(run_id, result)
        if not args.json:
            best = result.best_speedup
            shown = "broken" if result.broken else ("-" if best is None else f"{best:.2f}x")
            console.print(f"  {result.key}: best {shown}", highlight=False)

    try:
        results = evaluate_programs(suite, generations, config, progress=progress, finished=finished)
    finally:
        store.close()
    summary = summarise(results, threshold=config.threshold, ks=_ks(args.k), alpha=args.alpha or alpha)
    summary.update(
        {
            "suite": label,
            "metric": config.metric,
            "repetitions": config.repetitions,
            "seed": seed if any(p.generator is not None for p in suite) else None,
        }
    )
    if args.json:
        print(json.dumps({**summary, "per_pair": [r.as_dict() for r in results]}, indent=None))
        return 0
    _print_table(results, summary)
    return 0


def _ks(text: str) -> tuple[int, ...]:
    try:
        ks = tuple(sorted({int(part) for part in str(text).split(",") if part.strip()}))
    except ValueError:
        raise InvalidArgument(f"--k={text!r}: must be comma-separated positive integers") from None
    if not ks or ks[0] < 1:
        raise InvalidArgument(f"--k={text!r}: must be comma-separated positive integers")
    return ks


def _fmt(value: float | None, spec: str = ".2f", suffix: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{suffix}"


def _pct(share: float | None) -> str:
    return _fmt(None if share is None else 100 * share, ".1f", "%")


def _print_table(results: list[PairResult], summary: dict[str, Any]) -> None:
    console = Console()
    target = "human target" if str(summary["suite"]).startswith(PREFIX) else "target (fastest reference)"
    table = Table(title=f"{summary['suite']} ({summary['metric']})")
    for column in ("pair", "lang", "tests", "candidates", "correct", "best speedup", "target speedup"):
        table.add_column(column)
    for r in results:
        correct = sum(1 for c in r.candidates if c.correct)
        tests = f"{len(r.slow.per_test)}" + (f" (-{len(r.dropped)})" if r.dropped else "")
        status = "broken" if r.broken else str(correct)
        best, target = _fmt(r.best_speedup, suffix="x"), _fmt(r.speedup(r.target), suffix="x")
        table.add_row(r.key, r.language, tests, str(len(r.candidates)), status, best, target)
    console.print(table)
    console.print(
        f"pairs {summary['pairs']} (broken {len(summary['pairs_broken'])}), candidates "
        f"{summary['candidates']}, correct {_pct(summary['pct_correct'])}; speedup mean "
        f"{_fmt(summary['speedup_mean'], suffix='x')} (PIE: 1.0 when none correct and faster), geomean "
        f"{_fmt(summary['speedup_geomean'], suffix='x')}; %OPT {_pct(summary['pct_opt'])}; {target}: "
        f"geomean {_fmt(summary['target_speedup_geomean'], suffix='x')}, %OPT "
        f"{_pct(summary['target_pct_opt'])}; best candidate >= target on {_pct(summary['pct_beats_target'])}"
        " of pairs",
        highlight=False,
    )
    passes = [f"{key} {_fmt(value, '.3f')}" for key, value in summary.items() if key.startswith("pass@")]
    console.print(", ".join(passes), highlight=False)
    effs = [f"{key} {_fmt(value, '.3f')}" for key, value in summary.items() if key.startswith("eff@")]
    if summary["eff_pairs"]:
        where = f"against the {target}, over {summary['eff_pairs']} levelled pairs: "
        console.print(where + ", ".join(effs))
    for broken in summary["pairs_broken"]:
        console.print(f"broken: {broken['key']}: {broken['reason']}", highlight=False)
