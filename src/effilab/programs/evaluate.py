"""Evaluating whole programs on slow/fast pairs, scored as PIE scores them.

For each pair (PIE record): the slow program (``input``), the human-improved one (``target``) and the
candidates (a model's generations) are compiled in the sandbox (cached by digest) and run on the problem's
tests, each run in a fresh box with its output judged in the parent.

* **Correctness.** A test the slow program itself fails (wrong, error, timeout) is *dropped*, with its
  reason, as a broken reference case is for functions; a pair with no test left, or whose slow program does
  not compile, is *broken* and left out of every average. A candidate is correct when it answers every kept
  test right in every run (all timed runs are checked, not just the first).
* **Cost.** ``repetitions`` rounds; in each, every kept test is run once by each live program, the order
  rotating so no program always runs first. A run's cost is the CPU time the kernel accounted to its whole
  box (``time``), the parent's wall clock (``wall``) or callgrind's instruction count (``instructions``,
  deterministic, one round), less the cost of the language's empty program in a box (so a 1 ms program is
  not drowned by the launcher and the interpreter's start), but never below 5 % of that empty program's
  cost (below it is the launcher's noise). Per test the cheapest round counts; a
  program's cost is the sum over tests.
* **PIE's metrics** (Shypula et al., "Learning Performance-Improving Code Edits", ICLR 2024): speedup =
  cost(slow) / cost(candidate); per pair the best correct candidate; %OPT = share of pairs whose best
  correct candidate is at least 10 % faster (speedup ≥ 1.1); the PIE-style mean speedup counts a pair
  without a correct, faster candidate as 1.0 (the original program is kept); the fraction correct; and the
  same figures for the human ``target``, with the share of pairs where the best candidate matches or beats
  it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from effilab.errors import EffilabError, InvalidArgument
from effilab.evaluate.metrics import eff_at_k, geometric_mean, pass_at_k, sample_efficiency
from effilab.programs.box import BoxPool
from effilab.programs.compile import Build, compile_program
from effilab.programs.counting import count_instructions
from effilab.programs.languages import Language, get_language
from effilab.programs.limits import ProgramLimits
from effilab.programs.run import ProgramRun, run_program
from effilab.sandbox.verdict import Verdict
from effilab.suites.pie import ProgramPair, ProgramSuite, ProgramTest

__all__ = ["METRICS", "PairResult", "ProgramEvalConfig", "ProgramOutcome", "evaluate_programs", "summarise"]

METRICS = ("time", "wall", "instructions")
_NULL_RUNS = 5
_FLOOR = 1000.0  # a cost never drops below 1 µs (or 1000 instructions)
# Net of the empty program, a test never costs less than this share of the empty program's own cost: below
# it, what is left is the launcher's run-to-run noise, and dividing by it would make speedups explode.
_NULL_SHARE_FLOOR = 0.05
_GENERATED_BASE = 100_000  # generated inputs are numbered from here, after any test file's index
_GENERATOR_DRIVER = b"""

import json as _json, random as _random, sys as _sys
_request = _json.loads(_sys.stdin.read())
_rng = _random.Random(_request["seed"])
if "size" in _request:  # effilab's suite folders: generate(size, level, case, rng)
    _sys.stdout.write(generate(_request["size"], _request["level"], _request["case"], _rng))
else:  # PIE's layout: generate(level, rng)
    _sys.stdout.write(generate(_request["level"], _rng))
"""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ProgramEvalConfig:
    cache_dir: Path
    metric: str = "time"
    repetitions: int = 3
    limits: ProgramLimits = dataclasses.field(default_factory=lambda: ProgramLimits(timeout_s=10.0))
    isolation: str = "auto"
    threshold: float = 1.1
    """%OPT counts speedups of at least this (PIE: 10 % faster)."""
    evaluate_target: bool = True
    seed: int | None = None
    """Seed of generated inputs (problems with a ``generator.py``); None: no generated inputs."""
    net_of_empty: bool = True
    """Take the language's empty-program cost off every run (False: whole-process costs, as PIE timed)."""

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise InvalidArgument(f"metric={self.metric!r}: choose one of {', '.join(METRICS)}")
        reps = self.repetitions
        if isinstance(reps, bool) or not isinstance(reps, int) or reps < 1:
            raise InvalidArgument(f"repetitions={self.repetitions!r}: must be an integer >= 1")
        if not (math.isfinite(self.threshold) and self.threshold > 0):
            raise InvalidArgument(f"threshold={self.threshold!r}: must be > 0")


