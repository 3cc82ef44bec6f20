"""``effilab suite validate`` for a suite folder of program problems (``kind = "program"``).

Each pair (a problem's references in one language) is evaluated by :mod:`effilab.programs.evaluate` with
no candidates, so validation runs exactly what an evaluation runs, and then checked:

* every reference compiles, and the slowest answers every test file as its ``output.<i>.txt`` says (a test
  file it fails is an error: the suite's stated answer and its reference disagree);
* every other reference is correct on every test, test files and generated inputs alike (a generated
  input's expected output is the slowest reference's);
* the generator is deterministic: a second evaluator, with fresh boxes, draws the same inputs from the
  same seed;
* the references are separated at the top level: the slowest reference's cost over the top level's tests
  divided by the fastest's (``--min-separation``, 3×, for ``--min-share`` of the pairs).

A generated input the slowest reference cannot answer (an error, a limit) is *dropped*, as an evaluation
drops it, and reported.
"""

from __future__ import annotations

import dataclasses
import math
import secrets
import time
from collections.abc import Callable, Sequence

from effilab.errors import EffilabError
from effilab.programs.box import BoxPool
from effilab.programs.evaluate import (
    _GENERATED_BASE,
    PairResult,
    ProgramEvalConfig,
    ProgramOutcome,
    _Evaluator,
)
from effilab.suites.pie import ProgramPair, ProgramSuite
from effilab.suites.validate import ProblemReport, ReferenceCost, SuiteReport

__all__ = ["validate_programs"]


def _top_level_cost(result: PairResult, outcome: ProgramOutcome) -> float | None:
    if not outcome.correct or not result.slow.per_test:
        return None
    top = max(result.levels.get(i, 0) for i in result.slow.per_test)
    costs = [c for i, c in outcome.per_test.items() if result.levels.get(i, 0) == top]
    return math.fsum(costs) if costs else None


def _ratio(slow: float | None, fast: float | None) -> float:
    return slow / fast if slow is not None and fast else math.nan


def _check_pair(pair: ProgramPair, result: PairResult) -> tuple[list[str], list[str]]:
    """(errors, dropped notes) of one evaluated pair."""
    names = list(pair.meta.get("references") or ["slow", "target"])
    errors: list[str] = []
    dropped: list[str] = []
    if result.broken is not None:
        errors.append(f"{pair.language.name} {names[0]}: {result.broken}")
    for item in result.dropped:
        note = f"test {item['test']}: {item['reason']}"
        if int(item["test"]) < _GENERATED_BASE:
            errors.append(f"reference {names[0]!r} disagrees with tests/: {note}")
        else:
            dropped.append(f"generated input {note}")
    others = [*result.references, *([result.target] if result.target is not None else [])]
    for name, outcome in zip(names[1:], others, strict=False):
        if not outcome.correct:
            errors.append(f"reference {name!r}: {outcome.verdict} {outcome.detail}".strip())
    return errors, dropped


def validate_programs(
    suite: ProgramSuite,
    config: ProgramEvalConfig,
    *,
    budget_s: float = 600.0,
    min_separation: float = 3.0,
    min_share: float = 0.8,
    instructions: bool = False,
    keys: Sequence[str] | None = None,
    on_problem: Callable[[ProblemReport], None] | None = None,
) -> SuiteReport:
    """Validate every pair of ``suite`` (or those whose key or problem id is in ``keys``), one at a time."""
    if config.seed is None:  # validated on inputs nobody has seen, as evaluations are
        config = dataclasses.replace(config, seed=secrets.randbits(62))
    pairs = [p for p in suite if keys is None or p.key in keys or p.problem_id in keys]
    start = time.perf_counter()
    reports: list[ProblemReport] = []
    with BoxPool(isolation=config.isolation) as pool:
        evaluator = _Evaluator(config, pool)
        counter = (
            _Evaluator(dataclasses.replace(config, metric="instructions"), pool) if instructions else None
        )
        checked_generators: set[str] = set()
        for pair in pairs:
            began = time.perf_counter()
            try:
                result = evaluator.evaluate_pair(pair, [])
                errors, dropped = _check_pair(pair, result)
                if pair.generator is not None and pair.problem_id not in checked_generators:
                    checked_generators.add(pair.problem_id)
                    again = _Evaluator(config, pool)._generated_inputs(pair)
                    if again != evaluator._generated_inputs(pair):
                        errors.append("generator.py is not deterministic: two boxes drew different inputs")
            except EffilabError as exc:  # a failing generator or checker: the suite's bug
                result, errors, dropped = None, [str(exc)], []
            costs: list[ReferenceCost] = []
            separation, by_instructions = math.nan, None
            if result is not None and not errors:
                names = list(pair.meta.get("references") or ["slow", "target"])
                outcomes = [result.slow, *result.references, *([result.target] if result.target else [])]
                tops = [_top_level_cost(result, o) for o in outcomes]
                costs = [ReferenceCost(n, (t or math.nan) / 1e9) for n, t in zip(names, tops, strict=False)]
                separation = _ratio(tops[0], tops[-1]) if len(tops) > 1 else math.nan
                if counter is not None:
                    counted = counter.evaluate_pair(pair, [])
                    last = None if counted.target is None else _top_level_cost(counted, counted.target)
                    by_instructions = _ratio(_top_level_cost(counted, counted.slow), last)
            report = ProblemReport(pair.key, tuple(errors), tuple(costs), separation, by_instructions,
                                   time.perf_counter() - began, tuple(dropped))  # fmt: skip
            reports.append(report)
            if on_problem is not None:
                on_problem(report)
    return SuiteReport(
        suite.name, tuple(reports), time.perf_counter() - start, budget_s, min_separation, min_share
    )
