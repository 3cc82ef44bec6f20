"""Evaluating samples of one problem: correctness first, then cost against the references.

For each problem, once per run (:class:`ProblemContext`):

1. the test cases are built (fixed tests, then the generator's, in the sandbox);
2. the oracle (the fastest reference) runs on every case: its outputs are the expected ones, and its cold
   call times set the per-call limits of correctness-only problems;
3. on timed problems every reference is measured on the timed cases (levels with positive weight). The
   time limit is ENAMEL's ``T = α · max_l t*_l``; references slower than that are censored.

Per sample (:func:`evaluate_sample`): a fresh sandboxed worker loads the program and calls it on every case
in order, each output judged by the problem's rule. A wrong answer, an error, or a timeout on a case of a
zero-weight level fails the sample; a timeout on a weighted level *censors* it from that level on (the
sample is still correct, ENAMEL's convention). Then the timed pass (:func:`_timed_pass`), built on one rule,
*the parent trusts nothing the candidate's process says*:

* each round runs in a **fresh** sample process and a **fresh** oracle process (the *anchor*), so no timed
  call sees an input its process has seen before (a value-keyed cache gains nothing), nothing the
  correctness pass left behind (files in its private /tmp, module state) is there, and the anchor is in
  the same state for every sample wherever it stands in the samples file;
* each timed case is called once per process, the anchor and the sample alternately, **the other one
  frozen** (cgroup freezer, else SIGSTOP), so neither can slow the other down;
* the cost is what the **kernel** accounted to the whole sandbox (every thread and child process) during
  the call, read by the parent, less a constant calibrated on a null program; the child's own clocks are
  not used. CPU time spent by the sample *around* the call (preparing arguments, encoding its value) beyond
  what the anchor spends there is added to its cost, so work cannot be moved out of the timed window;
* **every value returned under measurement is checked** in the parent against the expected output.

The sample's cost on a case is the ratio of its fastest round to the anchor's fastest round times the
oracle's stored cost, so a uniformly busy or slow machine cancels out. With the ``instructions`` metric,
counts are deterministic and no anchor is needed (each case is counted once, in a fresh process, and its
value checked).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from effilab.check.checker import OutputChecker
from effilab.errors import EffilabError, InvalidArgument, MeasurementError, SandboxError, SandboxStartError
from effilab.evaluate import metrics
from effilab.evaluate.prestart import Prestarted
from effilab.evaluate.store import LevelRow, SampleRow, cost_from_json, cost_to_json
from effilab.measure.backends import resolve_backend
from effilab.measure.program import Program
from effilab.measure.sampler import short_repr
from effilab.sandbox import CallResult, EncodedArgs, Limits, OutputDigest, Verdict, Worker, codec
from effilab.sandbox.lifecycle import LoadFailed, open_loaded, start_worker
from effilab.suites.cases import build_cases, draw_inputs
from effilab.suites.model import Problem, TestCase

__all__ = ["METRICS", "EvalConfig", "ProblemBroken", "ProblemContext", "evaluate_sample", "machine_memory_mb"]

METRICS = ("time", "wall", "instructions")
"""``time``: CPU time of the whole sandbox, read from the kernel by the parent (every thread and child
process); ``wall``: the parent's clock around the timed call; ``instructions``: counted in the sandbox."""


@dataclasses.dataclass(frozen=True, slots=True)
class EvalConfig:
    """Everything that changes how samples are scored (all of it is part of a run's identity)."""

    metric: str = "time"
    alpha: float = 2.0
    repetitions: int = 3
    """Timed rounds: each a fresh sample process and a fresh anchor, every timed case called once in each;
    each side's fastest round is kept."""
    seed: int | None = None
    """Seed of generated inputs; None until the runner draws a secret one for a new run."""
    distinct_inputs: int = 128
    """Timed cases whose calls take microseconds are also timed on this many further inputs of their level,
    drawn from the problem's generator, each called once: the cost of calls no cache can have seen (0: off,
    and the first call stands in for it)."""
    distinct_seed: int | None = None
    """Seed of those inputs; secret, drawn per run by the runner (also for suites with published inputs)."""
    isolation: str = "auto"
    memory_mb: int = 2048
    """A sample's address-space limit, in MiB."""
    oracle_memory_mb: int | None = 4096
    """The references' limit, in MiB (None: the machine's memory); may exceed a sample's."""
    oracle_timeout_s: float = 60.0
    """Wall-clock limit of one reference call while computing expected outputs."""
    stream_above_mb: int = 8
    """Outputs larger than this are streamed and compared by digest (see effilab.sandbox.stream)."""
    check_after_censor: bool = True
    """After a censored (timed-out) weighted case, still check the later cases' correctness; ENAMEL's
    suites set False (its evaluator stops there, and its published scores follow that convention)."""
    min_time_limit_s: float = 1.0
    """Correctness-only problems: the per-call limit is at least this…"""
    time_limit_factor: float = 4.0
    """…and at least this many times the oracle's own time on the case."""
    baseline: str | None = None
    """Reference the speedup is computed against (default: the slowest reference)."""
    beat_threshold: float = 1.1
    """A sample 'beats' a reference when at least this many times cheaper (10 %, PIE's %OPT)."""
    dpe_rel_tol: float = 0.05
    """A sample matches a reference's DPE cluster when within this relative margin of its cost."""

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise InvalidArgument(f"--metric={self.metric!r}: choose one of {', '.join(METRICS)}")
        if not (math.isfinite(self.alpha) and self.alpha > 1):
            raise InvalidArgument(f"alpha={self.alpha}: must be > 1")
        if self.repetitions < 1:
            raise InvalidArgument(f"repetitions={self.repetitions}: must be ≥ 1")
        for name in ("memory_mb", "oracle_memory_mb"):
            value = getattr(self, name)
            if value is not None and value < 64:
                raise InvalidArgument(f"{name}={value}: an interpreter needs at least 64 MiB")
        if not (math.isfinite(self.oracle_timeout_s) and self.oracle_timeout_s > 0):
            raise InvalidArgument(f"oracle_timeout_s={self.oracle_timeout_s}: must be > 0")
        if self.stream_above_mb < 1:
            raise InvalidArgument(f"stream_above_mb={self.stream_above_mb}: must be ≥ 1")
        if not 0 <= self.distinct_inputs <= 4096:
            raise InvalidArgument(f"distinct_inputs={self.distinct_inputs}: must be between 0 and 4096")

    def oracle_limits(self) -> Limits:
        """Limits of a reference worker: the oracle's own, which may exceed a sample's."""
        memory = self.oracle_memory_mb if self.oracle_memory_mb is not None else machine_memory_mb()
        return Limits(timeout_s=self.oracle_timeout_s, memory_mb=max(memory, 1024), load_timeout_s=30.0,
                      stream_above_bytes=self.stream_above_mb << 20)  # fmt: skip

    def sample_limits(self) -> Limits:
        return Limits(timeout_s=60.0, memory_mb=self.memory_mb, load_timeout_s=30.0,
                      stream_above_bytes=self.stream_above_mb << 20)  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def machine_memory_mb() -> int:
    """Physical memory of this machine, in MiB (the bound of an 'unlimited' oracle)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1 << 20))
    except (ValueError, OSError):  # pragma: no cover - every Linux has both
        return 1 << 16


class ProblemBroken(EffilabError):
    """The problem cannot score samples (no usable case, a reference that fails); the run goes on."""


BATCH_CASES = 16
"""Cases per batch: one round trip for many small inputs, while a reply stays well under its size limit."""
BATCH_BYTES = 8 << 20
"""A batch also stops where the oracle's outputs reach this size, so a sample's reply stays far below the
per-message result limit (a sample's outputs should be about as big as the oracle's)."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Distinct:
    """Further inputs of one short timed case's level, and the oracle's outputs on them."""

    inputs: tuple[EncodedArgs, ...]
    expected: tuple[object, ...]


