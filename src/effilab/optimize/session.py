"""The optimize loop: gather inputs, profile, propose, verify, measure, accept — or say nothing was found.

Strategies (``--strategy``):

* ``numba`` (offline, the default without ``--model``): the compiler variants of :mod:`compilers`.
* ``best-of-n``: ``n`` independent proposals from one prompt.
* ``refine`` (the default with ``--model``): ``rounds`` rounds of ``n`` proposals; each prompt carries every
  earlier attempt's code, verdict and evidence (the failing input, the error, the measured speedup, the
  candidate's own hot lines) and asks to improve on the best verified version so far.
* ``beam``: ``rounds`` rounds; each round asks for ``n`` children of each of the ``beam_width`` best
  verified candidates (the first round starts from the original) — a small evolutionary search.

Budgets (model calls, tokens, wall time) are checked before every request. Candidates are verified and
measured one at a time, so measurements never compete with each other for the CPU.
"""

from __future__ import annotations

import ast
import dataclasses
import secrets
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument
from effilab.generate.runner import default_temperature
from effilab.measure.sampler import short_repr
from effilab.models.chat import ChatClient, ChatFailure, ChatReply
from effilab.optimize import measuring
from effilab.optimize.attempt import Attempt, Outcome
from effilab.optimize.compilers import CompilerUnavailable, compiler_variants
from effilab.optimize.extract import ExtractionError, extract_candidate
from effilab.optimize.inputs import InputPlan, plan_inputs
from effilab.optimize.patch import apply_patch, unified_diff
from effilab.optimize.policy import import_violations
from effilab.optimize.probes import structured_inputs
from effilab.optimize.project import Project, TestRun, locate_project, run_tests
from effilab.optimize.prompts import DEFAULT_PROMPTS, build_messages, load_templates
from effilab.optimize.results import InputsSummary, ProjectTestsSummary, Usage, VersionFacts
from effilab.optimize.store import TrajectoryStore
from effilab.optimize.strategies import LLM_STRATEGIES, STRATEGIES, Strategy, resolve_strategy
from effilab.optimize.target import Target, parse_target, replace_function
from effilab.optimize.verify import Oracle, Verifier
from effilab.sandbox import Limits

__all__ = ["LLM_STRATEGIES", "STRATEGIES", "OptimizeConfig", "OptimizeResult", "optimize"]

_SHOWN_EXAMPLES = 3
FRESH_INPUTS = 12
"""Random fresh inputs per candidate (from the generator or type hints, else perturbed examples)."""
PROBES = 256
"""Structured probes per run, checked on every candidate (docs/optimize.md says why this many)."""
FRESH_PROBES = 64
"""Structured probes made for one candidate only, from its own seed."""
_RECORD_LIMIT = 200
_EXTRACTION_OUTCOMES = {
    "no_code": Outcome.NO_CODE,
    "missing_function": Outcome.NO_CODE,
    "not_a_function": Outcome.NO_CODE,
    "syntax_error": Outcome.SYNTAX_ERROR,
    "signature_changed": Outcome.SIGNATURE_CHANGED,
}

