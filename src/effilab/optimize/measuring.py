"""How much faster is a verified candidate? The workload, the comparison, memory, complexity, the profile.

* **Workload**: with a sized input source, sizes grow from 16 (×4, or less when the growth measured so
  far predicts overshooting) until one call of the original takes ``target_call_s``; without one, the
  recorded or example inputs the original spends longest on. Measurement inputs come from seeds no
  prompt showed.
* **Acceptance**: :func:`effilab.measure.compare` (interleaved samples over fresh processes, bootstrap
  interval with sequential looks) at the workload size; only ``faster`` (the interval excludes 1) is
  accepted. A second, smaller size is measured for the report, so a speedup that exists only at one size
  is visible.
* **Profile**: line_profiler in the sandbox over a few workload calls, condensed to the hot lines with
  their share of the time — the feedback a model can act on.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Any

from effilab.measure import CompareVerdict, Comparison, Program, compare, scale
from effilab.optimize.attempt import Attempt, Outcome
from effilab.optimize.inputs import InputPlan
from effilab.optimize.project import Project, loaded, program
from effilab.optimize.target import Target, split_lines
from effilab.sandbox import Limits, Verdict, Worker

__all__ = ["Workload", "complexity", "find_workload", "hot_lines", "measure", "peak_memory", "profile"]

_MEASURE_SEED = 7_000_000  # workload inputs: far from the seeds used for examples and fresh checks
_MAX_SIZE = 1 << 22


@dataclasses.dataclass(frozen=True, slots=True)
class Workload:
    size: int | None
    """None: inputs are the largest known examples, not generated."""
    inputs: tuple[tuple[object, ...], ...]
    smaller: tuple[tuple[object, ...], ...]
    """A second size for the report (empty when there is no sized source)."""
    call_s: float
    """One call of the original on the first input."""

    def describe(self) -> str:
        where = f"size {self.size}" if self.size is not None else "the costliest known inputs"
        return f"{len(self.inputs)} inputs at {where} (original: {self.call_s * 1e3:.3g} ms per call)"


def find_workload(
    project: Project,
    target: Target,
    plan: InputPlan,
    *,
    examples: Sequence[tuple[tuple[object, ...], float]],
    target_call_s: float = 0.02,
    max_call_s: float = 5.0,
    cases: int = 3,
    isolation: str = "auto",
    memory_mb: int = 2048,
    progress: Callable[[str], None] | None = None,
) -> Workload:
    """A workload on which the original's cost is well measurable; see the module docstring."""
    if plan.sized is None:
        ranked = sorted(examples, key=lambda pair: pair[1], reverse=True)[:cases]
        if not ranked:
            raise RuntimeError("no input on which the original runs: nothing to measure")
        return Workload(None, tuple(a for a, _ in ranked), (), ranked[0][1])
    prog = program(project, target, target.module_source)
    limits = Limits(timeout_s=max_call_s, load_timeout_s=60.0, memory_mb=memory_mb)
    size, best, best_s = 16, 0, 0.0
    with loaded(prog, limits=limits, isolation=isolation) as (worker, load):
        if not load.verdict.is_ok:
            raise RuntimeError(f"the original does not load: {load.detail}")
        while size <= _MAX_SIZE:
            (args,) = plan.sized(size, [_MEASURE_SEED])
            seconds = _call_seconds(worker, args)
            if seconds is None:
                break
            if progress is not None:
                progress(f"workload: size {size} takes {seconds * 1e3:.3g} ms")
            previous, previous_s = best, best_s
            best, best_s = size, seconds
            if seconds >= target_call_s:
                break
            size = _next_size(previous, previous_s, size, seconds, target_call_s)
            if size <= best:
                break
    if best == 0:
        # Generated inputs do not suit the original (say, indices out of range): use the known ones.
        if progress is not None:
            progress("workload: the original fails on generated inputs; using the costliest known inputs")
        return find_workload(
            project, target, dataclasses.replace(plan, sized=None), examples=examples, cases=cases
        )
    seeds = [_MEASURE_SEED + i for i in range(cases)]
    small = max(1, best // 8)
    return Workload(
        best, tuple(plan.sized(best, seeds)), tuple(plan.sized(small, seeds)) if small < best else (), best_s
    )


def _call_seconds(worker: Worker, args: tuple[object, ...]) -> float | None:
    """One call's wall time, the faster of two when it is long enough for noise to matter; None: failed."""
    times = []
    for _ in range(2):
        result = worker.call(list(args))
        if result.verdict is not Verdict.OK:
            return None
        times.append((result.wall_ns or result.parent_wall_ns) / 1e9)
        if times[0] < 1e-3:
            break
    return min(times)


def _next_size(previous: int, previous_s: float, size: int, seconds: float, target_s: float) -> int:
    """The size predicted to take ``target_s``, from the growth measured so far (stepping ×1.25 to ×4).

    Until two timings far enough above timer noise give a growth exponent, quadratic growth is assumed:
    a linear function then needs an extra step, while a cubic one overshoots by at most ×4.
    Returns ``size`` (stop) once within 30 % of the target.
    """
    if seconds >= 0.7 * target_s:
        return size
    exponent = 2.0
    if previous and previous_s >= 5e-4 and seconds > previous_s:
        exponent = min(3.0, max(0.5, math.log(seconds / previous_s) / math.log(size / previous)))
    factor = (target_s / max(seconds, 1e-9)) ** (1 / exponent)
    return max(size + 1, int(size * min(4.0, max(1.25, factor))))


def measure(
    project: Project,
    target: Target,
    attempt: Attempt,
    workload: Workload,
    *,
    confidence: float,
    budget_s: float,
    float_tol: float,
    isolation: str,
    memory_mb: int,
) -> bool:
    """Compare the candidate with the original on the workload; True (and ACCEPTED) if faster."""
    original = program(project, target, target.module_source)
    candidate = program(project, target, attempt.module_source)
    limits = Limits(timeout_s=max(10.0, 20 * workload.call_s), load_timeout_s=60.0, memory_mb=memory_mb)
    main = _compare(original, candidate, workload.inputs, confidence, budget_s, limits, float_tol, isolation)
    attempt.measurements.append({"size": workload.size, **main.to_json()})
    if main.verdict is CompareVerdict.INCORRECT:
        failure = main.failure
        detail = failure.detail if failure else main.reason
        attempt.reject(
            Outcome.WRONG_ANSWER,
            f"while measuring: {detail}",
            expected=failure.expected if failure else None,
            actual=failure.actual if failure else None,
        )
        return False
    if main.speedup is not None and math.isfinite(main.speedup.point):
        attempt.speedup = main.speedup.point
        attempt.ci = (main.speedup.low, main.speedup.high)
    if workload.smaller:
        small = _compare(
            original, candidate, workload.smaller, confidence, budget_s / 3, limits, float_tol, isolation
        )
        attempt.measurements.append({"size": max(1, (workload.size or 8) // 8), **small.to_json()})
    if main.verdict is CompareVerdict.FASTER:
        attempt.outcome = Outcome.ACCEPTED
        attempt.detail = f"{main.speedup.point:.3g}× faster" if main.speedup else "faster"
        return True
    attempt.reject(Outcome.NOT_FASTER, f"{main.verdict.value}: {main.reason}")
    return False


def _compare(
    original: Program,
    candidate: Program,
    inputs: Sequence[tuple[object, ...]],
    confidence: float,
    budget_s: float,
    limits: Limits,
    float_tol: float,
    isolation: str,
) -> Comparison:
    return compare(
        original,
        candidate,
        inputs,
        confidence=confidence,
        budget_s=budget_s,
        limits=limits,
        isolation=isolation,
        float_tol=float_tol,
    )


def peak_memory(
    project: Project,
    target: Target,
    module_source: str,
    args: tuple[object, ...],
    *,
    isolation: str,
    memory_mb: int,
    timeout_s: float,
) -> int | None:
    """Peak Python-heap bytes (tracemalloc) of one call, or None if it could not be taken."""
    prog = program(project, target, module_source, entry="peak")
    limits = Limits(timeout_s=timeout_s, load_timeout_s=60.0, memory_mb=memory_mb)
    with loaded(prog, limits=limits, isolation=isolation) as (worker, load):
        if not load.verdict.is_ok:
            return None
        result = worker.call(list(args))
    return result.value if result.verdict is Verdict.OK and isinstance(result.value, int) else None


def complexity(
    project: Project,
    target: Target,
    module_source: str,
    plan: InputPlan,
    size: int,
    *,
    isolation: str,
    memory_mb: int,
) -> dict[str, Any] | None:
    """The empirical complexity class over six sizes up to ``size`` (``scale``), or None."""
    sized = plan.sized
    if sized is None or size < 64:
        return None
    # A 32× span: narrower spans cannot tell O(n log n) from O(n^2) through measurement noise.
    sizes = sorted(
        {
            max(1, size // 32),
            max(2, size // 16),
            max(3, size // 8),
            max(4, size // 4),
            max(5, size // 2),
            size,
        }
    )
    if len(sizes) < 3:
        return None
    limits = Limits(timeout_s=30.0, load_timeout_s=60.0, memory_mb=memory_mb)
    result = scale(
        program(project, target, module_source),
        sized,
        sizes,
        samples=3,
        limits=limits,
        isolation=isolation,
        seed=_MEASURE_SEED,
    )
    if result.fit is None:
        return None
    return {"class": result.fit.best.label, "sizes": sizes}


def profile(
    project: Project,
    target: Target,
    module_source: str,
    inputs: Sequence[tuple[object, ...]],
    *,
    isolation: str,
    memory_mb: int,
    timeout_s: float = 60.0,
) -> dict[str, Any] | None:
    """line_profiler's per-line hits and time for the target over ``inputs``; None if unavailable."""
    prog = program(project, target, module_source, entry="profile")
    limits = Limits(timeout_s=timeout_s, load_timeout_s=60.0, memory_mb=memory_mb)
    with loaded(prog, limits=limits, isolation=isolation) as (worker, load):
        if not load.verdict.is_ok:
            return None
        result = worker.call([[list(args) for args in inputs]])
    value = result.value
    if result.verdict is not Verdict.OK or not isinstance(value, dict) or not value.get("available"):
        return None
    return value


def hot_lines(
    report: dict[str, Any] | None, module_source: str, *, limit: int = 8, min_share: float = 0.02
) -> str:
    """The lines that take most of the time, with their share, hits and code: the model's feedback."""
    if not report:
        return ""
    rows = [row for row in report.get("lines", []) if isinstance(row, list) and len(row) == 3]
    total = sum(row[2] for row in rows)
    if total <= 0:
        return ""
    text = split_lines(module_source.removeprefix("\ufeff"))
    lines = []
    for lineno, hits, ns in sorted(rows, key=lambda r: r[2], reverse=True)[:limit]:
        share = ns / total
        if share < min_share:
            break
        code = text[lineno - 1].strip() if 0 < lineno <= len(text) else "?"
        lines.append(f"line {lineno:>4}  {share:6.1%}  {hits:>9} hits  {code}")
    return "\n".join(lines)