_DISTINCT_MAX_BYTES = 64 << 10
"""Cases whose input serialises to more than this get no further inputs (the run sends them all at once)."""


class ProblemContext:
    """Cases, expected outputs and reference costs of one problem, built once and shared by its workers."""

    def __init__(
        self,
        problem: Problem,
        config: EvalConfig,
        stored: dict[str, Any] | None,
        save: Callable[[dict[str, Any]], None],
    ) -> None:
        self.problem = problem
        self.config = config
        self._stored = stored
        self._save = save
        self._lock = threading.Lock()
        self._ready = False
        self.cases: list[TestCase] = []
        self.expected: list[object] = []
        self.encoded: list[EncodedArgs] = []
        self.output_sizes: list[int] = []
        self.reference: dict[str, Any] = {}
        self.distinct: dict[int, _Distinct] = {}
        """Short timed cases (by index): further inputs of the same level and their expected outputs."""
        self.dropped: list[tuple[TestCase, str]] = []
        """Cases left out because the oracle could not give their expected output, with the reason."""
        self.broken: str | None = None
        """Why the problem cannot score samples at all (then no sample of it is evaluated)."""

    # ------------------------------------------------------------------------------------------ building

    def ensure(self) -> bool:
        """Build the context if nobody has yet; True for the one caller that built it."""
        with self._lock:
            if self._ready:
                return False
            self._build()
            self._ready = True
            return True

    def _build(self) -> None:
        """Cases, expected outputs and reference costs; a problem that cannot have them is *broken*.

        Nothing a reference does aborts the run: a case whose expected output the oracle cannot produce
        (an error, a limit, an output its rule cannot compare) is dropped with the reason, and a problem
        left without cases, or whose references cannot be loaded or measured, is marked broken. Both are
        stored with the problem's references, so the summary reports them and a resumed run agrees.
        """
        if self._stored is not None and "broken" in self._stored:
            self.reference = self._stored
            self.broken = str(self._stored["broken"])
            self.dropped = [
                (TestCase(d["level"], d["case"], ()), d["reason"]) for d in self._stored["dropped"]
            ]
            return
        # A generator that fails is the suite's bug, not a reference's: that still stops the run.
        if self.config.seed is None:
            raise InvalidArgument(
                "EvalConfig.seed: the runner draws one per run; set it to build cases directly"
            )
        self.cases = build_cases(self.problem, suite_seed=self.config.seed, isolation=self.config.isolation)
        worker: Worker | None = None
        try:
            if not self.cases:
                raise ProblemBroken("no test cases")
            self.encoded = [EncodedArgs(case.args) for case in self.cases]
            worker = self._oracle_worker()
            cold, worker = self._expected_outputs(worker)
            worker = self._distinct_inputs(cold, worker)
            if self._stored is not None:
                self.reference = self._stored
            else:
                self.reference = {
                    "cold_s": cold,
                    "timed": self.timed_indices(),
                    "dropped": self._dropped_json(),
                }
                if self.timed_indices():
                    self._measure_references(cold, worker)
                self._save(self.reference)
        except SandboxStartError:
            # effilab's failure, not the problem's: stored as "broken" it would never be retried.
            if worker is not None:
                worker.close()
            raise
        except (ProblemBroken, InvalidArgument, SandboxError) as exc:
            if worker is not None:
                worker.close()
            self._mark_broken(str(exc))
            return
        except BaseException:
            if worker is not None:
                worker.close()
            raise
        worker.close()

    def _mark_broken(self, reason: str) -> None:
        self.broken = reason
        self.cases, self.encoded, self.expected, self.output_sizes = [], [], [], []
        self.distinct = {}
        if self._stored is None:
            self.reference = {"broken": reason, "dropped": self._dropped_json()}
            self._save(self.reference)

    def _dropped_json(self) -> list[dict[str, Any]]:
        return [{"level": case.level, "case": case.case, "reason": reason} for case, reason in self.dropped]

    def _oracle_worker(self) -> Worker:
        return self._reference_worker(self.problem.reference_program(self.problem.oracle))

    def anchor_worker(self) -> Worker:
        """A fresh oracle worker to time a sample against (one per round: always in the same state)."""
        return self._oracle_worker()

    def _oracle_results(
        self, worker: Worker, inputs: list[EncodedArgs] | None = None
    ) -> tuple[list[CallResult], Worker]:
        """The oracle's result on every case (or on ``inputs``), batched, whatever happens to some of them.

        A batch stops at a failing case and after a streamed output; the rest of it is sent again. A batch
        that failed as a whole (its worker killed at a limit, so the case is unknown) is redone one call
        at a time. A dead worker is replaced. Returns the results in case order and the live worker.
        """
        limit = self.config.oracle_timeout_s
        encoded = self.encoded if inputs is None else inputs
        results: list[CallResult] = []
        while len(results) < len(encoded):
            if not worker.alive:
                worker.close()
                worker = self._oracle_worker()
            chunk = encoded[len(results) : len(results) + BATCH_CASES]
            got = worker.call_batch(chunk, timeout_s=limit * len(chunk))
            if len(chunk) > 1 and not worker.alive and got[-1].verdict is not Verdict.OK:
                for args in chunk:  # which case it was is unknown: one at a time names it
                    if not worker.alive:
                        worker.close()
                        worker = self._oracle_worker()
                    results.append(worker.call(args, timeout_s=limit))
                continue
            results += got
        return results, worker

    def _expected_outputs(self, worker: Worker) -> tuple[list[float], Worker]:
        """Run the oracle on every case: its outputs become the expected ones, the cases it fails are
        dropped (``self.dropped``) and the others kept (``self.cases`` and the lists aligned with it).

        Returns the oracle's call time per kept case, and the oracle worker (a new one if it had to be
        replaced). Raises :class:`ProblemBroken` when no case is left.
        """
        problem = self.problem
        results, worker = self._oracle_results(worker)
        stored = {(d["level"], d["case"]) for d in (self._stored or {}).get("dropped", [])}
        kept: list[int] = []
        cold: list[float] = []
        with OutputChecker(problem.rule, isolation=self.config.isolation) as checker:
            for index, (case, result) in enumerate(zip(self.cases, results, strict=True)):
                reason = self._unusable(case, result, checker)
                if reason is None and (case.level, case.case) in stored:
                    reason = next(d["reason"] for d in self._stored["dropped"]  # type: ignore[index]
                                  if (d["level"], d["case"]) == (case.level, case.case))  # fmt: skip
                if reason is not None:
                    self.dropped.append((case, reason))
                    continue
                kept.append(index)
                value = result.value
                self.expected.append(case.expected if case.has_expected else value)
                size = value.size if isinstance(value, OutputDigest) else len(codec.dumps(value))
                self.output_sizes.append(size if not self.is_weighted(index) else 0)
                cold.append((result.wall_ns or 0) / 1e9)
        if self._stored is not None:
            new = [(c, r) for c, r in self.dropped if (c.level, c.case) not in stored]
            if new:
                case, reason = new[0]
                raise ProblemBroken(f"on resume the oracle failed on {_case_name(case)}, which the stored "
                                    f"references used ({reason}): evaluate into another --db")  # fmt: skip
        if not kept:
            first = (
                f" (first: {_case_name(self.dropped[0][0])}: {self.dropped[0][1]})" if self.dropped else ""
            )
            raise ProblemBroken(f"no usable case: the oracle failed on all {len(self.cases)}{first}")
        self.cases = [self.cases[i] for i in kept]
        self.encoded = [self.encoded[i] for i in kept]
        return cold, worker

    def _distinct_inputs(self, cold: list[float], worker: Worker) -> Worker:
        """Draw :attr:`EvalConfig.distinct_inputs` further inputs for each short timed case, and their
        expected outputs from the oracle (see :func:`_case_timing`); returns the live oracle worker.

        Only generated cases of problems with a generator get them, and only inputs the oracle answers in
        time with a value small enough to decode; a case left with fewer than half of them gets none.
        """
        config, problem = self.config, self.problem
        wanted = config.distinct_inputs
        if wanted == 0 or problem.generator is None or config.metric == "instructions":
            return worker
        fixed = {(c.level, c.case) for c in problem.fixed}
        short = [
            i for i in self.timed_indices()
            if cold[i] < _SHORT_CALL_S and not self._whole(i)
            and (self.cases[i].level, self.cases[i].case) not in fixed
            and len(self.encoded[i].json) <= _DISTINCT_MAX_BYTES
        ]  # fmt: skip
        if not short:
            return worker
        if config.distinct_seed is None:
            raise InvalidArgument("EvalConfig.distinct_seed: the runner draws one per run")
        drawn = draw_inputs(problem, [(self.cases[i].level, self.cases[i].case) for i in short], wanted,
                            seed=config.distinct_seed, isolation=config.isolation)  # fmt: skip
        flat = [EncodedArgs(args) for inputs in drawn for args in inputs]
        results, worker = self._oracle_results(worker, flat)
        start = 0
        for i, inputs in zip(short, drawn, strict=True):
            seen = {self.encoded[i].json}  # an input seen twice in a run could be answered from a cache
            pairs = []
            for k in range(start, start + len(inputs)):
                result = results[k]
                if (
                    result.verdict is Verdict.OK
                    and not isinstance(result.value, OutputDigest)
                    and (result.wall_ns or 0) / 1e9 < _SHORT_CALL_S
                    and flat[k].json not in seen
                ):
                    seen.add(flat[k].json)
                    pairs.append((flat[k], result.value))
            start += len(inputs)
            if 2 * len(pairs) >= wanted:
                self.distinct[i] = _Distinct(tuple(a for a, _ in pairs), tuple(v for _, v in pairs))
        return worker

    def _unusable(self, case: TestCase, result: CallResult, checker: OutputChecker) -> str | None:
        """Why the oracle's result cannot be this case's expected output, or None when it can."""
        if result.verdict is not Verdict.OK or result.wall_ns is None:
            return f"the oracle ({self.problem.oracle.name}) failed: {result.verdict.value}: {result.detail}"
        if (
            isinstance(result.value, OutputDigest)
            and self.problem.rule.check_digests(result.value, result.value) is None
        ):
            return (f"the oracle's output ({result.value.size / 1e6:.0f} MB serialised) is over the "
                    f"{self.config.stream_above_mb} MiB that are decoded, and the rule "
                    f"({self.problem.rule.describe()}) needs the decoded value")  # fmt: skip
        if case.has_expected and not checker.check(case.args, case.expected, result.value):
            return "the oracle's output disagrees with the fixed test's expected value"
        return None

    def _reference_worker(self, program: Program, counter: str | None = None) -> Worker:
        try:
            worker, _ = open_loaded(program.source, program.entry, program.filename,
                                    limits=self.config.oracle_limits(), isolation=self.config.isolation,
                                    read_paths=self.problem.read_paths, counter=counter,
                                    what="the reference")  # fmt: skip
        except LoadFailed as exc:
            detail = exc.load.detail
            raise ProblemBroken(f"{program.filename}: the reference does not load ({detail})") from None
        return worker

    def is_weighted(self, index: int) -> bool:
        weights = self.problem.weights
        level = self.cases[index].level
        return level < len(weights) and weights[level] > 0

    def timed_indices(self) -> list[int]:
        weights = self.problem.weights
        return [
            i for i, case in enumerate(self.cases) if case.level < len(weights) and weights[case.level] > 0
        ]

    def _measure_references(self, cold: list[float], oracle_worker: Worker) -> None:
        """Costs of every reference on the timed cases, by the samples' protocol; T from the oracle's."""
        del oracle_worker  # references are timed in fresh processes, as samples are
        timed = self.timed_indices()
        config = self.config
        limit_s = config.alpha * max(cold[i] for i in timed)
        self.reference["limit_s"] = limit_s
        costs: dict[str, list[float]] = {}
        for ref in reversed(self.problem.references):  # the oracle first: it defines the limit
            program = self.problem.reference_program(ref)
            costs[ref.name] = self._reference_costs(program, timed, _run_limit(limit_s))
        oracle = costs[self.problem.oracle.name]
        if any(math.isinf(c) for c in oracle):
            raise ProblemBroken("the oracle exceeded its own time limit")
        per_level = _level_costs(self, oracle)
        self.reference["costs"] = {name: [cost_to_json(c) for c in values] for name, values in costs.items()}
        self.reference["limit"] = config.alpha * max(c for c in per_level.values())

    def _reference_costs(self, program: Program, timed: list[int], limit_s: float) -> list[float]:
        """Each timed case called once per fresh process, over the configured rounds; the fastest kept.

        From the first case a reference does not finish within the limit on, its costs are infinite.
        """
        config = self.config
        counter = _counter_for(config.metric)
        rounds = 1 if counter is not None else config.repetitions
        best = [math.inf] * len(timed)
        reached = len(timed)
        for _ in range(rounds):
            worker = self._reference_worker(program, counter)
            try:
                _warm_up(self, worker)
                for k, i in enumerate(timed[:reached]):
                    timing = _case_timing(worker, None, self.encoded[i], config, limit_s, self._whole(i),
                                          self.distinct.get(i))  # fmt: skip
                    if timing.censored:
                        reached = k
                        break
                    if timing.verdict is not Verdict.OK:
                        raise SandboxError(f"a reference failed while being timed: {timing.detail}")
                    best[k] = min(best[k], timing.cost)
            finally:
                worker.close()
        return best[:reached] + [math.inf] * (len(timed) - reached)

    def _whole(self, index: int) -> bool:
        """Whether case ``index`` is timed as one whole call (its output is streamed, too big to fetch)."""
        return isinstance(self.expected[index], OutputDigest)

    # ------------------------------------------------------------------------------------------ accessors

    def costs(self, name: str) -> list[float]:
        return [cost_from_json(c) for c in self.reference["costs"][name]]

    def call_limit(self, index: int) -> float:
        """Per-call wall limit for the correctness pass on case ``index``."""
        if "limit_s" in self.reference:
            return _run_limit(float(self.reference["limit_s"]))
        if self.problem.time_limit_s is not None:
            return self.problem.time_limit_s
        cold = float(self.reference["cold_s"][index])
        return max(self.config.min_time_limit_s, self.config.time_limit_factor * cold)


