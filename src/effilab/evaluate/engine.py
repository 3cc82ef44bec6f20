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
sample is still correct, ENAMEL's convention). Then each timed case is measured in rounds that alternate
with the oracle in a second warm worker (the *anchor*): the sample's cost is the median ratio to the anchor
times the oracle's stored cost. Interleaving makes the ratio insensitive to what the machine was doing at
the time, which is what keeps eff@k stable between runs; with the ``instructions`` metric, counts are
deterministic and no anchor is needed.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from effilab.errors import InvalidArgument, SandboxError
from effilab.evaluate import metrics
from effilab.evaluate.checking import OutputChecker
from effilab.evaluate.store import LevelRow, SampleRow, cost_from_json, cost_to_json
from effilab.measure.backends import resolve_backend
from effilab.measure.program import Program
from effilab.measure.sampler import short_repr
from effilab.sandbox import CallResult, EncodedArgs, Limits, Verdict, Worker, codec
from effilab.suites.cases import build_cases
from effilab.suites.model import Problem, TestCase

__all__ = ["METRICS", "EvalConfig", "ProblemContext", "evaluate_sample"]

METRICS = ("time", "instructions")


@dataclasses.dataclass(frozen=True, slots=True)
class EvalConfig:
    """Everything that changes how samples are scored (all of it is part of a run's identity)."""

    metric: str = "time"
    alpha: float = 2.0
    repetitions: int = 5
    """Rounds per timed case: sample and anchor alternate; the median ratio is kept."""
    seed: int = 0
    isolation: str = "auto"
    memory_mb: int = 2048
    min_time_limit_s: float = 1.0
    """Correctness-only problems: the per-call limit is at least this…"""
    time_limit_factor: float = 4.0
    """…and at least this many times the oracle's own time on the case."""
    target_run_s: float = 0.002
    """Timed runs repeat short calls back to back until a run lasts about this long."""
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

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_REFERENCE_LIMITS = Limits(timeout_s=60.0, memory_mb=4096, load_timeout_s=30.0)
BATCH_CASES = 16
BATCH_BYTES = 8 << 20
"""A batch also stops where the oracle's outputs reach this size, so a sample's reply stays far below the
per-message result limit (a sample's outputs should be about as big as the oracle's)."""
"""Cases per batch: one round trip for many small inputs, while a reply stays well under its size limit."""
_MAX_REPEAT = 10_000


