"""Is a candidate module equivalent to the original? Decided in the parent, from sandboxed runs of both.

Checks, cheapest first; the first failure rejects the candidate and says why, with the input if any:

1. every differential input: the result *and the arguments after the call* equal the original's under
   the comparison rule (so a rewrite cannot mutate its input differently). The inputs are the examples
   (recorded test calls, generator or type-hint inputs; the first few are shown to the model) and the
   structured probes of :mod:`effilab.optimize.probes` (boundaries, small domains with duplicates and
   coincidences, type-aware mutations, mutations around rare outputs), which no prompt shows;
2. fresh inputs made for this candidate only (random ones from unseen seeds and fresh structured
   probes): a rewrite special-casing the inputs it saw or was told about fails here;
3. a second, fresh process calls a sample of the inputs in reverse order: results that depend on what
   the process computed before (state carried across calls) differ;
4. the user's tests, with the candidate installed as the module: each test that passed with the
   original must pass.

A candidate is accepted only if it was checked on at least ``min_checked`` inputs.

The original is the oracle. Inputs on which the original raises are outside its contract and dropped;
inputs on which it did not finish within the probe time limit are dropped too. Both are counted by
reason (:attr:`Oracle.dropped`) and reported, so the verification set never shrinks silently.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Sequence

from effilab.check.equality import values_equal
from effilab.measure import Program
from effilab.measure.sampler import short_repr
from effilab.optimize.attempt import Attempt, Outcome
from effilab.optimize.probes import rare_output_inputs
from effilab.optimize.project import Project, TestRun, loaded, program, run_tests
from effilab.optimize.target import Target
from effilab.sandbox import CallResult, Limits, Verdict, Worker
from effilab.sandbox.lifecycle import LoadFailed, open_loaded

__all__ = ["Oracle", "Verifier"]

_SPOT_CHECKS = 8
_RARE_PROBES = 64
"""Extra inputs mutated from those whose result under the original is rare (see probes.rare_output_inputs)."""
_DROP_REASONS = {
    Verdict.RUNTIME_ERROR: "raised",
    Verdict.TIMEOUT: "timeout",
    Verdict.MEMORY_LIMIT: "memory",
    Verdict.OUTPUT_LIMIT: "unplain",
    Verdict.UNSERIALIZABLE_OUTPUT: "unplain",
    Verdict.OK: "unplain",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Observation:
    result: object
    args_after: object
    wall_s: float


class Oracle:
    """The original module in one long-lived sandboxed worker; observations are cached per input."""

    def __init__(self, project: Project, target: Target, *, limits: Limits, isolation: str) -> None:
        self.project, self.target = project, target
        self.limits, self.isolation = limits, isolation
        self._worker: Worker | None = None
        self._cache: dict[str, Observation | None] = {}
        self.dropped: list[str] = []
        """Inputs on which the original failed or did not finish, with why (they cannot be oracle cases)."""
        self.dropped_by_reason: Counter[str] = Counter()
        """How many inputs were dropped, by reason: ``raised`` (outside the original's contract),
        ``timeout`` (not computed within the time limit), ``memory``, ``crashed``, ``unplain`` (a result
        that cannot be compared), ``budget`` (not tried: the time budget for expected outputs was spent)."""

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def __enter__(self) -> Oracle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def load_error(self) -> str | None:
        """Why the original module cannot be loaded in the sandbox, or None."""
        try:
            self._ensure()
        except RuntimeError as exc:
            return str(exc)
        return None

    def observe(
        self,
        inputs: Sequence[tuple[object, ...]],
        *,
        timeout_s: float | None = None,
        budget_s: float | None = None,
    ) -> list[tuple[tuple[object, ...], Observation]]:
        """The inputs the original handles, each with its observation (failing inputs are dropped).

        ``timeout_s`` limits each new call; ``budget_s`` the time spent on new calls in all (inputs not
        tried when it runs out are dropped as ``budget``). Either way every dropped input is counted.
        """
        kept: list[tuple[tuple[object, ...], Observation]] = []
        deadline = None if budget_s is None else time.monotonic() + budget_s
        for args in inputs:
            key = repr(args)
            if key not in self._cache:
                if deadline is not None and time.monotonic() > deadline:
                    self._cache[key] = None
                    self.dropped_by_reason["budget"] += 1
                    continue
                self._cache[key] = self._call(args, timeout_s)
            observation = self._cache[key]
            if observation is not None:
                kept.append((args, observation))
        return kept

    def _ensure(self) -> Worker:
        if self._worker is not None and self._worker.alive:
            return self._worker
        self.close()
        prog = program(self.project, self.target, self.target.module_source, entry="observe")
        try:
            worker, _ = open_loaded(prog.source, prog.entry, prog.filename, limits=self.limits,
                                    isolation=self.isolation, read_paths=prog.read_paths,
                                    what="the original")  # fmt: skip
        except LoadFailed as exc:
            load = exc.load
            raise RuntimeError(
                f"the original does not load in the sandbox ({load.verdict.value}): {load.detail}"
            ) from None
        self._worker = worker
        return worker

    def _call(self, args: tuple[object, ...], timeout_s: float | None) -> Observation | None:
        result = self._ensure().call(list(args), timeout_s=timeout_s)
        if result.verdict is not Verdict.OK or not isinstance(result.value, tuple):
            self.dropped.append(f"{short_repr(args, 120)}: {result.detail}")
            self.dropped_by_reason[_DROP_REASONS.get(result.verdict, "crashed")] += 1
            return None
        value, after = result.value
        return Observation(value, after, (result.wall_ns or result.parent_wall_ns) / 1e9)


class Verifier:
    """Runs checks 1–4 of the module docstring on candidates, against one :class:`Oracle`."""

    def __init__(
        self,
        oracle: Oracle,
        *,
        examples: Sequence[tuple[object, ...]],
        shown_count: int,
        float_tol: float,
        baseline_tests: TestRun | None,
        memory_mb: int,
        test_timeout_s: float,
        probes: Sequence[tuple[object, ...]] = (),
        probe_budget_s: float = 60.0,
        min_checked: int = 1,
        seed: int = 0,
    ) -> None:
        self.oracle = oracle
        self.examples = oracle.observe(examples)
        self.shown = self.examples[:shown_count]
        """The cases a prompt may show the model (as examples with their results)."""
        self._shown_keys = {repr(args) for args, _ in self.shown}
        slowest = max((obs.wall_s for _, obs in self.examples), default=0.0)
        # Probes are small, so the original should answer them about as fast as the examples; one that
        # takes far longer (an extreme value driving a loop) is dropped as "timeout" and reported.
        self.probe_timeout_s = max(2.0, 20 * slowest)
        self.probe_budget_s = probe_budget_s
        self.probes = oracle.observe(probes, timeout_s=self.probe_timeout_s, budget_s=probe_budget_s)
        rare = rare_output_inputs(
            [(args, obs.result) for args, obs in [*self.examples, *self.probes]],
            count=_RARE_PROBES,
            seed=seed,
        )
        self.probes += oracle.observe(rare, timeout_s=self.probe_timeout_s, budget_s=probe_budget_s / 4)
        self.cases = self._unique([*self.examples, *self.probes])
        self.float_tol = float_tol
        self.baseline_tests = baseline_tests
        self.memory_mb = memory_mb
        self.test_timeout_s = test_timeout_s
        self.min_checked = min_checked
        # Generous: a compiler's first call pays its compilation; a hang is still cut short.
        self.call_timeout_s = max(10.0, 20 * slowest)

    @staticmethod
    def _unique(
        cases: Sequence[tuple[tuple[object, ...], Observation]],
    ) -> list[tuple[tuple[object, ...], Observation]]:
        unique: dict[str, tuple[tuple[object, ...], Observation]] = {}
        for case in cases:
            unique.setdefault(repr(case[0]), case)
        return list(unique.values())

    def check(self, attempt: Attempt, fresh: Sequence[tuple[object, ...]]) -> bool:
        """Run every check on ``attempt.module_source``; on failure record why and return False.

        ``fresh`` are this candidate's own inputs (never shown, never used for another candidate).
        ``attempt.checked`` counts the distinct inputs the candidate matched the original on.
        """
        project, target = self.oracle.project, self.oracle.target
        prog = program(project, target, attempt.module_source, entry="observe")
        limits = Limits(timeout_s=self.call_timeout_s, load_timeout_s=60.0, memory_mb=self.memory_mb)
        known = {repr(args) for args, _ in self.cases}
        fresh_cases = self._unique(
            [
                (a, o)
                for a, o in self.oracle.observe(
                    fresh, timeout_s=self.probe_timeout_s, budget_s=self.probe_budget_s / 2
                )
                if repr(a) not in known
            ]
        )
        attempt.checked = 0
        with loaded(prog, limits=limits, isolation=self.oracle.isolation) as (worker, load):
            if not load.verdict.is_ok:
                detail = load.detail
                attempt.reject(Outcome.LOAD_ERROR, f"the module does not load: {detail}")
                return False
            if not self._differential(attempt, worker, self.cases, fresh=False):
                return False
            if not self._differential(attempt, worker, fresh_cases, fresh=True):
                return False
        if not self._spot_check(attempt, prog, limits):
            return False
        if not self._user_tests(attempt):
            return False
        if attempt.checked < self.min_checked:
            attempt.reject(
                Outcome.UNDERVERIFIED,
                f"checked on only {attempt.checked} inputs; at least {self.min_checked} are required "
                "(--min-checked)",
            )
            return False
        return True

    def _differential(
        self,
        attempt: Attempt,
        worker: Worker,
        cases: Sequence[tuple[tuple[object, ...], Observation]],
        *,
        fresh: bool,
    ) -> bool:
        for args, expected in cases:
            result = worker.call(list(args))
            if not self._agrees(attempt, args, expected, result, fresh=fresh):
                return False
            if not worker.alive:  # pragma: no cover - a call that killed the worker is a failure above
                return False
            attempt.checked += 1
        return True

    def _agrees(
        self,
        attempt: Attempt,
        args: tuple[object, ...],
        expected: Observation,
        result: CallResult,
        *,
        fresh: bool,
    ) -> bool:
        shown_input = short_repr(args)
        if result.verdict is not Verdict.OK:
            outcome = Outcome.TIMEOUT if result.verdict is Verdict.TIMEOUT else Outcome.RUNTIME_ERROR
            detail = result.detail
            attempt.reject(
                outcome,
                f"{result.verdict.value} on input {shown_input}: {detail}",
                failing_input=shown_input,
                expected=short_repr(expected.result),
            )
            return False
        value, after = result.value if isinstance(result.value, tuple) else (result.value, None)
        if not values_equal(expected.result, value, float_tol=self.float_tol):
            outcome = Outcome.SPECIAL_CASED if fresh else Outcome.WRONG_ANSWER
            where = "a fresh input it was never shown" if fresh else "input"
            attempt.reject(
                outcome,
                f"wrong result on {where} {shown_input}",
                failing_input=shown_input,
                expected=short_repr(expected.result),
                actual=short_repr(value),
            )
            return False
        if not values_equal(expected.args_after, after, float_tol=self.float_tol):
            attempt.reject(
                Outcome.WRONG_ANSWER,
                f"leaves its arguments different from the original on input {shown_input}",
                failing_input=shown_input,
                expected=short_repr(expected.args_after),
                actual=short_repr(after),
            )
            return False
        return True

    def _spot_check(self, attempt: Attempt, prog: Program, limits: Limits) -> bool:
        """A fresh process, the inputs in reverse order: a stateful rewrite answers differently."""
        cases = list(reversed(self.cases[-_SPOT_CHECKS:]))
        if not cases:
            return True
        with loaded(prog, limits=limits, isolation=self.oracle.isolation) as (worker, load):
            if not load.verdict.is_ok:
                attempt.reject(Outcome.STATEFUL, "loads once but not twice in a fresh process")
                return False
            for args, expected in cases:
                result = worker.call(list(args))
                if not self._agrees(attempt, args, expected, result, fresh=False):
                    attempt.outcome = Outcome.STATEFUL
                    attempt.detail = (
                        f"depends on earlier calls (fresh process, other order): {attempt.detail}"
                    )
                    return False
        return True

    def _user_tests(self, attempt: Attempt) -> bool:
        baseline = self.baseline_tests
        if baseline is None or not baseline.passed:
            return True
        run = run_tests(
            self.oracle.project,
            self.oracle.target,
            attempt.module_source,
            timeout_s=self.test_timeout_s,
            memory_mb=self.memory_mb,
            isolation=self.oracle.isolation,
        )
        if run.verdict is not Verdict.OK:
            detail = run.detail
            attempt.reject(Outcome.TESTS_FAILED, f"the project's tests did not finish: {detail}")
            return False
        broken = sorted(baseline.passed - run.passed)
        if broken:
            more = f" (+{len(broken) - 3} more)" if len(broken) > 3 else ""
            attempt.reject(
                Outcome.TESTS_FAILED, f"tests that pass with the original fail: {', '.join(broken[:3])}{more}"
            )
            return False
        return True