@dataclasses.dataclass(slots=True)
class ProgramOutcome:
    """One program of a pair: its verdict and, when correct, its cost."""

    role: str
    """``slow``, ``target`` or ``candidate``."""
    index: int
    verdict: Verdict = Verdict.OK
    detail: str = ""
    per_test: dict[int, float] = dataclasses.field(default_factory=dict)
    """Cheapest cost per kept test (ns or instructions), net of the box's own cost."""
    compile_s: float = 0.0

    @property
    def correct(self) -> bool:
        return self.verdict is Verdict.OK

    @property
    def cost(self) -> float | None:
        return math.fsum(self.per_test.values()) if self.correct and self.per_test else None

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role, "index": self.index, "verdict": self.verdict.value, "detail": self.detail,
                "cost": self.cost, "compile_s": round(self.compile_s, 4)}  # fmt: skip


@dataclasses.dataclass(slots=True)
class PairResult:
    key: str
    problem_id: str
    language: str
    slow: ProgramOutcome
    target: ProgramOutcome | None
    candidates: list[ProgramOutcome]
    dropped: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    broken: str | None = None
    levels: dict[int, int] = dataclasses.field(default_factory=dict)
    """Level of each test (its size class; ``levels.json``)."""
    references: list[ProgramOutcome] = dataclasses.field(default_factory=list)
    """Further references between the slow program and the target (suite folders), measured like it."""
    weights: dict[int, float] | None = None
    """eff@k weight per level (suite folders' ``[[levels]]``); None: ENAMEL's 0/3/3/4 (else 0, 1, 1, ...)."""

    def efficiency_scores(self, alpha: float = 2.0) -> list[float] | None:
        """ENAMEL's efficiency score of each candidate against the human target, per level.

        A level's time is a program's worst test of that level; the limit is ``alpha`` times the target's
        slowest weighted level; weights are ENAMEL's (0, 3, 3, 4) for levels 0-3 (else 0 for level 0 and 1
        for the others); an incorrect candidate scores 0. None when the pair has no correct target or
        fewer than two levels (eff@k needs a reference and sizes to grow).
        """
        if self.broken is not None or self.target is None or not self.target.correct:
            return None
        levels = sorted(set(self.levels.get(i, 0) for i in self.target.per_test))
        if len(levels) < 2 or levels[-1] == 0:
            return None
        enamel = levels == [0, 1, 2, 3]
        if self.weights is not None:
            weights = [self.weights.get(lv, 0.0) for lv in levels]
        else:
            weights = [(0.0, 3.0, 3.0, 4.0)[lv] if enamel else (0.0 if lv == 0 else 1.0) for lv in levels]
        if not any(weights):
            return None

        def level_times(outcome: ProgramOutcome) -> list[float]:
            costs = outcome.per_test.items()
            return [max(c for i, c in costs if self.levels.get(i, 0) == lv) for lv in levels]

        refs = level_times(self.target)
        scores = []
        for candidate in self.candidates:
            if not candidate.correct or set(candidate.per_test) != set(self.target.per_test):
                scores.append(0.0)
                continue
            scores.append(sample_efficiency(level_times(candidate), refs, weights, alpha))
        return scores

    def speedup(self, outcome: ProgramOutcome | None) -> float | None:
        if outcome is None or self.broken is not None:
            return None
        slow, cost = self.slow.cost, outcome.cost
        if slow is None or cost is None or cost <= 0:
            return None
        return slow / cost

    @property
    def best_speedup(self) -> float | None:
        speedups = [s for s in (self.speedup(c) for c in self.candidates) if s is not None]
        return max(speedups) if speedups else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "problem_id": self.problem_id,
            "language": self.language,
            "broken": self.broken,
            "dropped": self.dropped,
            "slow": self.slow.as_dict(),
            "target": None if self.target is None else {**self.target.as_dict(),
                                                        "speedup": self.speedup(self.target)},
            "candidates": [{**c.as_dict(), "speedup": self.speedup(c)} for c in self.candidates],
            "best_speedup": self.best_speedup,
            **({"references": [{**r.as_dict(), "speedup": self.speedup(r)} for r in self.references]}
               if self.references else {}),
        }  # fmt: skip


