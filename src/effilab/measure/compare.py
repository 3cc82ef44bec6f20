"""Is B faster than A? An interleaved, repeated, bootstrapped answer, or an honest "cannot tell".

Method (see docs/measurement.md):

1. A is the oracle. Each program's first process runs a cold pass: B's outputs must equal A's on every
   input (checked again in every fresh process); otherwise B is ``incorrect`` and no speedup is claimed.
2. Samples alternate A B, B A, A B … on the same host, so drift and background load hit both alike; each
   side spreads its samples over several fresh processes.
3. At looks after 8, 16, 32 … samples per side the bootstrap interval of the ratio of medians (cost of A /
   cost of B) is computed at a Bonferroni-adjusted confidence (peeking repeatedly would otherwise inflate
   false positives). Sampling stops as soon as the interval excludes 1 (``faster`` / ``slower``) or lies
   inside the equivalence margin (``indistinguishable``); at the end of the budget an inconclusive interval
   is ``unstable``, as is any result whose integrity checks failed.
"""

from __future__ import annotations

import dataclasses
import enum
import time
from collections.abc import Callable, Sequence
from typing import Any

from effilab.errors import InvalidArgument
from effilab.measure.backends import resolve_backend
from effilab.measure.metadata import HostMetadata
from effilab.measure.program import Program
from effilab.measure.sampler import Failure, Sampler
from effilab.measure.stats import RatioEstimate, Summary, ratio_of_medians, sequential_confidence, summarize
from effilab.sandbox import Limits

__all__ = ["CompareVerdict", "Comparison", "Measurement", "compare"]

_MAX_LOOKS = 8  # looks at 8, 16, …, 1024 samples per side: the Bonferroni divisor
_MIN_FINAL_LOOK = 5  # samples per side needed for a last look when the budget ends between looks


class CompareVerdict(enum.StrEnum):
    FASTER = "faster"  # B is faster than A
    SLOWER = "slower"
    INDISTINGUISHABLE = "indistinguishable"  # the interval lies within the equivalence margin around 1
    UNSTABLE = "unstable"  # noise or an integrity problem prevents a conclusion
    INCORRECT = "incorrect"  # B's outputs differ from A's (or B failed): no speedup is claimed


