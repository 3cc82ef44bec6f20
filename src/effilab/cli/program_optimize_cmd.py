"""``effilab optimize prog.cpp --tests DIR`` (or ``prog.py``): make a whole program faster.

Hooked into ``optimize``: a target without ``::FUNCTION`` whose suffix is a program language's goes here.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from effilab.errors import InvalidArgument
from effilab.programs.compile import default_cache_dir
from effilab.programs.languages import all_languages, language_for_path
from effilab.programs.limits import ProgramLimits
from effilab.programs.optimize import (
    Attempt,
    ProgramCandidate,
    llm_candidates,
    load_inputs,
    offline_candidates,
    optimize_program,
)

__all__ = ["add_options", "dispatch", "is_program_target"]


def add_options(parser: Any) -> None:
    group = parser.add_argument_group("whole programs (FILE.cpp / FILE.c / FILE.py with --tests DIR)")
    group.add_argument(
        "--program-metric",
        default="time",
        choices=("time", "instructions"),
        help="cost compared (time: kernel CPU of the box; instructions: callgrind)",
    )
    group.add_argument(
        "--program-timeout", type=float, default=10.0, metavar="SEC", help="limit of one program run (10)"
    )
    group.add_argument(
        "--sizes",
        default="100,1000,10000",
        metavar="N,N",
        help="sizes passed to --inputs GEN.py's generate(size, rng) (100,1000,10000)",
    )


def is_program_target(target: str, *, has_inputs: bool) -> bool:
    """A whole program: a C/C++ file, or a Python file without ``::FUNCTION`` given ``--tests``/``--inputs``.

    A bare ``mod.py`` without inputs stays the function optimizer's (which asks for ``::FUNCTION``).
    """
    if "::" in target:
        return False
    language = next((lang for lang in all_languages() if Path(target).suffix.lower() in lang.suffixes), None)
    if language is None:
        return False
    return language.compiled or has_inputs


def dispatch(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def route(args: argparse.Namespace) -> int:
        has_inputs = bool(getattr(args, "tests", None) or getattr(args, "inputs", None))
        if is_program_target(str(args.target), has_inputs=has_inputs):
            return run(args)
        return handler(args)

    return route


def run(args: argparse.Namespace) -> int:
    path = Path(args.target)
    if not path.is_file():
        raise InvalidArgument(f"{path}: no such file")
    language = language_for_path(path)
    tests = list(getattr(args, "tests", None) or [])
    if len(tests) > 1:
        raise InvalidArgument("--tests: give one folder of input.<i>.txt / output.<i>.txt files")
    try:
        sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    except ValueError:
        raise InvalidArgument(f"--sizes={args.sizes!r}: comma-separated integers") from None
    seed = args.seed if getattr(args, "seed", None) is not None else secrets.randbits(63)
    generator = Path(args.inputs) if getattr(args, "inputs", None) else None
    inputs = load_inputs(tests[0] if tests else None, generator, sizes, seed)
    console = Console(stderr=True)
    strategy = "llm" if getattr(args, "model", None) else "offline"

    def candidates(source: bytes) -> list[ProgramCandidate]:
        found = offline_candidates(language, source)
        if strategy == "llm":
            found += llm_candidates(_completer(args), language, source, max(1, int(args.n)))
        return found

    def progress(attempt: Attempt) -> None:
        if not args.json:
            shown = "-" if attempt.speedup is None else f"{attempt.speedup:.2f}x"
            state = "accepted" if attempt.accepted else attempt.verdict.value
            console.print(f"  {attempt.candidate.name}: {state} {shown} {attempt.detail}", highlight=False)

    report = optimize_program(
        path,
        language,
        inputs=inputs,
        candidates=candidates,
        cache_dir=default_cache_dir(),
        metric=args.program_metric,
        limits=ProgramLimits(timeout_s=args.program_timeout),
        isolation=args.isolation,
        progress=progress,
    )
    if report.best is not None and args.apply:
        backup = path.with_name(path.name + ".orig")
        if not backup.exists():
            backup.write_bytes(path.read_bytes())
        tmp = path.with_name(f".{path.name}.effilab")
        tmp.write_bytes(report.best.candidate.source)
        os.replace(tmp, path)
    if args.json:
        print(
            json.dumps(
                {
                    **report.as_dict(),
                    "seed": seed,
                    "strategy": strategy,
                    "applied": bool(report.best is not None and args.apply),
                }
            )
        )
    else:
        out = Console()
        out.print(
            f"{path} ({language.name}): {report.inputs} inputs, {len(report.attempts)} candidates "
            f"({strategy}), metric {report.metric}",
            highlight=False,
        )
        if report.best is None:
            out.print("nothing accepted")
        else:
            out.print(
                f"accepted {report.best.candidate.name}: {report.best.speedup:.2f}x faster "
                f"({report.best.candidate.note}; rounds {report.best.round_speedups})",
                highlight=False,
            )
            out.print(report.patch, highlight=False, markup=False)
            if not args.apply:
                out.print("not applied (pass --apply to write it; a backup is kept)")
    return 0 if report.best is not None else 1


def _completer(args: argparse.Namespace) -> Callable[[list[dict[str, str]]], str]:
    from effilab.models.chat import ChatClient, api_key_from_env, resolve_base_url  # noqa: PLC0415

    client = ChatClient(
        model=args.model,
        base_url=resolve_base_url(args.base_url),
        api_key=api_key_from_env(args.api_key_env),
        timeout_s=args.request_timeout,
    )
    temperature = 0.8 if args.temperature is None else float(args.temperature)

    def complete(messages: list[dict[str, str]]) -> str:
        return client.complete(messages, temperature=temperature, max_tokens=args.max_tokens).content

    return complete
