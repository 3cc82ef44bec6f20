"""How does cost grow with input size? Measure at several sizes, fit the best empirical complexity class."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Any

from effilab.errors import InvalidArgument
from effilab.measure.backends import resolve_backend
from effilab.measure.complexity import ComplexityFit, fit_complexity
from effilab.measure.inputs import generate_inputs
from effilab.measure.program import Program
from effilab.measure.sampler import Sampler
from effilab.measure.stats import Summary, summarize
from effilab.sandbox import Limits

__all__ = ["InputSource", "ScalePoint", "ScaleResult", "scale"]

InputSource = Callable[[int, Sequence[int]], Sequence[tuple[object, ...]]]
"""``(size, seeds) -> one argument tuple per seed``: inputs made by the caller instead of a generator file."""


@dataclasses.dataclass(frozen=True, slots=True)
class ScalePoint:
    size: int
    summary: Summary
    samples: tuple[float, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class ScaleResult:
    metric: str
    unit: str
    points: tuple[ScalePoint, ...]
    fit: ComplexityFit | None
    """None when fewer than three sizes could be measured."""
    stopped: str
    """Why sizes were skipped, if any (a failure or the time limit at a size)."""
    warnings: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        fit = self.fit
        return {
            "metric": self.metric,
            "unit": self.unit,
            "class": None if fit is None else fit.best.label,
            "fit": None if fit is None else dataclasses.asdict(fit.best),
            "alternatives": [] if fit is None else [dataclasses.asdict(f) for f in fit.fits],
            "points": [
                {"size": p.size, "median": p.summary.median, "mad": p.summary.mad, "samples": list(p.samples)}
                for p in self.points
            ],
            "stopped": self.stopped,
            "warnings": list(self.warnings),
        }


def scale(
    program: Program,
    generator: str | InputSource,
    sizes: Sequence[int],
    *,
    metric: str = "time",
    samples: int = 5,
    cases: int = 1,
    limits: Limits | None = None,
    isolation: str = "auto",
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> ScaleResult:
    """Measure ``program`` at each size and fit cost = a·g(n) + b.

    ``generator`` is a GEN.py path (run sandboxed) or an :data:`InputSource` the caller provides.
    """
    if len(sizes) < 3 or len(set(sizes)) != len(sizes):
        raise InvalidArgument(f"sizes={list(sizes)}: give at least three distinct sizes")
    if any(isinstance(s, bool) or not isinstance(s, int) or s <= 0 for s in sizes):
        raise InvalidArgument(f"sizes={list(sizes)}: sizes must be positive integers")
    if samples < 1 or cases < 1:
        raise InvalidArgument(f"samples={samples}, cases={cases}: both must be ≥ 1")
    backend = resolve_backend(metric)
    limits = limits or Limits(timeout_s=60.0 if backend.counter == "callgrind" else 10.0)
    points: list[ScalePoint] = []
    warnings: list[str] = []
    stopped = ""
    for size in sorted(sizes):
        seeds = [seed + i for i in range(cases)]
        if isinstance(generator, str):
            inputs = generate_inputs(generator, size=size, seeds=seeds, isolation=isolation)
        else:
            inputs = list(generator(size, seeds))
        with Sampler(program, inputs, backend=backend, limits=limits, isolation=isolation,
                     samples_per_process=samples) as sampler:  # fmt: skip
            for _ in range(1 if backend.deterministic else samples):
                if not sampler.take():
                    break
            if sampler.failure is not None:
                stopped = f"size {size}: {sampler.failure.detail}"
                break
            warnings += [f"size {size}: {w}" for w in sampler.integrity_warnings()]
            summary = summarize(sampler.samples)
            if not math.isfinite(summary.median):
                stopped = f"size {size}: the time limit ({limits.timeout_s:g} s per call) was reached"
                break
            points.append(ScalePoint(size, summary, tuple(sampler.samples)))
        if progress is not None:
            progress(size)
    fit = None
    if len(points) >= 3:
        fit = fit_complexity([p.size for p in points], [max(p.summary.median, 1e-9) for p in points])
    return ScaleResult(backend.name, backend.unit, tuple(points), fit, stopped, tuple(warnings))
