"""``effilab suite validate``: is a suite fit to score samples?

For every problem: the generator is deterministic (two fresh sandboxes produce identical inputs), every
reference loads and agrees with the oracle on every input (and with the stated answer of fixed tests), and
the references are separated at the top level (the fastest clearly beats the slowest). For the suite: the
share of separating problems and the total time it takes to evaluate all references.

An input on which the oracle cannot produce an output (an error, a limit, a crash, an output its rule cannot
compare) is *dropped*, as ``effilab evaluate`` drops it: reported with the reason, and left out of the other
checks. A problem left without any input fails validation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import as_completed
from typing import Any

from effilab.check.checker import OutputChecker
from effilab.errors import EffilabError
from effilab.executors.base import Executor
from effilab.executors.local import LocalExecutor
from effilab.measure.backends import resolve_backend
from effilab.measure.sampler import short_repr
from effilab.sandbox import CallResult, Limits, OutputDigest, Verdict, Worker, codec
from effilab.sandbox.lifecycle import open_loaded
from effilab.suites.cases import build_cases
from effilab.suites.model import Problem, Suite, SuiteSettings, TestCase

__all__ = [
    "ProblemReport",
    "ReferenceCost",
    "SuiteReport",
    "ValidateTask",
    "report_from_json",
    "validate_problem",
    "validate_suite",
    "validate_task",
]

REFERENCE_LIMITS = Limits(timeout_s=60.0, memory_mb=4096, load_timeout_s=30.0, stream_above_bytes=8 << 20)
"""Default limits of a reference; a suite's own oracle limits replace time and memory (oracle_limits)."""


def oracle_limits(settings: SuiteSettings) -> Limits:
    """The references' limits a suite asks for (``None`` memory: the machine's)."""
    from effilab.evaluate.engine import machine_memory_mb  # noqa: PLC0415 - evaluate imports suites

    memory = settings.oracle_memory_mb if settings.oracle_memory_mb is not None else machine_memory_mb()
    return REFERENCE_LIMITS.replace(timeout_s=settings.oracle_timeout_s, memory_mb=max(memory, 1024))


_TIMED_CALLS = 3  # per top-level input and reference: the median of three calls


@dataclasses.dataclass(frozen=True, slots=True)
class ReferenceCost:
    name: str
    seconds: float
    """Sum over the top-level inputs of the median call time."""
    instructions: int | None = None
    """Instructions over the top-level inputs (callgrind), when asked for and available."""


