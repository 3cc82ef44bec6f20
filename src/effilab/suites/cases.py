"""Turning a problem's fixed tests and generator into concrete test cases, in the sandbox.

Generators are suite code: trusted more than samples, but still run sandboxed, and what they return crosses
back as tagged JSON. Each input gets its own seed (:func:`~effilab.suites.model.input_seed`), so a case's
input depends only on the suite seed, the problem id, the level and the case number.
"""

from __future__ import annotations

from collections.abc import Callable

from effilab.errors import InvalidArgument
from effilab.sandbox import Limits, Verdict, Worker
from effilab.suites.model import GENERATOR_ENTRY, Problem, TestCase, input_seed

__all__ = ["DISTINCT_CASE_BASE", "GENERATOR_LIMITS", "build_cases", "draw_inputs", "generated_case"]

GENERATOR_LIMITS = Limits(timeout_s=60.0, memory_mb=4096, load_timeout_s=30.0)
DISTINCT_CASE_BASE = 1_000_000
"""Case numbers from here on are extra inputs drawn for timing, never a suite's own tests."""
_DRAW_BATCH = 64


def build_cases(
    problem: Problem,
    *,
    suite_seed: int,
    isolation: str = "auto",
    limits: Limits = GENERATOR_LIMITS,
    worker_factory: Callable[..., Worker] = Worker,
) -> list[TestCase]:
    """Fixed cases first, then for each level its generated cases, ordered by level then case."""
    cases = sorted(problem.fixed, key=lambda c: c.level)
    if problem.generator is None or not any(level.tests for level in problem.levels):
        return cases
    generated: list[TestCase] = []
    with worker_factory(limits=limits, isolation=isolation, read_paths=problem.read_paths) as worker:
        load = worker.load(
            problem.generator.source, entry=GENERATOR_ENTRY, filename=problem.generator.filename
        )
        if not load.verdict.is_ok:
            detail = load.detail
            raise InvalidArgument(f"{problem.generator.filename}: the generator does not load ({detail})")
        for index, level in enumerate(problem.levels):
            for case in range(level.tests):
                generated.append(generated_case(worker, problem, suite_seed, index, case))
    merged: list[TestCase] = []
    for index in range(len(problem.levels)):
        merged += [c for c in cases if c.level == index]
        merged += [c for c in generated if c.level == index]
    return merged


def generated_case(worker: Worker, problem: Problem, suite_seed: int, level: int, case: int) -> TestCase:
    """Call the loaded generator for one (level, case); errors name the generator file and the case."""
    assert problem.generator is not None
    size = problem.levels[level].size
    seed = input_seed(suite_seed, problem.id, level, case)
    result = worker.call([size, level, case, seed])
    where = f"{problem.generator.filename}: generate(size={size}, level={level}, case={case})"
    if result.verdict is not Verdict.OK:
        detail = result.detail
        raise InvalidArgument(f"{where} failed: {detail}")
    if type(result.value) is not tuple:
        raise InvalidArgument(
            f"{where} must return a tuple of positional arguments, got {type(result.value).__name__}"
        )
    return TestCase(level, case, result.value)


def draw_inputs(
    problem: Problem,
    cases: list[tuple[int, int]],
    count: int,
    *,
    seed: int,
    isolation: str = "auto",
    limits: Limits = GENERATOR_LIMITS,
) -> list[list[tuple[object, ...]]]:
    """``count`` further inputs for each ``(level, case)``, from the problem's generator, as argument tuples.

    Each is drawn as case number ``DISTINCT_CASE_BASE + case`` (the same remainders as ``case``, so a
    generator's ``case % 2`` kinds are kept, but never one of its corner cases), each with its own seed
    from ``seed`` (secret per run), so they never coincide with a suite's published tests. An input the
    generator fails on, or that is not a tuple, is left out; a generator that ignores its seed gives the
    same input again, which the caller drops (it needs most of them distinct, not all).
    """
    assert problem.generator is not None
    drawn: list[list[tuple[object, ...]]] = []
    with Worker(limits=limits, isolation=isolation, read_paths=problem.read_paths) as worker:
        load = worker.load(
            problem.generator.source, entry=GENERATOR_ENTRY, filename=problem.generator.filename
        )
        if not load.verdict.is_ok:
            raise InvalidArgument(
                f"{problem.generator.filename}: the generator does not load ({load.detail})"
            )
        for level, case in cases:
            size = problem.levels[level].size
            number = DISTINCT_CASE_BASE + case
            calls = [[size, level, number, input_seed(seed, problem.id, level, case * count + k)]
                     for k in range(count)]  # fmt: skip
            inputs: list[tuple[object, ...]] = []
            for start in range(0, len(calls), _DRAW_BATCH):
                chunk = calls[start : start + _DRAW_BATCH]
                results = worker.call_batch(chunk, timeout_s=limits.timeout_s * len(chunk))
                inputs += [r.value for r in results if r.verdict is Verdict.OK and type(r.value) is tuple]
                if not worker.alive:
                    return drawn + [inputs] + [[] for _ in cases[len(drawn) + 1 :]]
            drawn.append(inputs)
    return drawn