class _Evaluator:
    def __init__(self, config: ProgramEvalConfig, pool: BoxPool) -> None:
        self.config = config
        self.pool = pool
        self._checked: dict[tuple[str, int, str], bool] = {}
        self._generated: dict[str, list[tuple[int, int, bytes]]] = {}
        self._null: dict[str, float] = {}

    # ------------------------------------------------------------------------------------------- runs
    def _null_cost(self, language: Language) -> float:
        """The cost of the language's empty program in a box: the cheapest of a few runs.

        Taken off every run's cost, so speedups compare what the programs do, not the launcher and the
        runtime's start (an interpreter's start alone is ~20 ms, more than many fast programs). Under
        ``instructions`` nothing is taken off: start-up instructions are few and exactly reproducible.
        """
        if self.config.metric == "instructions" or not self.config.net_of_empty:
            return 0.0
        if language.name not in self._null:
            build = self._build(language, language.null_source)
            if build.verdict is not Verdict.OK:
                detail = build.diagnostics[-300:]
                raise EffilabError(f"cannot build the empty {language.name} program: {detail}")
            costs = []
            for _ in range(_NULL_RUNS):
                run = self._run(build, b"")
                if not run.verdict.is_ok:
                    detail = f"{run.verdict} {run.detail}"
                    raise EffilabError(f"the empty {language.name} program failed: {detail}")
                costs.append(self._raw_cost(run))
            self._null[language.name] = min(costs)
        return self._null[language.name]

    def _build(self, language: Language, source: bytes) -> Build:
        return compile_program(language, source, pool=self.pool, cache_dir=self.config.cache_dir)

    def _run(self, build: Build, stdin: bytes, limits: ProgramLimits | None = None) -> ProgramRun:
        return run_program(self.pool, build.profile(), files=build.files(), stdin=stdin,
                           limits=limits or self.config.limits, executable=build.entry)  # fmt: skip

    def _raw_cost(self, run: ProgramRun) -> float:
        if self.config.metric == "wall":
            return float(run.wall_ns)
        return float(run.cpu_ns or 0)

    def _measure(self, build: Build, test: ProgramTest) -> tuple[ProgramRun, float | None]:
        if self.config.metric == "instructions":
            counted = count_instructions(self.pool, build.profile(), files=build.files(), stdin=test.input,
                                         limits=self.config.limits, executable=build.entry)  # fmt: skip
            cost = None if counted.instructions is None else float(counted.instructions)
            return counted.run, cost
        run = self._run(build, test.input)
        if not run.verdict.is_ok:
            return run, None
        null = self._null_cost(build.language)
        return run, max(_FLOOR, _NULL_SHARE_FLOOR * null, self._raw_cost(run) - null)

    def _judge(self, pair: ProgramPair, test: ProgramTest, output: bytes) -> bool:
        key = (pair.problem_id, test.index, hashlib.sha256(output).hexdigest())
        if key not in self._checked:
            expected = test.output
            if expected is None:
                raise EffilabError(f"test {test.index} of {pair.key} has no expected output")
            self._checked[key] = pair.rule.judge(test.input, expected, output, run_checker=self._checker)
        return self._checked[key]

    def _checker(self, source: bytes, payload: bytes) -> int:
        build = self._build(get_language("python"), source)
        run = self._run(build, payload)
        if run.exit_code is None:
            raise EffilabError(f"the checker did not finish: {run.verdict} {run.detail}")
        return run.exit_code

    # ------------------------------------------------------------------------------------------- inputs
    def _generated_inputs(self, pair: ProgramPair) -> list[tuple[int, int, bytes]]:
        """(index, level, stdin) of the problem's generated inputs, from the run's seed; once per problem."""
        generator = pair.generator
        if generator is None or self.config.seed is None:
            return []
        if pair.problem_id not in self._generated:
            driver = generator.source + _GENERATOR_DRIVER
            build = self._build(get_language("python"), driver)
            made: list[tuple[int, int, bytes]] = []
            for level, count in sorted(generator.counts.items()):
                for j in range(count):
                    # Each input has its own seed, from the run's, the problem, the level and the case.
                    digest = hashlib.sha256(f"{self.config.seed}/{pair.problem_id}/{level}/{j}".encode())
                    fields: dict[str, int] = {"level": level, "seed": int(digest.hexdigest()[:15], 16)}
                    if generator.sizes is not None:
                        fields.update(size=generator.sizes.get(level, 0), case=j)
                    request = json.dumps(fields)
                    run = self._run(
                        build, request.encode(), limits=self.config.limits.replace(timeout_s=60.0)
                    )
                    if not run.verdict.is_ok:
                        # A failing generator is the suite's bug, not a program's: stop, as for functions.
                        tail = run.stderr_tail.decode(errors="replace")[-500:]
                        raise EffilabError(f"{pair.problem_id}: generator.py failed: {run.verdict} {tail}")
                    made.append((_GENERATED_BASE + len(made), level, run.stdout))
            self._generated[pair.problem_id] = made
        return self._generated[pair.problem_id]

    def _tests(self, pair: ProgramPair, slow: Build, result: PairResult) -> list[ProgramTest]:
        """The pair's test files plus its generated inputs, whose expected output is the slow program's."""
        tests = list(pair.tests)
        for index, level, stdin in self._generated_inputs(pair):
            run = self._run(slow, stdin)
            if not run.verdict.is_ok:
                reason = f"slow program on a generated input: {run.verdict} {run.detail}".strip()
                result.dropped.append({"test": index, "reason": reason})
                continue
            tests.append(ProgramTest(index, stdin, run.stdout, level))
        return tests

    # ------------------------------------------------------------------------------------------- pairs
    def _attempt(self, pair: ProgramPair, build: Build, test: ProgramTest, outcome: ProgramOutcome) -> bool:
        """Run ``build`` on ``test`` once; record its cost or its failure. True if it is still correct."""
        run, cost = self._measure(build, test)
        if not run.verdict.is_ok:
            outcome.verdict, outcome.detail = run.verdict, f"test {test.index}: {run.detail}".strip()
            return False
        if not self._judge(pair, test, run.stdout):
            outcome.verdict, outcome.detail = Verdict.WRONG_ANSWER, f"test {test.index}: wrong output"
            return False
        if cost is not None:
            previous = outcome.per_test.get(test.index)
            outcome.per_test[test.index] = cost if previous is None else min(previous, cost)
        return True

    def evaluate_pair(self, pair: ProgramPair, candidates: Sequence[bytes]) -> PairResult:
        slow = ProgramOutcome("slow", 0)
        with_target = pair.target is not None and self.config.evaluate_target
        target = ProgramOutcome("target", 0) if with_target else None
        outcomes = [ProgramOutcome("candidate", i) for i in range(len(candidates))]
        middle = pair.references if with_target else ()
        references = [ProgramOutcome("reference", i) for i in range(len(middle))]
        result = PairResult(pair.key, pair.problem_id, pair.language.name, slow, target, outcomes,
                            references=references, weights=pair.weights)  # fmt: skip
        result.levels = {t.index: t.level for t in pair.tests}
        sources = [pair.slow, *([pair.target] if target is not None and pair.target else []),
                   *(source for _, source in middle), *candidates]  # fmt: skip
        everyone = [slow, *([target] if target is not None else []), *references, *outcomes]
        builds: list[Build | None] = []
        for outcome, source in zip(everyone, sources, strict=True):
            build = self._build(pair.language, source)
            outcome.compile_s = build.compile_s
            if build.verdict is not Verdict.OK:
                outcome.verdict, outcome.detail = build.verdict, build.diagnostics[-2000:]
                builds.append(None)
            else:
                builds.append(build)
        slow_build = builds[0]
        if slow_build is None:
            result.broken = f"the slow program does not compile: {slow.detail[-300:]}"
            return result
        all_tests = self._tests(pair, slow_build, result)
        result.levels = {t.index: t.level for t in all_tests}
        rounds = 1 if self.config.metric == "instructions" else self.config.repetitions
        kept: list[ProgramTest] = []
        for round_number in range(rounds):
            tests = all_tests if round_number == 0 else kept
            for position, test in enumerate(sorted(tests, key=lambda t: (t.level, t.index))):
                if round_number == 0:
                    probe = ProgramOutcome("slow", 0)
                    if not self._attempt(pair, slow_build, test, probe):
                        reason = f"slow program: {probe.verdict} {probe.detail}".strip()
                        result.dropped.append({"test": test.index, "reason": reason})
                        continue
                    kept.append(test)
                    slow.per_test[test.index] = probe.per_test.get(test.index, _FLOOR)
                    others = list(range(1, len(everyone)))
                else:
                    others = list(range(len(everyone)))
                # Rotate who goes first, so no program always runs right after another's cache-warming.
                shift = (round_number + position) % max(1, len(others))
                for i in others[shift:] + others[:shift]:
                    other = builds[i]
                    if other is None or not everyone[i].correct:
                        continue
                    self._attempt(pair, other, test, everyone[i])
        if not kept:
            result.broken = "the slow program fails every test"
            slow.per_test.clear()
        return result