def _calls_per_run(cold_s: float, target_s: float) -> int:
    return max(1, min(_MAX_REPEAT, math.ceil(target_s / max(cold_s, 1e-7))))


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
        self._spare_anchor: Worker | None = None

    # ------------------------------------------------------------------------------------------ building

    def ensure(self) -> None:
        with self._lock:
            if not self._ready:
                self._build()
                self._ready = True

    def _build(self) -> None:
        problem, config = self.problem, self.config
        self.cases = build_cases(problem, suite_seed=config.seed, isolation=config.isolation)
        if not self.cases:
            raise InvalidArgument(f"problem {problem.id}: no test cases")
        self.encoded = [EncodedArgs(case.args) for case in self.cases]
        oracle = problem.reference_program(problem.oracle)
        worker = self._reference_worker(oracle)
        try:
            cold, worker = self._expected_outputs(worker)
            if self._stored is not None:
                self.reference = self._stored
            else:
                self.reference = {"cold_s": cold, "timed": self.timed_indices()}
                if self.timed_indices():
                    self._measure_references(cold, worker)
                self._save(self.reference)
        except BaseException:
            worker.close()
            raise
        if config.metric == "time" and self.timed_indices():
            self._spare_anchor = worker  # warm already: the first unit of samples measures against it
        else:
            worker.close()

    def take_anchor(self) -> Worker | None:
        """A warm oracle worker to time samples against (None when no anchor is needed).

        The first caller gets the worker that built the context; later callers get a fresh one.
        """
        if self.config.metric != "time" or not self.timed_indices():
            return None
        with self._lock:
            anchor, self._spare_anchor = self._spare_anchor, None
        return anchor or self._reference_worker(self.problem.reference_program(self.problem.oracle))

    def _expected_outputs(self, worker: Worker) -> tuple[list[float], Worker]:
        """Run the oracle on every case (in batches): its outputs become the expected ones.

        Returns the oracle's call time per case, and the oracle worker (a new one if it had to be replaced).
        """
        problem = self.problem
        cold: list[float] = []
        results: list[CallResult] = []
        for start in range(0, len(self.encoded), BATCH_CASES):
            chunk = self.encoded[start : start + BATCH_CASES]
            got = worker.call_batch(chunk, timeout_s=_REFERENCE_LIMITS.timeout_s * len(chunk))
            if len(got) < len(chunk) and not worker.alive:
                # The batch failed as a whole (e.g. its outputs together exceed the reply limit): redo it
                # one call at a time so the failing case, if any, is named.
                worker.close()
                worker = self._reference_worker(problem.reference_program(problem.oracle))
                got = [worker.call(args) for args in chunk]
            results += got
            if any(r.verdict is not Verdict.OK for r in got):
                break
        with OutputChecker(problem.rule, isolation=self.config.isolation) as checker:
            for index, case in enumerate(self.cases):
                where = f"{problem.oracle.filename}: the oracle ({problem.oracle.name}) on {_case_name(case)}"
                result = results[index] if index < len(results) else results[-1]
                if result.verdict is not Verdict.OK or result.wall_ns is None:
                    detail = result.detail
                    raise InvalidArgument(f"{where} failed: {detail}")
                if case.has_expected and not checker.check(case.args, case.expected, result.value):
                    raise InvalidArgument(f"{where}: output disagrees with the fixed test's expected value")
                self.expected.append(case.expected if case.has_expected else result.value)
                self.output_sizes.append(len(codec.dumps(result.value)) if not self.is_weighted(index) else 0)
                cold.append(result.wall_ns / 1e9)
        return cold, worker

    def _reference_worker(self, program: Program, counter: str | None = None) -> Worker:
        worker = Worker(
            limits=_REFERENCE_LIMITS.replace(memory_mb=max(self.config.memory_mb, 1024)),
            isolation=self.config.isolation,
            read_paths=self.problem.read_paths,
            counter=counter,
        )
        worker.start()
        load = worker.load(program.source, entry=program.entry, filename=program.filename)
        if not load.verdict.is_ok:
            worker.close()
            detail = load.detail
            raise InvalidArgument(f"{program.filename}: the reference does not load ({detail})")
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
        """Costs of every reference on the timed cases; the limit T comes from the oracle's."""
        timed = self.timed_indices()
        config = self.config
        limit_s = config.alpha * max(cold[i] for i in timed)
        self.reference["limit_s"] = limit_s
        costs: dict[str, list[float]] = {}
        counter = _counter_for(config.metric)
        for ref in reversed(self.problem.references):  # the oracle first: it defines the limit
            program = self.problem.reference_program(ref)
            reuse = ref is self.problem.oracle and counter is None
            worker = oracle_worker if reuse else self._reference_worker(program, counter)
            try:
                values = []
                for i in timed:
                    cost = _measure_alone(worker, self.encoded[i], cold[i], config, _run_limit(limit_s))
                    values.append(cost)
                    if math.isinf(cost):
                        values += [math.inf] * (len(timed) - len(values))
                        break
            finally:
                if not reuse:
                    worker.close()
            costs[ref.name] = values
        oracle = costs[self.problem.oracle.name]
        if any(math.isinf(c) for c in oracle):
            raise InvalidArgument(f"problem {self.problem.id}: the oracle exceeded its own time limit")
        per_level = _level_costs(self, oracle)
        self.reference["costs"] = {name: [cost_to_json(c) for c in values] for name, values in costs.items()}
        self.reference["limit"] = config.alpha * max(c for c in per_level.values())

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


_MIN_ROUNDS = 3
_CASE_BUDGET_S = 0.15