@dataclasses.dataclass(frozen=True, slots=True)
class Measurement:
    """Every raw sample of one program, with where and how it was taken."""

    backend: str
    unit: str
    samples: tuple[float, ...]
    """Per-call cost summed over the inputs, one value per sample; ``inf`` = censored at the time limit."""
    processes: tuple[int, ...]
    """Index of the fresh process each sample came from."""
    repeat: tuple[int, ...]
    """Calls per timed run, for each input."""
    metadata: HostMetadata | None

    @property
    def summary(self) -> Summary:
        return summarize(self.samples)

    def combine(self, other: Measurement) -> Measurement:
        """Pool the samples of two measurements taken under the same conditions."""
        if self.metadata is None or other.metadata is None:
            raise InvalidArgument("cannot combine measurements without metadata")
        self.metadata.require_compatible(other.metadata)
        if self.backend != other.backend:
            raise InvalidArgument(f"cannot combine {self.backend} with {other.backend} measurements")
        offset = max(self.processes, default=0)
        return dataclasses.replace(
            self,
            samples=self.samples + other.samples,
            processes=self.processes + tuple(p + offset for p in other.processes),
        )

    def to_json(self) -> dict[str, Any]:
        summary = self.summary if self.samples else None  # a rejected candidate may have no sample
        return {
            "median": None if summary is None else summary.median,
            "mad": None if summary is None else summary.mad,
            "n": len(self.samples),
            "censored": 0 if summary is None else summary.n_censored,
            "samples": list(self.samples),
            "processes": list(self.processes),
            "repeat": list(self.repeat),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Comparison:
    metric: str
    unit: str
    a: Measurement
    b: Measurement
    speedup: RatioEstimate | None
    """Cost of A / cost of B (> 1: B is faster), with its interval; None when B is incorrect."""
    verdict: CompareVerdict
    reason: str
    correct: bool
    failure: Failure | None
    warnings: tuple[str, ...]
    elapsed_s: float

    def to_json(self) -> dict[str, Any]:
        failure = None if self.failure is None else dataclasses.asdict(self.failure)
        return {
            "metric": self.metric,
            "unit": self.unit,
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "speedup": None if self.speedup is None else self.speedup.point,
            "ci": None if self.speedup is None else [self.speedup.low, self.speedup.high],
            "confidence": None if self.speedup is None else self.speedup.confidence,
            "verdict": self.verdict.value,
            "reason": self.reason,
            "correct": self.correct,
            "failure": failure,
            "warnings": list(self.warnings),
            "metadata": None if self.a.metadata is None else dataclasses.asdict(self.a.metadata),
            "elapsed_s": round(self.elapsed_s, 3),
        }


def _decide(estimate: RatioEstimate, equivalence: float) -> CompareVerdict | None:
    if estimate.low > 1.0:
        return CompareVerdict.FASTER
    if estimate.high < 1.0:
        return CompareVerdict.SLOWER
    if estimate.low >= 1.0 / (1.0 + equivalence) and estimate.high <= 1.0 + equivalence:
        return CompareVerdict.INDISTINGUISHABLE
    return None


def _measurement(sampler: Sampler) -> Measurement:
    return Measurement(sampler.backend.name, sampler.backend.unit, tuple(sampler.samples),
                       tuple(sampler.process_of_sample), tuple(sampler.repeat), sampler.metadata)  # fmt: skip


def compare(
    a: Program,
    b: Program,
    inputs: Sequence[tuple[object, ...]],
    *,
    metric: str = "time",
    confidence: float = 0.95,
    budget_s: float = 30.0,
    equivalence: float | None = None,
    min_samples: int = 8,
    limits: Limits | None = None,
    isolation: str = "auto",
    float_tol: float = 1e-9,
    seed: int = 0,
    progress: Callable[[int, float], None] | None = None,
) -> Comparison:
    """Compare the cost of B against A (the oracle) on ``inputs``; see the module docstring."""
    if not 0.5 <= confidence < 1.0:
        raise InvalidArgument(f"confidence={confidence}: must be in [0.5, 1)")
    if not budget_s > 0:
        raise InvalidArgument(f"budget_s={budget_s}: must be positive")
    if min_samples < 2:
        raise InvalidArgument(f"min_samples={min_samples}: must be ≥ 2")
    backend = resolve_backend(metric)
    if equivalence is None:
        equivalence = 0.005 if backend.deterministic else 0.05
    if limits is None:
        limits = Limits(timeout_s=60.0 if backend.counter == "callgrind" else 10.0)
    started = time.monotonic()
    look_confidence = sequential_confidence(confidence, _MAX_LOOKS)

    with Sampler(
        a, inputs, backend=backend, limits=limits, isolation=isolation, float_tol=float_tol
    ) as oracle:
        if not oracle.take():
            assert oracle.failure is not None
            raise InvalidArgument(f"A is no valid oracle: {oracle.failure.detail}")
        with Sampler(b, inputs, backend=backend, limits=limits, isolation=isolation, expected=oracle.values,
                     float_tol=float_tol) as candidate:  # fmt: skip
            if not candidate.take():
                return _incorrect(backend.name, backend.unit, oracle, candidate, started)
            if oracle.metadata and candidate.metadata:
                oracle.metadata.require_compatible(candidate.metadata)
            minimum = 2 if backend.deterministic else min_samples
            next_look = minimum
            verdict: CompareVerdict | None = None
            estimate: RatioEstimate | None = None
            rounds = 1
            while True:
                if len(oracle.samples) >= next_look:
                    estimate = ratio_of_medians(oracle.samples, candidate.samples, confidence=look_confidence,
                                                seed=seed)  # fmt: skip
                    verdict = _decide(estimate, equivalence)
                    next_look *= 2
                    if verdict is not None:
                        break
                elapsed = time.monotonic() - started
                if progress is not None:
                    progress(len(oracle.samples), elapsed)
                if elapsed >= budget_s and len(oracle.samples) >= 2:
                    break
                # Alternate the order within each round (A B, then B A) so neither side always goes first.
                first, second = (oracle, candidate) if rounds % 2 == 0 else (candidate, oracle)
                rounds += 1
                if not first.take() or not second.take():
                    if candidate.failure is not None:
                        return _incorrect(backend.name, backend.unit, oracle, candidate, started)
                    assert oracle.failure is not None
                    raise InvalidArgument(f"A failed while being measured: {oracle.failure.detail}")
            estimate = ratio_of_medians(
                oracle.samples, candidate.samples, confidence=look_confidence, seed=seed
            )
            warnings = [f"A: {w}" for w in oracle.integrity_warnings()]
            warnings += [f"B: {w}" for w in candidate.integrity_warnings()]
            if verdict is None and min(len(oracle.samples), len(candidate.samples)) >= _MIN_FINAL_LOOK:
                # The budget ran out between looks: one last look, at the same adjusted confidence (the
                # Bonferroni divisor already counts more looks than a budget-limited run takes).
                verdict = _decide(estimate, equivalence)
            if warnings:
                verdict, reason = CompareVerdict.UNSTABLE, "integrity check failed: " + "; ".join(warnings)
            elif verdict is None and min(len(oracle.samples), len(candidate.samples)) < _MIN_FINAL_LOOK:
                verdict = CompareVerdict.UNSTABLE
                reason = (
                    f"only {min(len(oracle.samples), len(candidate.samples))} samples per side within the "
                    f"{budget_s:g} s budget (at least {_MIN_FINAL_LOOK} are needed to conclude)"
                )
            elif verdict is None:
                verdict = CompareVerdict.UNSTABLE
                reason = (
                    f"noise too high to conclude within the {budget_s:g} s budget: ratio interval "
                    f"[{estimate.low:.3f}, {estimate.high:.3f}] straddles 1 beyond the ±{equivalence:.1%} "
                    f"equivalence margin"
                )
            else:
                reason = f"{len(oracle.samples)} samples per side"
            return Comparison(
                metric=backend.name,
                unit=backend.unit,
                a=_measurement(oracle),
                b=_measurement(candidate),
                speedup=estimate,
                verdict=verdict,
                reason=reason,
                correct=True,
                failure=None,
                warnings=tuple(warnings),
                elapsed_s=time.monotonic() - started,
            )


def _incorrect(metric: str, unit: str, oracle: Sampler, candidate: Sampler, started: float) -> Comparison:
    failure = candidate.failure
    assert failure is not None
    return Comparison(
        metric=metric,
        unit=unit,
        a=_measurement(oracle),
        b=_measurement(candidate),
        speedup=None,
        verdict=CompareVerdict.INCORRECT,
        reason=f"B is wrong: {failure.detail}",
        correct=False,
        failure=failure,
        warnings=(),
        elapsed_s=time.monotonic() - started,
    )