@dataclasses.dataclass(frozen=True, slots=True)
class ProblemReport:
    id: str
    errors: tuple[str, ...]
    costs: tuple[ReferenceCost, ...]
    separation: float
    """Slowest / fastest reference time at the top level (nan when it could not be measured)."""
    instruction_separation: float | None
    seconds: float
    """Wall time spent validating this problem."""
    dropped: tuple[str, ...] = ()
    """Inputs the oracle could not answer (``level L case C: reason``), left out of the other checks."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "ok": self.ok,
            "errors": list(self.errors),
            "dropped": list(self.dropped),
            "separation": self.separation,
            "instruction_separation": self.instruction_separation,
            "references": [dataclasses.asdict(cost) for cost in self.costs],
            "seconds": round(self.seconds, 3),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class SuiteReport:
    suite: str
    problems: tuple[ProblemReport, ...]
    seconds: float
    budget_s: float
    min_separation: float
    min_share: float

    @property
    def separated_share(self) -> float:
        measured = [p for p in self.problems if p.ok]
        if not measured:
            return 0.0
        return sum(p.separation >= self.min_separation for p in measured) / len(measured)

    @property
    def failures(self) -> list[str]:
        reasons = [f"{p.id}: {error}" for p in self.problems for error in p.errors]
        if self.separated_share < self.min_share:
            reasons.append(
                f"only {self.separated_share:.0%} of problems separate their references by "
                f"≥{self.min_separation:g}× at the top level (need {self.min_share:.0%})"
            )
        if self.seconds > self.budget_s:
            reasons.append(f"validation took {self.seconds:.0f} s, over the {self.budget_s:.0f} s budget")
        return reasons

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_json(self) -> dict[str, object]:
        return {
            "suite": self.suite,
            "ok": self.ok,
            "failures": self.failures,
            "separated_share": self.separated_share,
            "seconds": round(self.seconds, 3),
            "budget_s": self.budget_s,
            "problems": [p.to_json() for p in self.problems],
        }


def validate_suite(
    suite: Suite,
    *,
    workers: int = 2,
    budget_s: float = 600.0,
    min_separation: float = 3.0,
    min_share: float = 0.8,
    instructions: bool = False,
    isolation: str = "auto",
    on_problem: Callable[[ProblemReport], None] | None = None,
    problems: Sequence[Problem] | None = None,
    settings: SuiteSettings | None = None,
    executor: Executor | None = None,
) -> SuiteReport:
    """Validate every problem (or ``problems``); ``settings`` overrides the suite's (its oracle limits).

    ``executor``: where problems are validated (each wholly on one host); None: ``workers`` threads here."""
    settings = settings or suite.settings
    # A suite without a fixed seed is validated on inputs nobody has seen, as evaluations are.
    suite_seed = settings.seed if settings.seed is not None else secrets.randbits(62)
    start = time.perf_counter()
    chosen = list(problems if problems is not None else suite.problems)

    tasks = [ValidateTask(problem, suite_seed, instructions, isolation, oracle_limits(settings))
             for problem in chosen]  # fmt: skip
    with contextlib.ExitStack() as stack:
        if executor is None:
            executor = stack.enter_context(LocalExecutor(max_workers=max(1, workers)))
        futures = [executor.call(validate_task, task) for task in tasks]
        if on_problem is not None:
            for future in as_completed(futures):
                on_problem(report_from_json(future.result()))
        reports = tuple(report_from_json(future.result()) for future in futures)
    return SuiteReport(suite.name, reports, time.perf_counter() - start, budget_s, min_separation, min_share)


@dataclasses.dataclass(frozen=True, slots=True)
class ValidateTask:
    """One problem to validate, as plain data an executor can ship to another host."""

    problem: Problem
    suite_seed: int
    instructions: bool
    isolation: str
    limits: Limits


def validate_task(task: ValidateTask) -> dict[str, Any]:
    """:func:`validate_problem` on the host that runs it; its report as plain data."""
    report = validate_problem(task.problem, suite_seed=task.suite_seed, instructions=task.instructions,
                              isolation=task.isolation, limits=task.limits)  # fmt: skip
    return dataclasses.asdict(report)


def report_from_json(data: dict[str, Any]) -> ProblemReport:
    costs = tuple(ReferenceCost(**cost) for cost in data["costs"])
    return ProblemReport(**{**data, "costs": costs, "errors": tuple(data["errors"]),
                            "dropped": tuple(data["dropped"])})  # fmt: skip


def validate_problem(
    problem: Problem,
    *,
    suite_seed: int,
    instructions: bool = False,
    isolation: str = "auto",
    limits: Limits = REFERENCE_LIMITS,
) -> ProblemReport:
    start = time.perf_counter()
    errors: list[str] = []
    costs: list[ReferenceCost] = []
    dropped: dict[int, str] = {}
    try:
        cases = build_cases(problem, suite_seed=suite_seed, isolation=isolation)
        again = build_cases(problem, suite_seed=suite_seed, isolation=isolation)
        if [codec.dumps(c.args) for c in cases] != [codec.dumps(c.args) for c in again]:
            errors.append("the generator is not deterministic: two runs gave different inputs")
        with OutputChecker(problem.rule, isolation=isolation) as checker:
            expected = _reference_outputs(problem, cases, checker, errors, isolation, limits, dropped)
            usable = [case for index, case in enumerate(cases) if index not in dropped]
            if cases and not usable:
                errors.append(f"no usable input: the oracle failed on all {len(cases)}")
            top = _top_level_cases(problem, usable)
            if expected is not None and not errors and top:
                for ref in problem.references:
                    costs.append(_time_reference(problem, ref.name, top, isolation, instructions, limits))
    except EffilabError as exc:
        errors.append(str(exc))
    separation = _ratio([c.seconds for c in costs])
    counts = [c.instructions for c in costs]
    instruction_separation = (
        _ratio([float(c) for c in counts if c is not None]) if counts and None not in counts else None
    )
    notes = tuple(
        f"level {cases[i].level} case {cases[i].case}: {reason}" for i, reason in sorted(dropped.items())
    )
    return ProblemReport(problem.id, tuple(errors), tuple(costs), separation, instruction_separation,
                         time.perf_counter() - start, notes)  # fmt: skip


def _ratio(values: list[float]) -> float:
    if len(values) < 2 or min(values) <= 0:
        return float("nan")
    return values[0] / values[-1]


def _top_level_cases(problem: Problem, cases: list[TestCase]) -> list[TestCase]:
    levels = [c.level for c in cases]
    return [c for c in cases if c.level == max(levels)] if cases else []


def _reference_outputs(
    problem: Problem,
    cases: list[TestCase],
    checker: OutputChecker,
    errors: list[str],
    isolation: str,
    limits: Limits,
    dropped: dict[int, str],
) -> dict[int, object] | None:
    """Run every reference on every usable case; the oracle's outputs by case index (None if the oracle
    does not load). Cases the oracle cannot answer go to ``dropped`` (index → reason)."""
    oracle_outputs: dict[int, object] | None = None
    for ref in reversed(problem.references):  # the oracle first: the others are checked against it
        program = problem.reference_program(ref)
        is_oracle = oracle_outputs is None
        worker, load = open_loaded(program.source, program.entry, program.filename, limits=limits,
                                   isolation=isolation, read_paths=problem.read_paths)  # fmt: skip
        try:
            if not load.verdict.is_ok:
                detail = load.detail
                errors.append(f"reference {ref.name} ({ref.filename}) does not load: {detail}")
                if is_oracle:
                    return None
                continue
            outputs: dict[int, object] = {}
            for index, case in enumerate(cases):
                if index in dropped:
                    continue
                if not worker.alive:  # the oracle died on an earlier case: a fresh one for the rest
                    worker.close()
                    worker, _ = open_loaded(program.source, program.entry, program.filename, limits=limits,
                                            isolation=isolation, read_paths=problem.read_paths)  # fmt: skip
                result = worker.call(case.args)
                where = f"reference {ref.name} on level {case.level} case {case.case}"
                if is_oracle:
                    reason = _oracle_unusable(problem, case, result, checker)
                    if reason is not None:
                        dropped[index] = reason
                        continue
                elif result.verdict is not Verdict.OK:
                    errors.append(f"{where}: {result.verdict.value}: {result.detail}")
                    break
                elif not checker.check(case.args, want := _wanted(case, index, oracle_outputs), result.value):
                    got, wanted = short_repr(result.value, 120), short_repr(want, 120)
                    errors.append(f"{where}: output {got} disagrees with {wanted}")
                    break
                outputs[index] = result.value
            if is_oracle:
                oracle_outputs = outputs
        finally:
            worker.close()
    return oracle_outputs


def _wanted(case: TestCase, index: int, oracle_outputs: dict[int, object] | None) -> object:
    if case.has_expected or oracle_outputs is None:
        return case.expected
    return oracle_outputs[index]


def _oracle_unusable(
    problem: Problem, case: TestCase, result: CallResult, checker: OutputChecker
) -> str | None:
    """Why the oracle's result on ``case`` cannot be an expected output (the evaluator's reasons)."""
    if result.verdict is not Verdict.OK:
        return f"the oracle ({problem.oracle.name}) failed: {result.verdict.value}: {result.detail}"
    if (
        isinstance(result.value, OutputDigest)
        and problem.rule.check_digests(result.value, result.value) is None
    ):
        rule = problem.rule.describe()
        return f"the oracle's output is streamed ({result.value.size} bytes) and {rule} needs it decoded"
    if case.has_expected and not checker.check(case.args, case.expected, result.value):
        got, wanted = short_repr(result.value, 120), short_repr(case.expected, 120)
        return f"the oracle's output {got} disagrees with the fixed test's expected {wanted}"
    return None


def _time_reference(
    problem: Problem, name: str, cases: list[TestCase], isolation: str, instructions: bool, limits: Limits
) -> ReferenceCost:
    program = problem.reference_program(problem.reference(name))
    total = 0.0
    with Worker(limits=limits, isolation=isolation, read_paths=problem.read_paths) as worker:
        worker.load(program.source, entry=program.entry, filename=program.filename)
        for case in cases:
            times = []
            for _ in range(_TIMED_CALLS):
                sample = worker.measure(case.args, repeat=1)
                if sample.verdict is not Verdict.OK or sample.wall_ns is None:
                    raise EffilabError(f"reference {name} failed while being timed: {sample.verdict.value}")
                times.append(sample.wall_ns / 1e9)
            total += statistics.median(times)
    # Instruction counting runs under valgrind (tens of times slower): one top-level input is enough to
    # compare references, whose counts do not vary from run to run.
    count = _count_instructions(problem, name, cases[:1], isolation) if instructions else None
    return ReferenceCost(name, total, count)


def _count_instructions(problem: Problem, name: str, cases: list[TestCase], isolation: str) -> int | None:
    try:
        backend = resolve_backend("instructions")
    except EffilabError:
        return None
    program = problem.reference_program(problem.reference(name))
    total = 0
    limits = REFERENCE_LIMITS.replace(timeout_s=600.0)
    with Worker(
        limits=limits, isolation=isolation, counter=backend.counter, read_paths=problem.read_paths
    ) as w:
        w.load(program.source, entry=program.entry, filename=program.filename)
        for case in cases:
            sample = w.measure(case.args, repeat=1)
            if sample.verdict is not Verdict.OK or sample.instructions is None:
                return None
            total += sample.instructions
    return total