def _more_rounds(done: int, started: float, config: EvalConfig) -> bool:
    """At least three rounds, then up to ``repetitions`` while the case has cost under 0.15 s.

    Long runs are disturbed proportionally less by a context switch, so they need fewer rounds; short
    runs, where one interruption can double a reading, get all of them at little cost.
    """
    if done < min(_MIN_ROUNDS, config.repetitions):
        return True
    return done < config.repetitions and time.perf_counter() - started < _CASE_BUDGET_S


def _measure_alone(worker: Worker, args: EncodedArgs, cold_s: float, config: EvalConfig,
                   limit_s: float) -> float:  # fmt: skip
    """Per-call cost of one case, without an anchor (references, and deterministic counts)."""
    if config.metric == "instructions":
        sample = worker.measure(args, repeat=1, timeout_s=limit_s)
        if sample.censored:
            return math.inf
        if sample.verdict is not Verdict.OK or sample.instructions is None:
            raise SandboxError(f"a reference failed while being counted: {sample.verdict.value}")
        return float(sample.instructions)
    # Calibrate on this program's own first timed call (cold_s may be another program's).
    first = worker.measure(args, repeat=1, timeout_s=limit_s)
    if first.censored:
        return math.inf
    if first.verdict is not Verdict.OK or first.wall_ns is None:
        raise SandboxError(f"a reference failed while being timed: {first.verdict.value}")
    repeat = _calls_per_run(first.wall_ns / 1e9, config.target_run_s)
    times: list[float] = []
    started = time.perf_counter()
    while _more_rounds(len(times), started, config):
        sample = worker.measure(args, repeat=repeat, timeout_s=limit_s * repeat)
        if sample.censored:
            return math.inf
        if sample.verdict is not Verdict.OK or sample.wall_ns is None:
            raise SandboxError(f"a reference failed while being timed: {sample.verdict.value}")
        times.append(sample.wall_ns / 1e9 / repeat)
    return min(times)  # interference only adds time: the fastest round is the least disturbed


# ------------------------------------------------------------------------------------------------- samples


@dataclasses.dataclass(slots=True)
class _Progress:
    verdict: Verdict = Verdict.OK
    detail: str = ""
    censored_level: int | None = None


def evaluate_sample(
    ctx: ProblemContext,
    program: Program,
    *,
    task_sample: tuple[str, int, int],
    checker: OutputChecker,
    anchor: Worker | None,
) -> SampleRow:
    """Judge and measure one program; never raises for anything the program does."""
    started = time.perf_counter()
    task_id, sample_index, line = task_sample
    state = _Progress()
    cold: list[float] = []
    costs: list[float] = []
    worker = _sample_worker(ctx)
    try:
        load = worker.load(program.source, entry=program.entry, filename=program.filename)
        if not load.verdict.is_ok:
            state.verdict = load.verdict
            state.detail = load.detail
        else:
            _correctness_pass(ctx, worker, checker, state, cold)
        timed = [i for i in ctx.timed_indices() if i < len(cold)]
        if state.verdict is Verdict.OK and timed:
            if not worker.alive:  # a censored call killed it: time the levels it passed in a fresh one
                worker.close()
                worker = _sample_worker(ctx)
                worker.load(program.source, entry=program.entry, filename=program.filename)
            costs = _timed_pass(ctx, program, worker, anchor, timed, cold, state)
    finally:
        worker.close()
    return _row(ctx, task_id, sample_index, line, state, costs, time.perf_counter() - started)


def _sample_worker(ctx: ProblemContext) -> Worker:
    limits = Limits(timeout_s=60.0, memory_mb=ctx.config.memory_mb, load_timeout_s=30.0)
    worker = Worker(limits=limits, isolation=ctx.config.isolation, read_paths=ctx.problem.read_paths)
    worker.start()
    return worker


