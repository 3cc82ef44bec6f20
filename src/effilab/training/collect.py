"""Judged candidates from a results file: every evaluated sample with its code, verdict and costs.

The store keeps verdicts and costs, not code: an evaluation run records the samples file it read (path
and SHA-256), and the code is read back from that file, which must still hold the same bytes (else the
run is skipped with the reason). Records written by ``effilab generate`` carry the ``model``; records
written by ``effilab dataset build`` for optimized versions carry ``optimized_from`` (the original
sample's run and number, the speedup ``effilab optimize`` measured and its interval).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument
from effilab.evaluate.samples import SampleFile, open_samples
from effilab.evaluate.store import ResultStore
from effilab.generate.prompting import build_messages
from effilab.suites.model import Problem, Suite
from effilab.suites.registry import load_suite
from effilab.training.records import Candidate, OptimizedFrom, Prompt
from effilab.util import safejson

__all__ = ["Collected", "ProblemCandidates", "collect", "prompt_for"]


@dataclasses.dataclass(frozen=True, slots=True)
class ProblemCandidates:
    prompt: Prompt
    candidates: tuple[Candidate, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Collected:
    problems: tuple[ProblemCandidates, ...]
    runs: tuple[str, ...]
    """The evaluation runs read."""
    notes: tuple[str, ...]
    """Runs skipped, and why."""


def prompt_for(problem: Problem, suite: Suite, *, system: bool = False) -> Prompt:
    """The messages ``effilab generate`` sends for ``problem`` (without the system message unless asked)."""
    messages = [
        {"role": str(m["role"]), "content": str(m.get("content") or "")}
        for m in build_messages(problem)
        if system or m["role"] != "system"
    ]
    return Prompt(problem.id, suite.name, tuple(messages))


def collect(
    db: str | Path,
    *,
    runs: Sequence[str] | None = None,
    suite: Suite | None = None,
    system: bool = False,
) -> Collected:
    """Candidates of the chosen evaluation runs (all of them by default; only ``suite``'s if given)."""
    path = Path(db)
    if not path.is_file():
        raise InvalidArgument(f"--db {str(db)!r}: no such file")
    notes: list[str] = []
    suites: dict[str, Suite] = {}
    grouped: dict[tuple[str, str], list[Candidate]] = {}
    prompts: dict[tuple[str, str], Prompt] = {}
    read: list[str] = []
    with ResultStore(path) as store:
        available = store.runs()
        known = {run_id for run_id, _ in available}
        for wanted in runs or ():
            if wanted not in known:
                raise InvalidArgument(f"--run {wanted!r}: no evaluation run with that id in {path}")
        for run_id, config in available:
            if runs and run_id not in runs:
                continue
            if suite is not None and config.get("suite_fingerprint") != suite.fingerprint:
                if runs:
                    notes.append(f"run {run_id}: evaluated another suite ({config.get('suite')}); skipped")
                continue
            try:
                run_suite = suite or _suite(str(config.get("suite", "")), suites)
                sample_file = _samples(config, run_suite)
            except InvalidArgument as exc:
                if runs:
                    raise
                notes.append(f"run {run_id}: skipped: {exc}")
                continue
            if suite is None and run_suite.fingerprint != config.get("suite_fingerprint"):
                notes.append(f"run {run_id}: suite {run_suite.source} changed since; prompts are today's")
            costs = store.timed_tests(run_id)
            rows = list(store.samples(run_id))
            extras = _records(sample_file)
            for row in rows:
                problem = run_suite.get(row.task_id)
                refs = sample_file.by_task.get(row.task_id, [])
                if problem is None or row.sample >= len(refs):
                    continue
                ref = refs[row.sample]
                code = sample_file.program_text(ref, _prompt_of(run_suite))
                extra = extras.get((ref.task_id, ref.index), {})
                key = (run_suite.fingerprint, row.task_id)
                if key not in prompts:
                    prompts[key] = prompt_for(problem, run_suite, system=system)
                grouped.setdefault(key, []).append(
                    Candidate(
                        task_id=row.task_id,
                        code=code,
                        passed=row.passed,
                        verdict=row.verdict,
                        run_id=run_id,
                        sample=row.sample,
                        score=row.score,
                        speedup=row.speedup,
                        tests=costs.get((row.task_id, row.sample), ()) if row.passed else (),
                        model=extra.get("model") if isinstance(extra.get("model"), str) else None,
                        optimized=_optimized_from(extra.get("optimized_from")),
                    )
                )
            read.append(run_id)
    if not read:
        reasons = "; ".join(notes) if notes else "no evaluation run" + (f" of {suite.name}" if suite else "")
        raise InvalidArgument(f"--db {str(db)!r}: nothing to export ({reasons})")
    problems = tuple(ProblemCandidates(prompts[key], tuple(found)) for key, found in grouped.items())
    return Collected(problems, tuple(read), tuple(notes))


def _suite(source: str, cache: dict[str, Suite]) -> Suite:
    if not source:
        raise InvalidArgument("the run does not record its suite")
    if source not in cache:
        cache[source] = load_suite(source)
    return cache[source]


def _samples(config: dict[str, Any], suite: Suite) -> SampleFile:
    name = config.get("samples")
    if not isinstance(name, str):
        raise InvalidArgument("the run does not record its samples file")
    if not Path(name).is_file():
        raise InvalidArgument(f"its samples file {name} is gone (the store keeps verdicts, not code)")
    sample_file = open_samples(name, suite, skip_bad=True)
    if sample_file.digest != config.get("samples_digest"):
        raise InvalidArgument(f"its samples file {name} has changed since it was evaluated")
    return sample_file


def _prompt_of(suite: Suite) -> Any:
    prompts = {p.id: p.prompt for p in suite}
    return prompts.__getitem__


def _records(sample_file: SampleFile) -> dict[tuple[str, int], dict[str, Any]]:
    """The raw JSONL record of every sample with a byte offset (extra fields: model, optimized_from)."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
    refs = [ref for task_refs in sample_file.by_task.values() for ref in task_refs if ref.offset >= 0]
    if not refs:
        return found
    with sample_file.path.open("rb") as handle:
        for ref in refs:
            handle.seek(ref.offset)
            try:
                record = safejson.loads(handle.readline())
            except safejson.JSONInputError:
                continue
            if isinstance(record, dict):
                found[(ref.task_id, ref.index)] = record
    return found


def _optimized_from(value: object) -> OptimizedFrom | None:
    if not isinstance(value, dict):
        return None
    try:
        ci = value["ci"]
        low, high = float(ci[0]), float(ci[1])
        speedup = float(value["speedup"])
        run = value.get("optimize_run")
        model = value.get("model")
        origin = OptimizedFrom(
            run_id=str(value["run_id"]),
            sample=int(value["sample"]),
            speedup=speedup,
            ci=(low, high),
            optimize_run=int(run) if isinstance(run, int) else None,
            model=model if isinstance(model, str) else None,
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    return origin if all(math.isfinite(x) for x in (low, high, speedup)) else None
