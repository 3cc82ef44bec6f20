"""``effilab task run TASK --patch FILE`` / ``TASKS... --predictions FILE``: repository optimization tasks."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from effilab import api
from effilab.cli.common import progress_status
from effilab.errors import InvalidArgument
from effilab.repotask import (
    Attempt,
    PatchScore,
    ScoreSettings,
    TaskRunReport,
    load_predictions,
    load_task,
    run_tasks,
)

__all__ = ["register"]

DEFAULT_CACHE = Path.home() / ".cache" / "effilab" / "repotasks"


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "task",
        help="repository optimization tasks: score patches that make a repository's workload faster",
        description="Repository optimization tasks (docs/repotasks.md).",
    )
    sub = parser.add_subparsers(
        dest="task_command", metavar="ACTION", required=True, parser_class=type(parser)
    )
    run = sub.add_parser(
        "run",
        help="score a patch (or a predictions file) on tasks",
        description="Scores each patch on five counts: it applies cleanly; the guarding tests pass; the "
        "workload's outputs are equivalent on two seeds; its speedup over the base with a confidence "
        "interval (interleaved fresh sandboxed runs, costs from the kernel's account); its speedup "
        "relative to the expert patch's. Patches that edit data, config or tests, use introspection,"
        "persist caches or "
        "special-case the workload's inputs are refused. Reports opt@k and the harmonic mean of the speedup "
        "ratio over tasks. Scores are stored as they are known: the same command again resumes.",
    )
    run.add_argument("tasks", nargs="+", metavar="TASK", help="task files (.toml or .json)")
    source = run.add_mutually_exclusive_group(required=True)
    source.add_argument("--patch", metavar="FILE", help="a unified diff for the (single) task")
    source.add_argument("--predictions", metavar="FILE",
                        help="JSONL of {instance_id, model_patch}; repeated ids are attempts")  # fmt: skip
    source.add_argument("--expert-only", action="store_true", help="score only each task's expert patch")
    run.add_argument("--k", default="1", metavar="K,K", help="k values for opt@k (1)")
    run.add_argument(
        "--rounds", type=int, default=None, metavar="N", help="timed rounds (the task's, else 5)"
    )
    run.add_argument("--confidence", type=float, default=0.95, metavar="C", help="interval level (0.95)")
    run.add_argument("--min-speedup", type=float, default=1.2, metavar="X",
                     help="a solved patch is at least X times faster than the base (GSO: 1.2)")  # fmt: skip
    run.add_argument("--min-expert-share", type=float, default=0.95, metavar="F",
                     help="... and reaches F of the expert's speedup (GSO: 0.95)")  # fmt: skip
    run.add_argument("--db", default=api.DEFAULT_DB, metavar="DB", help=f"results file ({api.DEFAULT_DB})")
    run.add_argument("--cache", default=str(DEFAULT_CACHE), metavar="DIR",
                     help=f"where repositories and sdists are kept ({DEFAULT_CACHE})")  # fmt: skip
    run.add_argument("--isolation", default="auto", choices=("auto", "bwrap", "process"), help="sandbox tier")
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.set_defaults(handler=_handle)


def _parse_ks(text: str) -> tuple[int, ...]:
    try:
        ks = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise InvalidArgument(f"--k={text!r}: must be comma-separated positive integers") from None
    if not ks or any(k < 1 for k in ks):
        raise InvalidArgument(f"--k={text!r}: must be comma-separated positive integers")
    return ks


def _settings(args: argparse.Namespace) -> ScoreSettings:
    if args.rounds is not None and not 3 <= args.rounds <= 100:
        raise InvalidArgument(f"--rounds={args.rounds}: an integer from 3 to 100")
    if not 0.5 <= args.confidence < 1:
        raise InvalidArgument(f"--confidence={args.confidence}: a number in [0.5, 1)")
    if not (math.isfinite(args.min_speedup) and args.min_speedup > 0):
        raise InvalidArgument(f"--min-speedup={args.min_speedup}: a positive number")
    if not 0 < args.min_expert_share <= 10:
        raise InvalidArgument(f"--min-expert-share={args.min_expert_share}: a positive number")
    return ScoreSettings(confidence=args.confidence, rounds=args.rounds, min_speedup=args.min_speedup,
                         min_expert_share=args.min_expert_share, isolation=args.isolation)  # fmt: skip


def _handle(args: argparse.Namespace) -> int:
    ks = _parse_ks(args.k)
    settings = _settings(args)
    tasks = [load_task(path) for path in args.tasks]
    attempts: list[Attempt] = []
    if args.patch is not None:
        if len(tasks) != 1:
            raise InvalidArgument(
                f"--patch {args.patch}: give exactly one task with --patch (or use --predictions)"
            )
        try:
            text = Path(args.patch).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidArgument(f"--patch {args.patch}: cannot read ({exc.__class__.__name__})") from None
        attempts = [Attempt(tasks[0].id, "patch", text)]
    elif args.predictions is not None:
        attempts = load_predictions(args.predictions)
    status, update = progress_status("task run")
    with status:
        report = run_tasks(tasks, attempts, db=args.db, cache=Path(args.cache), settings=settings, ks=ks,
                           progress=update)  # fmt: skip
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        _render(report)
    return 0


def _fmt(value: float | None, suffix: str = "") -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.3g}{suffix}"


def _line(score: PatchScore) -> str:
    best = score.speedup
    speed = "-" if best is None else f"{best.point:.3g}× [{best.low:.3g}, {best.high:.3g}]"
    checks = (
        f"applies={'yes' if score.applies else 'no'} "
        f"tests={'-' if score.tests_passed is None else 'pass' if score.tests_passed else 'FAIL'} "
        f"equivalent={'-' if score.equivalent is None else 'yes' if score.equivalent else 'NO'}"
    )
    solved = "yes" if score.solved else "no"
    return (f"{score.instance_id:<24} {score.label:<20} {score.verdict.value:<15} {checks}  speedup {speed}  "
            f"vs expert {_fmt(score.relative)}  solved={solved}\n    {score.detail}")  # fmt: skip


def _render(report: TaskRunReport) -> None:
    for task_id, expert in report.experts.items():
        print(f"expert  {_line(expert)}".replace(f"{task_id:<24} ", f"{task_id} ", 1))
    for score in report.scores:
        print(_line(score))
    summary = report.to_dict()
    opts = "  ".join(f"opt@{k} {_fmt(summary[f'opt@{k}'])}" for k in report.ks)
    print(f"{summary['tasks']} task(s), {summary['patches']} patch(es), {summary['solved']} solved  {opts}  "
          f"harmonic mean speedup ratio {_fmt(summary['harmonic_mean_speedup_ratio'])}  "
          f"geomean speedup {_fmt(summary['geomean_speedup'], '×')}")  # fmt: skip
    for note in report.notes:
        print(f"note: {note}")
