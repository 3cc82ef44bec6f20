"""Sampling the cost of one program on a fixed set of inputs, with the integrity checks a speedup claim needs.

A :class:`Sampler` spreads samples over several fresh sandboxed processes. Each new process first makes a
*cold pass*: one call per input, whose values are returned to the parent and checked against the oracle
(so correctness is verified in every process, not once), and whose costs serve as the fresh-process
reference for cache detection. Then each *sample* is one timed run per input of ``repeat_i`` back-to-back
calls, each call on its own fresh copy of the input, calibrated so that a run lasts about ``target_sample_s``
(well above clock resolution). A sample's cost is the sum over inputs of the per-call cost.

Integrity checks (each becomes a warning and makes a comparison ``unstable``):

* **caching across calls**: repeated calls in one process are cross-checked against the first call on the
  same input in that process; a large drop means the program remembers answers between calls;
* **inconsistent repetitions**: every repetition in a run must return the same value;
* **clock forgery**: the time the child reports must match the parent's own observation of the run (the
  timing code is bound before the candidate is imported, but a hostile candidate shares the interpreter).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from effilab.check.equality import values_equal
from effilab.errors import InvalidArgument
from effilab.measure.backends import CostBackend
from effilab.measure.metadata import HostMetadata, collect_metadata
from effilab.measure.program import Program
from effilab.sandbox import ErrorInfo, Limits, Sample, Verdict, Worker

__all__ = ["CACHE_FACTOR", "Failure", "Sampler", "short_repr", "values_equal"]

CACHE_FACTOR = 10.0
"""Repeated calls this many times cheaper than the first call on the same input mean caching."""
_CACHE_MIN_COLD_NS = 1_000_000  # below ~1 ms, first-call effects (allocator, caches) dominate: don't judge
_CLOCK_MIN_RUN_NS = 5_000_000  # shorter runs are dominated by the constant harness part of the round trip


@dataclasses.dataclass(frozen=True, slots=True)
class Failure:
    """Why a program could not be measured or is wrong: which input, what happened."""

    case: int
    verdict: Verdict
    detail: str
    expected: str = ""
    actual: str = ""


def short_repr(value: object, limit: int = 300) -> str:
    """``repr`` cut to ``limit`` characters, for messages about possibly huge values."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Sampler:
    """Samples one program's cost on ``inputs``; checks outputs against ``expected`` when given."""

    def __init__(
        self,
        program: Program,
        inputs: Sequence[tuple[object, ...]],
        *,
        backend: CostBackend,
        limits: Limits,
        isolation: str = "auto",
        samples_per_process: int = 5,
        target_sample_s: float = 0.02,
        max_repeat: int = 100_000,
        expected: Sequence[object] | None = None,
        float_tol: float = 0.0,
        hash_seed: int = 0,
    ) -> None:
        if not inputs:
            raise InvalidArgument("inputs: at least one input is needed")
        if samples_per_process < 1:
            raise InvalidArgument(f"samples_per_process={samples_per_process}: must be ≥ 1")
        self.program = program
        self.inputs = list(inputs)
        self.backend = backend
        self.limits = limits
        self.isolation = isolation
        self.samples_per_process = 1 if backend.deterministic else samples_per_process
        self.target_sample_s = target_sample_s
        self.max_repeat = max_repeat
        self.expected = list(expected) if expected is not None else None
        self.float_tol = float_tol
        self.hash_seed = hash_seed
        self.samples: list[float] = []
        """Per-call cost summed over inputs, one per sample; ``inf`` when a run was censored."""
        self.per_input: list[list[float]] = []
        self.process_of_sample: list[int] = []
        self.cold: list[list[float]] = []
        """Per process: the first call's cost on each input."""
        self.values: list[object] | None = None
        """Values from the first process's cold pass (the oracle's outputs when this is the oracle)."""
        self.warnings: list[str] = []
        self.failure: Failure | None = None
        self.metadata: HostMetadata | None = None
        self.repeat: list[int] = [1] * len(self.inputs)
        self._run_timeout: list[float | None] = [None] * len(self.inputs)
        self._clock_ratios: list[float] = []
        self._harness = 0.0
        """The parent-observed cost of one run that is not the calls (the exchange itself): the least any
        warm single-call run cost. First calls are judged net of it: it is paid once per run."""
        self._cpu_reported = 0
        self._cpu_observed = 0
        self._worker: Worker | None = None
        self._taken_in_worker = 0
        self._processes = 0

    # -------------------------------------------------------------------------------------------- public

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def __enter__(self) -> Sampler:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def take(self) -> bool:
        """Take one sample; False (and :attr:`failure` set) when the program failed and sampling must stop."""
        if self.failure is not None:
            return False
        worker = self._ensure_worker()
        if worker is None:
            return False
        costs = []
        for case, args in enumerate(self.inputs):
            sample = worker.measure(args, repeat=self.repeat[case], timeout_s=self._run_timeout[case])
            if sample.censored:
                costs.append(math.inf)
                self.close()
                costs.extend(math.inf for _ in self.inputs[case + 1 :])
                break
            if sample.verdict is not Verdict.OK:
                self.failure = _failure(case, sample.verdict, sample.error, "while being measured")
                self.close()
                return False
            self._check_sample(sample)
            costs.append(self.backend.per_call(sample))
        self.per_input.append(costs)
        self.samples.append(math.fsum(costs))
        self.process_of_sample.append(self._processes)
        self._taken_in_worker += 1
        if self._taken_in_worker >= self.samples_per_process:
            self.close()
        return True

    def integrity_warnings(self) -> list[str]:
        """Warnings so far, plus the cross-process caching check over everything sampled."""
        warnings = list(self.warnings)
        for evidence in (self._caching_evidence(), self._clock_evidence()):
            if evidence:
                warnings.append(evidence)
        return warnings

    # -------------------------------------------------------------------------------------------- workers

    def _ensure_worker(self) -> Worker | None:
        if self._worker is not None and self._worker.alive:
            return self._worker
        self.close()
        worker = Worker(limits=self.limits, isolation=self.isolation, counter=self.backend.counter,
                        hash_seed=self.hash_seed, read_paths=self.program.read_paths)  # fmt: skip
        worker.start()
        self._worker = worker
        self._processes += 1
        self._taken_in_worker = 0
        if self.metadata is None:
            self.metadata = collect_metadata(isolation=worker.isolation.name, layers=worker.layers,
                                             backend=self.backend.name, python_version=worker.python_version,
                                             hash_seed=self.hash_seed)  # fmt: skip
        load = worker.load(self.program.source, entry=self.program.entry, filename=self.program.filename)
        if not load.verdict.is_ok:
            self.failure = _failure(-1, load.verdict, load.error, "while loading")
            self.close()
            return None
        if not self._cold_pass(worker):
            self.close()
            return None
        return worker

    def _cold_pass(self, worker: Worker) -> bool:
        """First call on each input in a fresh process: check its value, note its cost, calibrate."""
        cold: list[float] = []
        values: list[object] = []
        for case, args in enumerate(self.inputs):
            sample = worker.measure(args, repeat=1, fetch_value=True)
            if sample.verdict is not Verdict.OK:
                self.failure = _failure(case, sample.verdict, sample.error, "on its first call")
                return False
            if self.expected is not None and not values_equal(
                self.expected[case], sample.value, float_tol=self.float_tol
            ):
                self.failure = Failure(case, Verdict.WRONG_ANSWER, "output differs from the oracle's",
                                       short_repr(self.expected[case]), short_repr(sample.value))  # fmt: skip
                return False
            if self.values is not None and not values_equal(
                self.values[case], sample.value, float_tol=self.float_tol
            ):
                self.warnings.append(f"input #{case}: returned different values in different processes")
            values.append(sample.value)
            cold.append(self.backend.per_call(sample))
            self._check_sample(sample)
        self.cold.append(cold)
        if self.values is None:
            self.values = values
            self._calibrate(worker)
        return True

    def _calibrate(self, worker: Worker) -> None:
        """Repetitions per run so a run lasts ~target_sample_s; deterministic counters need none."""
        if self.backend.deterministic:
            return
        harness: float | None = None
        for case, args in enumerate(self.inputs):
            sample = worker.measure(args, repeat=1)  # a warm call: the cold one includes first-call effects
            if sample.verdict is not Verdict.OK or sample.wall_ns is None:
                continue
            total = self.backend.total(sample)
            if total is not None:
                harness = total if harness is None else min(harness, total)
            # The parent's round trip (less a generous harness allowance) floors the estimate, so a child
            # that under-reports its time cannot inflate the repetitions into a time-out.
            per_call_s = max(sample.wall_ns, sample.parent_wall_ns - 1_000_000, 1_000) / 1e9
            wanted = math.ceil(self.target_sample_s / per_call_s)
            # Never let a calibrated run exceed the time limit, whatever the first calls suggested.
            cap = max(1, int(0.5 * self.limits.timeout_s / per_call_s))
            self.repeat[case] = max(1, min(wanted, self.max_repeat, cap))
            # A run may take ten times its calibrated length (noise, a slower process) plus one full
            # per-call limit; beyond that it is censored rather than waited for.
            self._run_timeout[case] = self.limits.timeout_s + 10 * self.repeat[case] * per_call_s
        self._harness = harness or 0.0

    # -------------------------------------------------------------------------------------------- checks

    def _check_sample(self, sample: Sample) -> None:
        if not sample.consistent:
            self._warn("returned different values across repetitions of the same call")
        if sample.wall_ns is not None and sample.parent_wall_ns >= _CLOCK_MIN_RUN_NS:
            self._clock_ratios.append(sample.wall_ns / sample.parent_wall_ns)
        if sample.cpu_ns is not None and sample.parent_cpu_ns is not None:
            self._cpu_reported += sample.cpu_ns
            self._cpu_observed += sample.parent_cpu_ns

    def _clock_evidence(self) -> str | None:
        """Do the child's own timings agree with what the parent and the kernel observed?

        The run exchange carries no argument decoding and no value, so the parent's round trip is the run
        plus a small constant; a single run can still look long when the child was preempted before it
        replied, so judge the median over runs, and CPU time over the sum of all runs (the kernel's
        accounting has clock-tick resolution).
        """
        if self.backend.name not in ("time", "cpu"):
            return None
        if len(self._clock_ratios) >= 3:
            ratios = sorted(self._clock_ratios)
            middle = ratios[len(ratios) // 2]
            if middle < 0.5:
                return (
                    f"clock tampering: the child's timings are a median {middle:.0%} of the parent's own "
                    f"observation of the same runs"
                )
        if self._cpu_observed >= 200_000_000 and self._cpu_reported < 0.5 * self._cpu_observed:
            return (
                f"clock tampering: reported CPU time ({self._cpu_reported / 1e6:.0f} ms) is far below the "
                f"kernel's accounting ({self._cpu_observed / 1e6:.0f} ms)"
            )
        return None

    def _warn(self, message: str) -> None:
        if message.split(":", maxsplit=1)[0] not in (w.split(":")[0] for w in self.warnings):
            self.warnings.append(message)

    def _caching_evidence(self) -> str | None:
        """Compare repeated-call costs with first-call costs on the same inputs in the same processes."""
        # Input 0's first call also pays one-off process warm-up (lazy imports, allocator growth), so judge on
        # the other inputs when there are any.
        cases = range(1, len(self.inputs)) if len(self.inputs) > 1 else range(1)
        cold_total = warm_total = 0.0
        for process, cold in enumerate(self.cold, start=1):
            rows = [
                row for row, p in zip(self.per_input, self.process_of_sample, strict=True) if p == process
            ]
            if not rows:
                continue
            for case in cases:
                warm = sorted(row[case] for row in rows)
                cold_total += max(cold[case] - self._harness, 0.0)
                warm_total += warm[len(warm) // 2]
        threshold = _CACHE_MIN_COLD_NS if self.backend.unit == "ns" else 1_000_000
        if cold_total >= threshold and math.isfinite(warm_total) and warm_total * CACHE_FACTOR < cold_total:
            return (
                f"caching across calls: repeated calls cost {warm_total / cold_total:.1%} of the first "
                f"call on the same input in the same process"
            )
        return None


def _failure(case: int, verdict: Verdict, error: ErrorInfo | None, when: str) -> Failure:
    detail = error.one_line() if error else verdict.value
    where = "" if case < 0 else f" on input #{case}"
    return Failure(case, verdict, f"{verdict.value}{where} {when}: {detail}")