Log = Callable[[str], None]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class OptimizeConfig:
    strategy: str = "auto"
    model: str | None = None
    base_url: str | None = None
    api_key: str = ""
    temperature: float | None = None
    """None: greedy for one proposal per round, 0.8 for several."""
    n: int = 3
    rounds: int = 3
    beam_width: int = 2
    max_calls: int = 12
    max_tokens: int | None = None
    """Per reply; None: the server's default."""
    token_budget: int | None = None
    """Prompt + completion tokens over the whole run; None: unlimited."""
    time_budget_s: float = 1800.0
    price_in: float = 0.0
    """US$ per million prompt tokens, for the cost shown (0: not shown)."""
    price_out: float = 0.0
    request_timeout_s: float = 120.0
    prompts: str = DEFAULT_PROMPTS
    inputs: str | None = None
    project: Path | None = None
    tests: tuple[Path, ...] | None = None
    run_tests: bool = True
    """False (``--no-tests``): go on without the project's tests. Otherwise tests that exist must run."""
    site_packages: tuple[Path, ...] | None = None
    """The user's environment for the sandboxed tests; None: the project's own venv, if any."""
    seed: int | None = None
    """Seed of every generated verification input; None: a fresh secret one per run (reported)."""
    min_checked: int = 50
    """A candidate is accepted only after matching the original on at least this many inputs."""
    allow_deps: bool = False
    float_tol: float = 1e-9
    confidence: float = 0.95
    measure_budget_s: float = 20.0
    isolation: str = "auto"
    memory_mb: int = 2048
    test_timeout_s: float = 300.0

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise InvalidArgument(f"--strategy {self.strategy!r}: choose one of {', '.join(STRATEGIES)}")
        if self.strategy_object.uses_model and not self.model:
            raise InvalidArgument(f"--strategy {self.strategy}: needs --model (and an endpoint)")
        for name in ("n", "rounds", "beam_width", "max_calls"):
            if getattr(self, name) < 1:
                raise InvalidArgument(f"--{name.replace('_', '-')}={getattr(self, name)}: must be ≥ 1")
        if not 0.5 <= self.confidence < 1:
            raise InvalidArgument(f"--confidence={self.confidence}: must be in [0.5, 1)")
        if not (self.time_budget_s > 0 and self.measure_budget_s > 0):
            raise InvalidArgument("--time-budget and --measure-budget must be positive")
        if not self.float_tol >= 0:
            raise InvalidArgument(f"--float-tol={self.float_tol}: must be ≥ 0")
        if self.min_checked < 1:
            raise InvalidArgument(f"--min-checked={self.min_checked}: must be ≥ 1")
        if self.seed is not None and not 0 <= self.seed < 2**63:
            raise InvalidArgument(f"--seed={self.seed}: must be in [0, 2**63)")

    @property
    def resolved_strategy(self) -> str:
        return self.strategy_object.name

    @property
    def strategy_object(self) -> Strategy:
        return resolve_strategy(self.strategy, model=self.model)

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("api_key")
        data["strategy"] = self.resolved_strategy
        return {k: _plain_paths(v) for k, v in data.items()}


@dataclasses.dataclass(slots=True)
class OptimizeResult:
    target: str
    strategy: str
    accepted: bool
    best: Attempt | None
    patch: str
    attempts: list[Attempt]
    original: VersionFacts
    """The original's workload, hot lines and (when a candidate was accepted) measured facts."""
    candidate: VersionFacts
    """The accepted candidate's measured facts (empty when none was accepted)."""
    inputs: InputsSummary
    usage: Usage
    notes: list[str]
    elapsed_s: float
    applied: str | None = None
    """The backup file written by ``--apply``; None when the user's file was not modified."""
    run_id: int | None = None

    @property
    def speedup(self) -> float | None:
        return self.best.speedup if self.best else None

    @property
    def ci(self) -> tuple[float, float] | None:
        return self.best.ci if self.best else None

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "strategy": self.strategy,
            "accepted": self.accepted,
            "speedup": self.speedup,
            "ci": list(self.ci) if self.ci else None,
            "patch": self.patch,
            "applied": self.applied,
            "original": self.original.to_json(),
            "candidate": self.candidate.to_json(),
            "inputs": self.inputs.to_json(),
            "attempts": [a.to_json() for a in self.attempts],
            "usage": self.usage.to_json(),
            "notes": self.notes,
            "elapsed_s": round(self.elapsed_s, 2),
            "run_id": self.run_id,
        }


def optimize(
    spec: str,
    config: OptimizeConfig,
    *,
    db: str | Path | None = None,
    apply: bool = False,
    log: Log | None = None,
) -> OptimizeResult:
    """Optimize the function named by ``spec`` (``path.py::name`` or ``path.py::Class.method``)."""
    target = parse_target(spec)
    project = locate_project(
        target, root=config.project, tests=config.tests, site_packages=config.site_packages
    )
    if config.seed is None:
        config = dataclasses.replace(config, seed=secrets.randbits(63))
    store = TrajectoryStore(db, target=spec, config=config.to_json()) if db is not None else None
    try:
        session = _Session(spec, target, project, config, store, log or (lambda _message: None))
        result = session.run()
        if apply and result.accepted and result.best is not None:
            backup = apply_patch(target.path, target.module_source, result.best.module_source)
            result.applied = str(backup)
        if store is not None:
            result.run_id = store.run_id
            store.finish(result.to_json())
        return result
    finally:
        if store is not None:
            store.close()