def evaluate_programs(
    suite: ProgramSuite,
    generations: dict[str, list[bytes]],
    config: ProgramEvalConfig,
    *,
    progress: Callable[[PairResult], None] | None = None,
    finished: dict[str, PairResult] | None = None,
) -> list[PairResult]:
    """Evaluate every pair of ``suite`` with its candidates (``generations[pair.key]``, maybe none).

    Pairs in ``finished`` (a resumed run's, by key) are taken as they are; ``progress`` sees each new one.
    """
    results: list[PairResult] = []
    finished = finished or {}
    with BoxPool(isolation=config.isolation) as pool:
        evaluator = _Evaluator(config, pool)
        for pair in suite:
            if pair.key in finished:
                results.append(finished[pair.key])
                continue
            result = evaluator.evaluate_pair(pair, generations.get(pair.key, []))
            results.append(result)
            if progress is not None:
                progress(result)
    return results


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def summarise(
    results: Sequence[PairResult], *, threshold: float = 1.1, ks: Sequence[int] = (1,), alpha: float = 2.0
) -> dict[str, Any]:
    """PIE's figures over the pairs that are not broken."""
    scored = [r for r in results if r.broken is None]
    candidates = [c for r in scored for c in r.candidates]
    best = [r.best_speedup for r in scored]
    with_candidates = [r for r in scored if r.candidates]
    targets = [(r, r.speedup(r.target)) for r in scored if r.target is not None]
    target_speedups = [s for _, s in targets if s is not None]
    beats = [r for r, s in targets if s is not None and r.best_speedup is not None and r.best_speedup >= s]
    verdicts: dict[str, int] = {}
    for c in candidates:
        verdicts[c.verdict.value] = verdicts.get(c.verdict.value, 0) + 1
    found = [s for s in best if s is not None]
    paired = zip(scored, best, strict=True)
    pie_speedups = [1.0 if s is None else max(1.0, s) for r, s in paired if r.candidates]
    return {
        "pairs": len(results),
        "pairs_broken": [{"key": r.key, "reason": r.broken} for r in results if r.broken is not None],
        "tests_dropped": sum(len(r.dropped) for r in scored),
        "candidates": len(candidates),
        "candidates_correct": sum(1 for c in candidates if c.correct),
        "pct_correct": _share(sum(1 for c in candidates if c.correct), len(candidates)),
        "pairs_with_correct": len(found),
        # PIE's mean: a pair without a correct candidate faster than the original keeps the original (1.0).
        "speedup_mean": _mean(pie_speedups),
        "speedup_geomean": geometric_mean(found) if found else None,
        "pct_opt": _share(sum(1 for s in found if s >= threshold), len(with_candidates)),
        "target_pct_correct": _share(len(target_speedups), len(targets)),
        "target_speedup_geomean": geometric_mean(target_speedups) if target_speedups else None,
        "target_pct_opt": _share(sum(1 for s in target_speedups if s >= threshold), len(targets)),
        "pct_beats_target": _share(len(beats), sum(1 for r, s in targets if s is not None and r.candidates)),
        "verdicts": verdicts,
        # ENAMEL's eff@k against the human target, over pairs with levelled tests and a correct target.
        **_eff_at_ks(scored, ks, alpha),
        # pass@k (unbiased estimator), over pairs with at least k candidates.
        **_pass_at_ks(scored, ks),
    }


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _pass_at_ks(results: Sequence[PairResult], ks: Sequence[int]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in ks:
        counts = [(len(r.candidates), sum(1 for c in r.candidates if c.correct)) for r in results]
        out[f"pass@{k}"] = _mean([pass_at_k(n, c, k) for n, c in counts if n >= k])
    return out


def _eff_at_ks(results: Sequence[PairResult], ks: Sequence[int], alpha: float) -> dict[str, Any]:
    per_pair = [s for s in (r.efficiency_scores(alpha) for r in results) if s]
    out: dict[str, Any] = {"eff_pairs": len(per_pair)}
    for k in ks:
        usable = [scores for scores in per_pair if len(scores) >= k]
        out[f"eff@{k}"] = _mean([eff_at_k(scores, k) for scores in usable])
    return out