def _correctness_pass(
    ctx: ProblemContext, worker: Worker, checker: OutputChecker, state: _Progress, cold: list[float]
) -> None:
    """Run every case in order and judge it; ``cold`` receives the call time of each case that passed.

    Runs of cases on zero-weight levels go to the worker as one batch (one round trip for hundreds of
    small inputs, as EvalPlus's base+plus tests need); weighted cases go one call at a time, because a
    timeout there censors the level instead of failing the sample.
    """
    weighted = [ctx.is_weighted(i) for i in range(len(ctx.cases))]
    index = 0
    while index < len(ctx.cases):
        if weighted[index]:
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
                return
        index = group[-1] + 1


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
        state.censored_level = case.level  # still correct: efficiency is what failed (ENAMEL)
        return False
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
    worker: Worker,
    anchor: Worker | None,
    timed: list[int],
    cold: list[float],
    state: _Progress,
) -> list[float]:
    """Costs on the timed cases reached, in stored-reference units; ``inf`` from a censored case on."""
    config = ctx.config
    oracle = ctx.costs(ctx.problem.oracle.name)
    position = {i: k for k, i in enumerate(ctx.timed_indices())}
    reference_cold = ctx.reference["cold_s"]
    limit_s = _run_limit(float(ctx.reference["limit_s"]))
    costs: list[float] = []
    counter_worker = None
    try:
        if config.metric == "instructions":
            counter_worker = _counting_worker(ctx, program, worker.limits)
        for i in timed:
            args = ctx.encoded[i]
            if counter_worker is not None:
                cost = _measure_alone(counter_worker, args, cold[i], config, limit_s)
            else:
                assert anchor is not None
                cost = _interleaved(worker, anchor, args, cold[i], float(reference_cold[i]), config, limit_s)
                cost = cost * oracle[position[i]] if math.isfinite(cost) else cost
            costs.append(cost)
            if math.isinf(cost):
                state.censored_level = ctx.cases[i].level
                break
    except SandboxError as exc:
        state.verdict = Verdict.CRASHED
        state.detail = str(exc)
    finally:
        if counter_worker is not None:
            counter_worker.close()
    return costs


def _counting_worker(ctx: ProblemContext, program: Program, limits: Limits) -> Worker:
    """A second worker for the same program, under the instruction counter (valgrind is too slow for the
    correctness pass, so that one runs plainly)."""
    counting = Worker(limits=limits.replace(timeout_s=600.0), isolation=ctx.config.isolation,
                      read_paths=ctx.problem.read_paths, counter=_counter_for("instructions"))  # fmt: skip
    counting.start()
    load = counting.load(program.source, entry=program.entry, filename=program.filename)
    if not load.verdict.is_ok:
        counting.close()
        raise SandboxError(f"the program loaded once but not under the instruction counter: {load.verdict}")
    return counting


def _interleaved(
    worker: Worker,
    anchor: Worker,
    args: EncodedArgs,
    cold_s: float,
    anchor_cold_s: float,
    config: EvalConfig,
    limit_s: float,
) -> float:
    """The sample's per-call time over the anchor's, from rounds that alternate between them.

    Each side keeps its fastest round: interference (another process, an interrupt) only ever adds time,
    so the minimum is the estimate least disturbed by a busy machine, and alternating makes both minima
    come from the same stretch of time.
    """
    repeat = _calls_per_run(cold_s, config.target_run_s)
    anchor_repeat = _calls_per_run(anchor_cold_s, config.target_run_s)
    sample_times: list[float] = []
    anchor_times: list[float] = []
    started = time.perf_counter()
    while _more_rounds(len(sample_times), started, config):
        a = anchor.measure(args, repeat=anchor_repeat, timeout_s=limit_s * anchor_repeat)
        s = worker.measure(args, repeat=repeat, timeout_s=limit_s * repeat)
        if s.censored:
            return math.inf
        if s.verdict is not Verdict.OK or s.wall_ns is None:
            raise SandboxError(f"the sample failed while being timed: {s.verdict.value}")
        if a.verdict is not Verdict.OK or a.wall_ns is None:
            raise SandboxError(f"the anchor failed while being timed: {a.verdict.value}")
        sample_times.append(s.wall_ns / repeat)
        anchor_times.append(a.wall_ns / anchor_repeat)
    return min(sample_times) / max(min(anchor_times), 1.0)


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