def _run_limit(limit_s: float) -> float:
    # Generous on purpose: a sample slower than T scores 0 for the level anyway, so waiting a little longer
    # than T costs only time, while cutting a run short would censor a sample that is merely noisy.
    return max(1.5 * limit_s + 0.1, 0.5)


def _counter_for(metric: str) -> str | None:
    if metric != "instructions":
        return None
    return resolve_backend("instructions").counter


def _case_name(case: TestCase) -> str:
    return f"level {case.level} case {case.case}"


def _level_costs(ctx: ProblemContext, costs: list[float]) -> dict[int, float]:
    """Worst case per weighted level, from costs listed in ``timed_indices`` order."""
    levels: dict[int, float] = {}
    for i, cost in zip(ctx.timed_indices(), costs, strict=True):
        level = ctx.cases[i].level
        levels[level] = max(levels.get(level, 0.0), cost)
    return levels


@dataclasses.dataclass(frozen=True, slots=True)
class _Timing:
    """Timed calls of one case as the parent saw them."""

    verdict: Verdict
    cost: float = math.inf
    """Per call: seconds (kernel CPU time of the sandbox, or the parent's wall clock) or instructions,
    less the calibrated cost of the harness's own run."""
    around_ns: int = 0
    """Kernel CPU time of the sandbox outside the timed window but within the measurement (preparing the
    arguments, consistency checks, encoding the values)."""
    values: tuple[object, ...] = ()
    """The value of every timed call on the case's input (each is checked against the expected output)."""
    distinct_values: tuple[object, ...] = ()
    """The values of the calls on the case's further inputs (:class:`_Distinct`), in their order."""
    censored: bool = False
    detail: str = ""