class _Session:
    def __init__(
        self,
        spec: str,
        target: Target,
        project: Project,
        config: OptimizeConfig,
        store: TrajectoryStore | None,
        log: Log,
    ) -> None:
        self.spec, self.target, self.project, self.config = spec, target, project, config
        self.store, self.log = store, log
        self.started = time.monotonic()
        self.attempts: list[Attempt] = []
        self.notes: list[str] = []
        self.calls = self.prompt_tokens = self.completion_tokens = 0
        self.seen: dict[str, Attempt] = {}
        self._facts_cache: dict[str, VersionFacts] = {}
        assert config.seed is not None, "optimize() draws the seed"
        self.seed = config.seed
        self.tests_status = "not run"

    # ----------------------------------------------------------------------------------------- stages

    def run(self) -> OptimizeResult:
        config, target, project = self.config, self.target, self.project
        baseline = self._baseline_tests()
        recorded = baseline.calls if baseline is not None else ()
        plan = plan_inputs(
            target, recorded=recorded, generator=config.inputs, isolation=config.isolation, seed=self.seed
        )
        self.notes += plan.notes
        if not plan.examples:
            raise InvalidArgument(
                f"{self.spec}: no inputs to test it with: the tests (if any) never called it with plain "
                "data, and its parameters lack supported type hints; pass --inputs GEN.py"
            )
        limits = Limits(timeout_s=30.0, load_timeout_s=60.0, memory_mb=config.memory_mb)
        with Oracle(project, target, limits=limits, isolation=config.isolation) as oracle:
            error = oracle.load_error()
            if error is not None:
                raise InvalidArgument(f"{self.spec}: {error}")
            self.log(f"inputs: {'; '.join(plan.sources)}")
            self.log("computing the original's results on the examples and the structured probes")
            verifier = Verifier(
                oracle,
                examples=plan.examples,
                probes=structured_inputs(plan.examples, count=PROBES, seed=self.seed),
                shown_count=_SHOWN_EXAMPLES,
                float_tol=config.float_tol,
                baseline_tests=baseline,
                memory_mb=config.memory_mb,
                test_timeout_s=config.test_timeout_s,
                min_checked=self._min_checked(),
                seed=self.seed,
            )
            if oracle.dropped_by_reason:
                reasons = ", ".join(f"{n} {why}" for why, n in sorted(oracle.dropped_by_reason.items()))
                example = f", e.g. {oracle.dropped[0]}" if oracle.dropped else ""
                self.notes.append(f"inputs dropped from verification ({reasons}){example}")
            if not verifier.examples:
                raise InvalidArgument(f"{self.spec}: the original fails on every input: {oracle.dropped[0]}")
            checkable = len(verifier.cases) + FRESH_INPUTS + FRESH_PROBES
            if checkable < verifier.min_checked:
                raise InvalidArgument(
                    f"{self.spec}: at most {checkable} inputs can check a candidate, fewer than "
                    f"--min-checked {verifier.min_checked}; give more inputs (--inputs GEN.py, tests) "
                    "or lower --min-checked"
                )
            self.log(
                f"differential tests: {len(verifier.examples)} examples + {len(verifier.probes)} structured "
                "probes; finding a workload"
            )
            workload = self._workload(plan, verifier)
            self.log(f"workload: {workload.describe()}")
            original_profile = measuring.profile(
                project,
                target,
                target.module_source,
                workload.inputs,
                isolation=config.isolation,
                memory_mb=config.memory_mb,
            )
            hot = measuring.hot_lines(original_profile, target.module_source)
            strategy = config.strategy_object
            if not strategy.uses_model:
                self._compile(verifier, plan, workload)
            else:
                profile = _describe_facts(self._facts(target.module_source, plan, workload)) + hot
                self._llm(strategy, verifier, plan, workload, profile)
        return self._result(plan, workload, hot, verifier)

    def _min_checked(self) -> int:
        # A function of no arguments has exactly one input.
        return 1 if not self.target.call_params else self.config.min_checked

    def _baseline_tests(self) -> TestRun | None:
        """The project's tests against the original; they must run unless the user said --no-tests."""
        if not self.project.tests:
            self.tests_status = "none found"
            return None
        if not self.config.run_tests:
            self.tests_status = "disabled (--no-tests)"
            self.notes.append("the project's tests were not run (--no-tests)")
            return None
        self.log(
            f"running the project's tests against the original ({', '.join(map(str, self.project.tests))})"
        )
        run = run_tests(
            self.project,
            self.target,
            self.target.module_source,
            record_limit=_RECORD_LIMIT,
            timeout_s=self.config.test_timeout_s,
            memory_mb=self.config.memory_mb,
            isolation=self.config.isolation,
        )
        problem = run.problem
        if problem is not None:
            raise InvalidArgument(
                f"the project's tests could not run in the sandbox ({problem}); make them runnable (the "
                "sandbox imports pytest and the project's dependencies from effilab's environment and "
                "from --site-packages DIR, by default the project's .venv), or pass --no-tests to go on "
                "without them"
            )
        if run.collected_none:
            self.tests_status = "none collected"
            self.notes.append(f"pytest collected no tests from {', '.join(map(str, self.project.tests))}")
            return None
        self.tests_status = "ran"
        failed = run.failed
        if failed:
            self.notes.append(
                f"{len(failed)} tests fail with the original too (ignored): {', '.join(failed[:3])}"
            )
        self.log(f"tests: {len(run.passed)} pass with the original; {len(run.calls)} calls recorded")
        return run

    def _workload(self, plan: InputPlan, verifier: Verifier) -> measuring.Workload:
        try:
            return measuring.find_workload(
                self.project,
                self.target,
                plan,
                examples=[(a, o.wall_s) for a, o in verifier.cases],
                isolation=self.config.isolation,
                memory_mb=self.config.memory_mb,
                progress=self.log,
            )
        except RuntimeError as exc:
            raise InvalidArgument(f"{self.spec}: {exc}") from None

    # -------------------------------------------------------------------------------------- strategies

    def _compile(self, verifier: Verifier, plan: InputPlan, workload: measuring.Workload) -> None:
        try:
            variants = compiler_variants(self.target)
        except CompilerUnavailable as exc:
            attempt = self._new("numba", 1, None)
            self._finish(attempt.reject(Outcome.UNSUPPORTED, str(exc)))
            return
        for variant in variants:
            attempt = self._new("numba", 1, None)
            attempt.detail = variant.label
            attempt.function_source = variant.function_source
            attempt.module_source = variant.module_source
            self.log(f"attempt #{attempt.index}: {variant.label}")
            self._evaluate(attempt, verifier, plan, workload, profile=False)
            if attempt.outcome is Outcome.ACCEPTED:
                attempt.detail = f"{variant.label}: {attempt.detail}"
                break

    def _llm(
        self,
        strategy: Strategy,
        verifier: Verifier,
        plan: InputPlan,
        workload: measuring.Workload,
        profile: str,
    ) -> None:
        config = self.config
        templates = load_templates(config.prompts)
        examples = "\n".join(
            f"- {self.target.name}{short_repr(args, 400)} -> {short_repr(obs.result, 200)}"
            for args, obs in verifier.shown
        )
        temperature = default_temperature(config.n) if config.temperature is None else config.temperature
        rounds = strategy.rounds(config.rounds)
        assert config.model is not None
        with ChatClient(
            model=config.model,
            base_url=config.base_url,
            api_key=config.api_key,
            timeout_s=config.request_timeout_s,
        ) as client:
            for round_ in range(1, rounds + 1):
                parents = strategy.parents(self._verified(), config.beam_width)
                jobs: list[tuple[Attempt | None, list[dict[str, str]]]] = []
                for parent in parents:
                    history = strategy.history(self.attempts, parent)
                    messages = build_messages(
                        templates,
                        self.target,
                        module=self.project.module,
                        workload=workload.describe(),
                        profile=profile,
                        examples=examples,
                        history=history,
                        start_from=parent,
                    )
                    jobs += [(parent, messages)] * config.n
                jobs = jobs[: self._calls_left()]
                if not jobs:
                    self.notes.append("stopped: the model-call, token or time budget is spent")
                    return
                self.log(f"round {round_}: asking {config.model} for {len(jobs)} proposals")
                replies = self._ask(client, [m for _, m in jobs], temperature)
                if round_ == 1 and all(isinstance(r, ChatFailure) for r in replies):
                    # Not one answer to the first request(s): the endpoint is down or wrong, not the code.
                    reason = replies[0].reason if isinstance(replies[0], ChatFailure) else ""
                    raise InvalidArgument(f"the model endpoint failed on every request: {reason}")
                for (parent, messages), reply in zip(jobs, replies, strict=True):
                    attempt = self._new(strategy.name, round_, parent.index if parent else None)
                    attempt.messages = messages
                    self._from_reply(attempt, reply, verifier, plan, workload)
                    if not self._budget_left():
                        self.notes.append("stopped: the token or time budget is spent")
                        return

    def _verified(self) -> list[Attempt]:
        """Verified attempts, fastest first (what strategies build on)."""
        return sorted(
            (a for a in self.attempts if a.outcome is not None and a.outcome.verified),
            key=lambda a: a.speedup or 0.0,
            reverse=True,
        )

    def _ask(
        self, client: ChatClient, batch: Sequence[list[dict[str, str]]], temperature: float
    ) -> list[ChatReply | ChatFailure]:
        def one(messages: list[dict[str, str]]) -> ChatReply | ChatFailure:
            try:
                return client.complete(messages, temperature=temperature, max_tokens=self.config.max_tokens)
            except ChatFailure as failure:
                return failure

        self.calls += len(batch)
        with ThreadPoolExecutor(max_workers=min(4, len(batch))) as pool:
            replies = list(pool.map(one, batch))
        for reply in replies:
            if isinstance(reply, ChatReply):
                self.prompt_tokens += reply.prompt_tokens or 0
                self.completion_tokens += reply.completion_tokens or 0
        return replies

    def _from_reply(
        self,
        attempt: Attempt,
        reply: ChatReply | ChatFailure,
        verifier: Verifier,
        plan: InputPlan,
        workload: measuring.Workload,
    ) -> None:
        if isinstance(reply, ChatFailure):
            self._finish(
                attempt.reject(
                    Outcome.MODEL_ERROR, f"the model endpoint failed: {reply.reason} ({reply.attempts} tries)"
                )
            )
            return
        attempt.reply = reply.content
        attempt.prompt_tokens = reply.prompt_tokens or 0
        attempt.completion_tokens = reply.completion_tokens or 0
        try:
            candidate = extract_candidate(reply.content, self.target)
        except ExtractionError as exc:
            self._finish(attempt.reject(_EXTRACTION_OUTCOMES.get(exc.kind, Outcome.NO_CODE), str(exc)))
            return
        attempt.function_source = candidate.function_source
        violations = import_violations(candidate, self.target, allow_deps=self.config.allow_deps)
        if violations:
            self._finish(attempt.reject(Outcome.FORBIDDEN, "; ".join(violations)))
            return
        attempt.module_source = replace_function(
            self.target,
            candidate.function_source,
            new_imports=candidate.imports,
            new_helpers=candidate.helpers,
        )
        self._evaluate(attempt, verifier, plan, workload, profile=True)

    # ---------------------------------------------------------------------------------------- pipeline

    def _evaluate(
        self,
        attempt: Attempt,
        verifier: Verifier,
        plan: InputPlan,
        workload: measuring.Workload,
        *,
        profile: bool,
    ) -> None:
        started = time.monotonic()
        key = _normalized(attempt.module_source)
        earlier = self.seen.get(key)
        if earlier is not None and earlier.outcome is not None:
            self._finish(
                attempt.reject(
                    Outcome.DUPLICATE,
                    f"same code as #{earlier.index} ({earlier.outcome.value})",
                    speedup=earlier.speedup,
                    ci=earlier.ci,
                )
            )
            return
        self.seen[key] = attempt
        config = self.config
        # Each candidate's own inputs come from a seed derived from the run's secret one and its index.
        own_seed = (self.seed + 7919 * attempt.index) % 2**63
        fresh = plan.fresh(FRESH_INPUTS, seed=own_seed)
        fresh += structured_inputs(plan.examples, count=FRESH_PROBES, seed=own_seed)
        if verifier.check(attempt, fresh):
            self.log(f"attempt #{attempt.index}: verified on {attempt.checked} inputs; measuring")
            measuring.measure(
                self.project,
                self.target,
                attempt,
                workload,
                confidence=config.confidence,
                budget_s=config.measure_budget_s,
                float_tol=config.float_tol,
                isolation=config.isolation,
                memory_mb=config.memory_mb,
            )
            if profile and attempt.outcome is Outcome.NOT_FASTER:
                report = measuring.profile(
                    self.project,
                    self.target,
                    attempt.module_source,
                    workload.inputs,
                    isolation=config.isolation,
                    memory_mb=config.memory_mb,
                )
                attempt.hot_lines = measuring.hot_lines(report, attempt.module_source)
        attempt.elapsed_s = time.monotonic() - started
        self._finish(attempt)

    def _new(self, strategy: str, round_: int, parent: int | None) -> Attempt:
        attempt = Attempt(index=len(self.attempts) + 1, strategy=strategy, round=round_, parent=parent)
        self.attempts.append(attempt)
        return attempt

    def _finish(self, attempt: Attempt) -> None:
        self.log(f"attempt {attempt.summary_line()}")
        if self.store is not None:
            self.store.record(attempt)

    def _budget_left(self) -> bool:
        config = self.config
        tokens = self.prompt_tokens + self.completion_tokens
        if config.token_budget is not None and tokens >= config.token_budget:
            return False
        return time.monotonic() - self.started < config.time_budget_s

    def _calls_left(self) -> int:
        return max(0, self.config.max_calls - self.calls) if self._budget_left() else 0

    # ------------------------------------------------------------------------------------------ result

    def _facts(self, source: str, plan: InputPlan, workload: measuring.Workload) -> VersionFacts:
        """Peak Python-heap memory of one workload call and the empirical complexity (cached per source)."""
        cached = self._facts_cache.get(source)
        if cached is not None:
            return cached
        config = self.config
        peak = measuring.peak_memory(
            self.project,
            self.target,
            source,
            workload.inputs[0],
            isolation=config.isolation,
            memory_mb=config.memory_mb,
            timeout_s=max(30.0, 50 * workload.call_s),
        )
        facts = VersionFacts(measured=True, peak_bytes=peak)
        if workload.size is not None:
            self.log("estimating the empirical complexity")
            fitted = measuring.complexity(
                self.project,
                self.target,
                source,
                plan,
                workload.size,
                isolation=config.isolation,
                memory_mb=config.memory_mb,
            )
            facts = dataclasses.replace(facts, complexity_measured=True, complexity=fitted)
        self._facts_cache[source] = facts
        return facts

    def _result(
        self, plan: InputPlan, workload: measuring.Workload, hot: str, verifier: Verifier
    ) -> OptimizeResult:
        config, target = self.config, self.target
        accepted = [a for a in self.attempts if a.outcome is Outcome.ACCEPTED]
        best = max(accepted, key=lambda a: a.speedup or 0.0) if accepted else None
        original = VersionFacts(workload=workload.describe(), hot_lines=hot)
        candidate = VersionFacts()
        patch = ""
        if best is not None:
            patch = unified_diff(target.path, target.module_source, best.module_source)
            measured = self._facts(target.module_source, plan, workload)
            original = dataclasses.replace(measured, workload=original.workload, hot_lines=hot)
            candidate = self._facts(best.module_source, plan, workload)
        cost = (self.prompt_tokens * config.price_in + self.completion_tokens * config.price_out) / 1e6
        usage = Usage(
            model=config.model,
            model_calls=self.calls,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            cost_usd=round(cost, 6) if config.price_in or config.price_out else None,
            prompts=config.prompts if config.strategy_object.uses_model else None,
        )
        baseline = verifier.baseline_tests
        inputs = InputsSummary(
            seed=self.seed,
            sources=tuple(plan.sources),
            examples=len(verifier.examples),
            structured=len(verifier.probes),
            differential=len(verifier.cases),
            fresh_per_candidate=FRESH_INPUTS + FRESH_PROBES,
            dropped=dict(sorted(verifier.oracle.dropped_by_reason.items())),
            min_checked=verifier.min_checked,
            tests=ProjectTestsSummary(
                status=self.tests_status,
                ran=len(baseline.outcomes) if baseline else 0,
                passed_with_original=len(baseline.passed) if baseline else 0,
                failed_with_original=len(baseline.failed) if baseline else 0,
            ),
        )
        return OptimizeResult(
            self.spec,
            config.resolved_strategy,
            best is not None,
            best,
            patch,
            self.attempts,
            original,
            candidate,
            inputs,
            usage,
            self.notes,
            time.monotonic() - self.started,
        )


def _plain_paths(value: object) -> object:
    """Paths (alone or in tuples, as ``--tests`` and ``--site-packages`` give them) as strings, for JSON."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain_paths(item) for item in value]
    return value


def _describe_facts(facts: VersionFacts) -> str:
    """The original's memory and complexity as two lines for the prompt's profile block."""
    lines = []
    complexity = facts.complexity
    if complexity:
        lines.append(f"empirical complexity: {complexity['class']} (sizes {complexity['sizes']})")
    if isinstance(facts.peak_bytes, int):
        lines.append(f"peak Python heap per call: {facts.peak_bytes / 1024:.1f} KiB")
    return "".join(f"{line}\n" for line in lines)


def _normalized(source: str) -> str:
    """Code identity up to formatting and comments (so a re-sent answer is not measured twice)."""
    try:
        return ast.dump(ast.parse(source))
    except SyntaxError:
        return source