_SHORT_CALL_S = 0.002
"""A first call shorter than this is repeated (on copies of the same input) until a run lasts about this
long: one call of a few microseconds is lost in the harness's own cost."""
_MAX_REPEAT = 4000
"""At most this many calls in one run (each value comes back and is checked)."""
_COPY_BYTES = 32 << 20
"""…and at most this many serialised bytes of argument copies, prepared before the run."""


def _repeat_for(per_call_s: float, args: EncodedArgs) -> int:
    """Calls in a run that lasts about :data:`_SHORT_CALL_S` at ``per_call_s`` each, within the caps."""
    by_size = max(1, _COPY_BYTES // max(len(args.json), 1))
    return max(1, min(_MAX_REPEAT, by_size, math.ceil(_SHORT_CALL_S / max(per_call_s, 50e-9))))


_COLD_START_S = 20e-6
"""What a first call costs honest code beyond its repetitions, in a fresh process: cold caches and the
first touch of a fresh input, 5-16 us for calls of about a microsecond here (HumanEval/13), plus the
harness's noise on a single reading. The first-call floor counts only what the first call cost beyond this.
A constant, not a per-run calibration: a floor that moved with the load of the moment of calibration
shifted whole runs' eff@1 by 0.03."""
_FIRST_CALL_SLACK = 1.25
"""A case's cost is at least its first call's over this: repetitions that are much cheaper than the first
call (a cache keyed on the input, or on the identity of its elements, which the copies share) cannot buy
more than this factor. Honest code, warmed up on other inputs first, repeats at close to its first call's
cost. (At 1.5 an identity-keyed cache came out a full 1.5x cheaper than its honest twin, as much as the
noise between identical programs: then a cheat could not be told from luck.)"""


def _timed_call(worker: Worker, args: EncodedArgs, config: EvalConfig, limit_s: float, *,
                whole: bool = False, repeat: int = 1) -> _Timing:  # fmt: skip
    """Call the loaded program ``repeat`` times on copies of ``args``; observe the cost from the parent.

    ``whole``: one call in one exchange (the value may be streamed); the harness's decoding and encoding
    are then inside the window, the same for the anchor and the sample.
    """
    try:
        before = worker.sandbox_cpu_ns()
    except (OSError, SandboxError) as exc:
        raise MeasurementError(f"cannot read the sandbox's CPU time: {exc}") from exc
    if whole:
        result = worker.call(args, timeout_s=limit_s)
        if result.censored or result.verdict is Verdict.TIMEOUT:
            return _Timing(Verdict.TIMEOUT, censored=True, detail=result.detail)
        if result.verdict is not Verdict.OK:
            return _Timing(result.verdict, detail=result.detail)
        spent = result.parent_cpu_ns if config.metric == "time" else result.parent_wall_ns
        cost = max((spent or 0) - _null_ns(config), 1) / 1e9
        return _Timing(Verdict.OK, cost, 0, (result.value,))
    sample = worker.measure(args, repeat=repeat, fetch_values=True, timeout_s=limit_s * repeat)
    detail = sample.error.one_line() if sample.error else sample.verdict.value
    if sample.censored:
        return _Timing(Verdict.TIMEOUT, censored=True, detail=detail)
    if sample.verdict is not Verdict.OK:
        return _Timing(sample.verdict, detail=detail)
    values = sample.value
    if not isinstance(values, list) or len(values) != repeat:
        raise SandboxError(f"the sandbox returned {type(values).__name__} for the values of {repeat} calls")
    total = worker.sandbox_cpu_ns() - before
    run_cpu = sample.parent_cpu_ns or 0
    around = max(total - run_cpu, 0)
    if config.metric == "instructions":
        if sample.instructions is None:
            raise SandboxError("the instruction counter gave no count")
        return _Timing(Verdict.OK, sample.instructions / repeat, around, tuple(values))
    spent = run_cpu if config.metric == "time" else sample.parent_wall_ns
    cost = max(spent - _null_ns(config), 1) / 1e9 / repeat
    return _Timing(Verdict.OK, cost, around, tuple(values))


def _case_timing(worker: Worker, other: Worker | None, args: EncodedArgs, config: EvalConfig,
                 limit_s: float, whole: bool, distinct: _Distinct | None = None) -> _Timing:  # fmt: skip
    """The cost of one case in ``worker`` (``other`` frozen meanwhile). Every value is returned for checking.

    A call of at least :data:`_SHORT_CALL_S` costs what its first call cost. A shorter one is repeated on
    copies of its input until a run lasts about that long, for precision; but copies repeat an input, and a
    cache keyed on it could make every repetition after the first nearly free. So the per-call cost counts
    only down to a *floor* set by calls on inputs the process has not seen, over :data:`_FIRST_CALL_SLACK`:
    one call on each of the case's further inputs (``distinct``, all different, in one run), or, without
    them, the case's own first call. Honest code repeats at about its cost on new inputs, so the floor
    binds only a program that is cheaper on inputs it has seen.
    """
    first = _frozen_other(worker, other, args, config, limit_s, whole)
    if first.verdict is not Verdict.OK or whole or config.metric == "instructions":
        return first
    if first.cost >= _SHORT_CALL_S:
        return first
    repeat = _repeat_for(first.cost, args)
    warm = _frozen_other(worker, other, args, config, limit_s, whole, repeat=repeat)
    if warm.verdict is not Verdict.OK:
        return warm
    # The first call's cost is mostly the harness's noise for a call of a microsecond, so the run it sized
    # can be far shorter than intended; sized again from the run's own per-call cost (timeit's autorange).
    more = _repeat_for(warm.cost, args)
    if warm.cost * repeat < _SHORT_CALL_S / 2 and more > 2 * repeat:
        longer = _frozen_other(worker, other, args, config, limit_s, whole, repeat=more)
        if longer.verdict is not Verdict.OK:
            return longer
        warm = dataclasses.replace(longer, values=warm.values + longer.values,
                                   around_ns=warm.around_ns + longer.around_ns)  # fmt: skip
    # CPU spent around every run counts (work done while a run's copies are prepared is still work).
    around = first.around_ns + warm.around_ns
    if distinct is None:
        floor = max(first.cost - _COLD_START_S, 0.0) / _FIRST_CALL_SLACK
        return dataclasses.replace(first, cost=max(warm.cost, floor), values=first.values + warm.values,
                                   around_ns=around)  # fmt: skip
    spread = _frozen_other(worker, other, distinct.inputs, config, limit_s, whole)
    if spread.verdict is not Verdict.OK:
        return spread
    # One constant for the whole run's cold start, however many inputs share it.
    floor = max(spread.cost - _COLD_START_S, 0.0) / len(distinct.inputs) / _FIRST_CALL_SLACK
    around += spread.around_ns
    return dataclasses.replace(first, cost=max(warm.cost, floor), values=first.values + warm.values,
                               distinct_values=spread.values, around_ns=around)  # fmt: skip


def _distinct_run(
    worker: Worker, inputs: tuple[EncodedArgs, ...], config: EvalConfig, limit_s: float
) -> _Timing:
    """One call on each input in one run; ``cost`` is the run's whole cost (the harness's own removed)."""
    try:
        before = worker.sandbox_cpu_ns()
    except (OSError, SandboxError) as exc:
        raise MeasurementError(f"cannot read the sandbox's CPU time: {exc}") from exc
    sample = worker.measure_distinct(inputs, fetch_values=True, timeout_s=limit_s * len(inputs))
    detail = sample.error.one_line() if sample.error else sample.verdict.value
    if sample.censored:
        return _Timing(Verdict.TIMEOUT, censored=True, detail=detail)
    if sample.verdict is not Verdict.OK:
        return _Timing(sample.verdict, detail=detail)
    values = sample.value
    if not isinstance(values, list) or len(values) != len(inputs):
        raise SandboxError(
            f"the sandbox returned {type(values).__name__} for the values of {len(inputs)} calls"
        )
    around = max(worker.sandbox_cpu_ns() - before - (sample.parent_cpu_ns or 0), 0)
    spent = (sample.parent_cpu_ns if config.metric == "time" else sample.parent_wall_ns) or 0
    return _Timing(Verdict.OK, max(spent - _null_ns(config), 1) / 1e9, around, tuple(values))


_NULL_PROGRAM = b"def null(*args):\n    return None\n"
_NULL_READINGS = 24


@functools.cache
def _null_reading(isolation: str, metric: str) -> int:
    """The harness's own cost of one timed call (a function that does nothing), in ns.

    Measured once per process in a trusted worker, never in a candidate's (a candidate could make it look
    large to have it subtracted from its own cost). A low quantile of many readings: the constant, not
    the noise.
    """
    with Worker(limits=Limits(timeout_s=5.0), isolation=isolation) as worker:
        load = worker.load(_NULL_PROGRAM, entry="null", filename="<effilab null program>")
        if not load.verdict.is_ok:
            raise SandboxError(f"the null program does not load: {load.detail}")
        readings = []
        for _ in range(_NULL_READINGS):
            sample = worker.measure([], repeat=1)
            reading = sample.parent_cpu_ns if metric == "time" else sample.parent_wall_ns
            if sample.verdict is Verdict.OK and reading is not None:
                readings.append(reading)
    if not readings:
        raise SandboxError("the null program could not be timed")
    return sorted(readings)[len(readings) // 4]


def _null_ns(config: EvalConfig) -> int:
    return 0 if config.metric == "instructions" else _null_reading(config.isolation, config.metric)


# ------------------------------------------------------------------------------------------------- samples


@dataclasses.dataclass(slots=True)
class _Progress:
    verdict: Verdict = Verdict.OK
    detail: str = ""
    censored_level: int | None = None
    on_timed: Callable[[], None] = lambda: None
    """Called when the correctness pass reaches the first weighted case."""


def evaluate_sample(
    ctx: ProblemContext,
    program: Program,
    *,
    task_sample: tuple[str, int, int],
    checker: OutputChecker,
) -> SampleRow:
    """Judge and measure one program; never raises for anything the program does."""
    started = time.perf_counter()
    task_id, sample_index, line = task_sample
    state = _Progress()
    cold: list[float] = []
    costs: list[float] = []
    ahead = _RoundWorkers(ctx, ctx.config.repetitions)
    state.on_timed = ahead.prefetch  # a sample that reaches the timed cases will most likely be timed
    try:
        # The correctness pass has processes of its own: nothing it leaves behind reaches the timed pass.
        _correctness_pass(ctx, program, checker, state, cold)
        # Timed: the cases before the first censored one (a censored level and those after it cost ∞).
        reached = next((i for i, t in enumerate(cold) if math.isinf(t)), len(cold))
        timed = [i for i in ctx.timed_indices() if i < reached]
        if state.verdict is Verdict.OK and timed:
            costs = _timed_pass(ctx, program, timed, state, checker, ahead)
    finally:
        ahead.discard()
    return _row(ctx, task_id, sample_index, line, state, costs, time.perf_counter() - started)


class _RoundWorkers:
    """The fresh sample sandbox and anchor (oracle loaded) of a sample's timed rounds, started ahead.

    Only trusted work runs ahead (see :mod:`effilab.evaluate.prestart`); each round loads the sample itself.
    The pairs start together while the correctness pass runs, and a round gets its pair only once every
    start under way has finished: no sandbox of this sample boots while one of its rounds is timed (a boot
    beside a timed call competes for the core and the caches, and inflated the first timed cases of every
    round). At most :data:`_AHEAD` pairs wait started; more rounds are started after the round before them.
    With instruction counting there is no anchor and a counter to attach, so rounds start in place.
    """

    def __init__(self, ctx: ProblemContext, rounds: int) -> None:
        self.ctx = ctx
        self.enabled = ctx.config.metric != "instructions"
        self._unstarted = rounds
        self._pairs: list[tuple[Prestarted, Prestarted]] = []

    def prefetch(self) -> None:
        """Start pairs until :data:`_AHEAD` are waiting (or every round has one)."""
        ctx = self.ctx
        while self.enabled and self._unstarted > 0 and len(self._pairs) < _AHEAD:
            self._pairs.append((Prestarted(lambda: _sample_worker(ctx)), Prestarted(ctx.anchor_worker)))
            self._unstarted -= 1

    def take(self) -> tuple[Worker, Worker]:
        """The next round's started sample worker and anchor, once no other start is under way."""
        self.prefetch()
        sample, anchor = self._pairs.pop(0)
        try:
            started = sample.take()
        except BaseException:
            anchor.discard()
            raise
        try:
            pair = started, anchor.take()
        except BaseException:
            started.close()
            raise
        for waiting in self._pairs:
            for prestarted in waiting:
                prestarted.wait()
        return pair

    def discard(self) -> None:
        for pair in self._pairs:
            for prestarted in pair:
                prestarted.discard()
        self._pairs.clear()


_AHEAD = 3
"""Round pairs started ahead at most (two idle interpreters each): the default number of rounds."""


def _sample_worker(ctx: ProblemContext) -> Worker:
    worker = Worker(
        limits=ctx.config.sample_limits(), isolation=ctx.config.isolation, read_paths=ctx.problem.read_paths
    )
    return start_worker(worker)


def _correctness_pass(
    ctx: ProblemContext, program: Program, checker: OutputChecker, state: _Progress, cold: list[float]
) -> None:
    """Run every case in order and judge it; ``cold`` gets each judged case's call time (``inf``: censored).

    Runs of cases on zero-weight levels go to the worker as one batch (one round trip for hundreds of
    small inputs, as EvalPlus's base+plus tests need); weighted cases go one call at a time, because a
    timeout there censors the level instead of failing the sample. After a censored case, ENAMEL stops
    checking (``EvalConfig.check_after_censor`` False, its suites' convention); otherwise the later cases
    are still checked for correctness in a fresh process, so a program cannot be counted correct on
    inputs it never answered, the censored level's other cases included; a timeout on a later level ends
    the check, since nothing more can be learned.
    """
    worker = _sample_worker(ctx)
    try:
        load = worker.load(program.source, entry=program.entry, filename=program.filename)
        if not load.verdict.is_ok:
            state.verdict = load.verdict
            state.detail = load.detail
            return
        index: int | None = 0
        while index is not None and index < len(ctx.cases) and state.verdict is Verdict.OK:
            index = _correctness_batch(ctx, worker, checker, state, cold, index)
            if index is not None and not worker.alive and index < len(ctx.cases):
                worker.close()
                worker = _sample_worker(ctx)
                again = worker.load(program.source, entry=program.entry, filename=program.filename)
                if not again.verdict.is_ok:
                    return
    finally:
        worker.close()


def _correctness_batch(
    ctx: ProblemContext,
    worker: Worker,
    checker: OutputChecker,
    state: _Progress,
    cold: list[float],
    index: int,
) -> int | None:
    """Judge the cases from ``index`` (one weighted case, or a batch of unweighted ones); the next index to
    judge, or None when the pass is over."""
    weighted = [ctx.is_weighted(i) for i in range(len(ctx.cases))]
    if weighted[index]:
        state.on_timed()
        group = [index]
        results = [worker.call(ctx.encoded[index], timeout_s=ctx.call_limit(index))]
    else:
        end, size = index, 0
        while end < min(len(ctx.cases), index + BATCH_CASES) and not weighted[end]:
            size += ctx.output_sizes[end]
            if end > index and size > BATCH_BYTES:
                break
            end += 1
        group = list(range(index, end))
        limit = sum(ctx.call_limit(i) for i in group) + 1.0
        results = worker.call_batch([ctx.encoded[i] for i in group], timeout_s=limit)
    whole_batch_failed = (
        len(group) > 1
        and results[-1].error is not None
        and (results[-1].error.type in ("SandboxLimit", "ProtocolViolation"))
    )
    for position, result in enumerate(results):
        label = None
        if whole_batch_failed and position == len(results) - 1:
            first, last = ctx.cases[group[position]], ctx.cases[group[-1]]
            label = f"{_case_name(first)} to {_case_name(last)}"  # somewhere in the rest of the batch
        if not _judge(ctx, checker, state, group[position], result, cold, label):
            return None
        if math.isinf(cold[-1]):  # censored; the checking goes on (worker replaced if it died)
            return group[position] + 1
    return group[len(results) - 1] + 1  # a batch also stops after a streamed output


def _judge(
    ctx: ProblemContext,
    checker: OutputChecker,
    state: _Progress,
    index: int,
    result: CallResult,
    cold: list[float],
    label: str | None = None,
) -> bool:
    """Record one case's outcome; False when the correctness pass must stop here."""
    case = ctx.cases[index]
    where = label or _case_name(case)
    if result.verdict is Verdict.OK and (result.wall_ns or 0) / 1e9 > ctx.call_limit(index):
        result = dataclasses.replace(result, verdict=Verdict.TIMEOUT, censored=True)  # over its own limit
    if result.verdict is Verdict.TIMEOUT and ctx.is_weighted(index):
        # Still correct: efficiency is what failed (ENAMEL). The censored level's other cases are still
        # checked (a program must not stall on one case to hide wrong answers on the others); a timeout on a
        # later level ends the check, since nothing more can be learned from larger inputs.
        again = state.censored_level is not None and case.level != state.censored_level
        if state.censored_level is None:
            state.censored_level = case.level
        cold.append(math.inf)
        return ctx.config.check_after_censor and not again
    if result.verdict is not Verdict.OK:
        state.verdict = result.verdict
        state.detail = f"{where}: " + result.detail
        return False
    if not checker.check(case.args, ctx.expected[index], result.value):
        state.verdict = Verdict.WRONG_ANSWER
        state.detail = (
            f"{where}: got {short_repr(result.value, 160)}, expected {short_repr(ctx.expected[index], 160)}"
        )
        return False
    cold.append((result.wall_ns or 0) / 1e9)
    return True


def _timed_pass(
    ctx: ProblemContext,
    program: Program,
    timed: list[int],
    state: _Progress,
    checker: OutputChecker,
    ahead: _RoundWorkers,
) -> list[float]:
    """Costs on the timed cases reached, in stored-reference units; ``inf`` from a censored case on.

    Rounds of fresh processes (see the module docstring). In each round every timed case is called once in
    the sample's process and once in the anchor's, alternately, the other side frozen. Per case, the
    sample's fastest round over the anchor's fastest round, times the oracle's stored cost. A sample that
    spends more CPU than the anchor around a call (while its arguments are prepared or its value encoded)
    has the excess added to that call: work moved out of the timed window still counts. Every value is
    checked; a wrong one fails the sample.
    """
    config = ctx.config
    oracle = ctx.costs(ctx.problem.oracle.name)
    position = {i: k for k, i in enumerate(ctx.timed_indices())}
    limit_s = _run_limit(float(ctx.reference["limit_s"]))
    counting = config.metric == "instructions"
    rounds = 1 if counting else config.repetitions
    best_sample = [math.inf] * len(timed)
    best_anchor = [math.inf] * len(timed)
    reached = len(timed)
    try:
        for round_ in range(rounds):
            workers = ahead.take() if ahead.enabled else None
            reached = _timed_round(ctx, program, timed[:reached], round_, state, checker, limit_s,
                                   best_sample, best_anchor, workers)  # fmt: skip
            ahead.prefetch()  # only after the round: nothing boots beside a timed call
            if state.verdict is not Verdict.OK:
                return []
    except SandboxStartError:
        raise  # effilab could not start a sandbox: not the sample's crash; the run stops, a resume retries
    except SandboxError as exc:  # the sample's side broke the protocol (MeasurementError is not caught)
        state.verdict = Verdict.CRASHED
        state.detail = str(exc)
        return []
    costs = []
    for k in range(reached):
        if counting:
            costs.append(best_sample[k])
        else:
            ratio = best_sample[k] / max(best_anchor[k], 1e-9)
            costs.append(ratio * oracle[position[timed[k]]])
    if reached < len(timed):
        state.censored_level = ctx.cases[timed[reached]].level
        costs.append(math.inf)
    return costs


def _timed_round(
    ctx: ProblemContext,
    program: Program,
    timed: list[int],
    round_: int,
    state: _Progress,
    checker: OutputChecker,
    limit_s: float,
    best_sample: list[float],
    best_anchor: list[float],
    workers: tuple[Worker, Worker] | None,
) -> int:
    """One round in a fresh sample process and a fresh anchor (``workers``: both started, the anchor
    loaded; None with instruction counting, which starts a counting sample here and has no anchor);
    returns how many cases it reached."""
    config = ctx.config
    anchor: Worker | None
    if workers is None:
        limits = ctx.config.sample_limits().replace(timeout_s=600.0)
        sample = Worker(limits=limits, isolation=config.isolation, read_paths=ctx.problem.read_paths,
                        counter=_counter_for(config.metric))  # fmt: skip
        anchor = None
    else:
        sample, anchor = workers
    try:
        if not sample.alive:
            start_worker(sample)
        load = sample.load(program.source, entry=program.entry, filename=program.filename)
        if not load.verdict.is_ok:
            state.verdict = Verdict.CRASHED
            state.detail = f"loaded once but not again in a fresh process ({load.detail})"
            return 0
        # Both warm up on the untimed cases first (imports, caches, the interpreter's specialisation), so
        # the first timed call of each is not also the first call of the process. The anchor warms up here,
        # not when it was started ahead: warmed long before, its caches would be colder than the sample's
        # at the first timed call, a bias in the sample's favour.
        warm = _warm_up(ctx, sample)
        if anchor is not None:
            _warm_up(ctx, anchor)
        for index, value in warm:
            if not checker.check(ctx.cases[index].args, ctx.expected[index], value):
                state.verdict = Verdict.WRONG_ANSWER
                state.detail = f"{_case_name(ctx.cases[index])}: a different answer in a fresh process"
                return 0
        for k, i in enumerate(timed):
            whole = ctx._whole(i)
            distinct = ctx.distinct.get(i)
            got: _Timing | None = None
            reference: _Timing | None = None
            # Alternate who goes first, so a drift in machine speed does not favour one side.
            order = ("anchor", "sample") if (round_ + k) % 2 == 0 else ("sample", "anchor")
            for side in order:
                if side == "anchor" and anchor is not None:
                    reference = _case_timing(anchor, sample, ctx.encoded[i], config, limit_s, whole, distinct)
                    if reference.verdict is not Verdict.OK:
                        raise MeasurementError(f"the anchor failed while being timed: {reference.detail}")
                elif side == "sample":
                    got = _case_timing(sample, anchor, ctx.encoded[i], config, limit_s, whole, distinct)
            assert got is not None
            case = ctx.cases[i]
            if got.censored:
                return k
            if got.verdict is not Verdict.OK:
                state.verdict = got.verdict
                state.detail = f"{_case_name(case)}, timed round {round_ + 1}: {got.detail}"
                return k
            checks = [(case.args, ctx.expected[i], v) for v in got.values]
            if distinct is not None and got.distinct_values:  # none when the call was not a short one
                checks += zip((a.args for a in distinct.inputs), distinct.expected, got.distinct_values,
                              strict=True)  # fmt: skip
            wrong = next((c for c in checks if not checker.check(*c)), None)
            if wrong is not None:
                args, expected, value = wrong
                where = (
                    "" if args is case.args else f" (on a further input of its level, {short_repr(args, 60)})"
                )
                state.verdict = Verdict.WRONG_ANSWER
                state.detail = (f"{_case_name(case)}, timed round {round_ + 1}: returned "
                                f"{short_repr(value, 120)} under measurement{where}, expected "
                                f"{short_repr(expected, 120)}")  # fmt: skip
                return k
            extra = 0.0
            if reference is not None:
                best_anchor[k] = min(best_anchor[k], reference.cost)
                extra = _excess_around(got.around_ns, reference.around_ns)
            best_sample[k] = min(best_sample[k], got.cost + extra)
        return len(timed)
    finally:
        sample.close()
        if anchor is not None:
            anchor.close()


_RIGHT = object()
_AROUND_MARGIN_NS = 100_000


def _excess_around(sample_ns: int, anchor_ns: int) -> float:
    """Seconds of CPU the sample spent around a call beyond what the anchor spent there, less the noise.

    The harness's own work around a call (preparing arguments, encoding values) costs a few hundred
    microseconds and varies by about as much between two exchanges (a side thawed a moment ago runs on
    cold caches), so only the excess beyond twice the anchor's, plus 0.1 ms, is charged: enough to catch
    a program doing its work while its arguments are prepared, without taxing honest short calls.
    """
    return max(sample_ns - 2 * anchor_ns - _AROUND_MARGIN_NS, 0) / 1e9


def _warm_up(ctx: ProblemContext, worker: Worker) -> list[tuple[int, object]]:
    """Call the untimed (zero-weight) cases once, as one batch; their (index, value) pairs, in order.

    A call that fails ends the batch; what it returned is left to the timed calls to judge.
    """
    untimed = [i for i in range(len(ctx.cases)) if not ctx.is_weighted(i) and not ctx._whole(i)]
    untimed = untimed[:BATCH_CASES]
    if not untimed:
        return []
    limit = sum(ctx.call_limit(i) for i in untimed) + 1.0
    results = worker.call_batch([ctx.encoded[i] for i in untimed], timeout_s=limit)
    return [(i, r.value) for i, r in zip(untimed, results, strict=False) if r.verdict is Verdict.OK]


def _frozen_other(worker: Worker, other: Worker | None, args: EncodedArgs | tuple[EncodedArgs, ...],
                  config: EvalConfig, limit_s: float, whole: bool, repeat: int = 1) -> _Timing:  # fmt: skip
    """Time ``worker`` on ``args`` while ``other`` is frozen (it cannot compete for the CPU meanwhile).

    A tuple of inputs is timed as one run of one call on each (:func:`_distinct_run`)."""
    if other is not None:
        other.freeze()
    try:
        if isinstance(args, tuple):
            return _distinct_run(worker, args, config, limit_s)
        return _timed_call(worker, args, config, limit_s, whole=whole, repeat=repeat)
    finally:
        if other is not None:
            other.thaw()


def _row(
    ctx: ProblemContext,
    task_id: str,
    sample_index: int,
    line: int,
    state: _Progress,
    costs: list[float],
    seconds: float,
) -> SampleRow:
    problem, config = ctx.problem, ctx.config
    passed = state.verdict is Verdict.OK
    timed = ctx.timed_indices()
    level_rows: list[LevelRow] = []
    score = 0.0
    speedup = dpe = None
    beats = False
    if not timed:
        for index, _level in enumerate(problem.levels):
            level_rows.append(LevelRow(index, state.verdict.value, None, None))
    else:
        padded = costs + [math.inf] * (len(timed) - len(costs))
        sample_levels = _level_costs(ctx, padded)
        oracle_levels = _level_costs(ctx, ctx.costs(problem.oracle.name))
        weighted = sorted(oracle_levels)
        for index, _level in enumerate(problem.levels):
            tests = tuple(padded[k] for k, i in enumerate(timed) if ctx.cases[i].level == index)
            verdict = state.verdict.value
            if passed and state.censored_level is not None and index >= state.censored_level:
                verdict = Verdict.TIMEOUT.value
            level_rows.append(
                LevelRow(index, verdict, sample_levels.get(index), oracle_levels.get(index), tests)
            )
        if passed:
            times: list[float | None] = []
            for level in weighted:
                reached = state.censored_level is None or level <= state.censored_level
                times.append(sample_levels[level] if reached else None)
            score = metrics.sample_efficiency(
                times,
                [oracle_levels[lv] for lv in weighted],
                [problem.weights[lv] for lv in weighted],
                config.alpha,
            )
            total = math.fsum(padded)
            # A reference stopped at its run limit costs at least that much: a lower bound, so speedups
            # against it are lower bounds too (the docs say so).
            floor = (
                _run_limit(float(ctx.reference["limit_s"]))
                if config.metric == "time"
                else float(ctx.reference["limit"])
            )
            totals = {
                ref.name: math.fsum(c if math.isfinite(c) else floor for c in ctx.costs(ref.name))
                for ref in problem.references
            }
            baseline = config.baseline or problem.references[0].name
            if baseline not in totals:
                baseline = problem.references[0].name
            if math.isfinite(total) and total > 0:
                speedup = totals[baseline] / total
                beats = totals[problem.oracle.name] / total >= config.beat_threshold
            names = [ref.name for ref in problem.references]
            # Without EvalPerf's scores, each reference's cluster is worth its rank: naive 1/m … oracle 1.
            scores = list(problem.reference_scores) or [
                100.0 * (k + 1) / len(names) for k in range(len(names))
            ]
            dpe = metrics.dpe_score(total, [totals[n] for n in names], scores, config.dpe_rel_tol)
    return SampleRow(task_id, sample_index, line, state.verdict.value, passed, score, speedup, beats, dpe,
                     state.detail, seconds, tuple(level_rows))  # fmt: skip
