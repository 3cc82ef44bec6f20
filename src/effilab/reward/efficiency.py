"""`EfficiencyReward`: correctness plus efficiency as an RL reward, from effilab's own evaluator.

Every number comes from :mod:`effilab.evaluate.engine`, the code behind ``effilab evaluate``, with its trust
properties: the candidate runs only in sandboxed child processes, each timed round in fresh ones, its cost
is the kernel's CPU accounting read by the parent, every value returned under measurement is checked in the
parent, and the generated inputs come from a secret seed drawn per reward object. Each problem's context
(cases, expected outputs, reference costs) is built once per reward object and reused by every call.

A batch is judged as follows:

1. every completion is turned into a program in the parent (:mod:`effilab.reward.completions`); malformed
   ones get the malformed reward at once;
2. programs already judged (same task, same code) come from the cache, identical programs within the batch
   (or in flight for a concurrent call) are judged once;
3. the problems' contexts are built (effilab's own work, outside the time bound);
4. the remaining programs are judged concurrently on a pool of ``workers`` threads, each driving its own
   sandboxes, until the batch's time bound. A program not finished by then gets the failure reward (outcome
   ``deadline``); one not started yet is cancelled; one already running is not interrupted mid-call (every
   call and load has the engine's own limits), finishes on the same bounded pool, and its judgement is
   cached for later batches. No thread is started per batch.

With a remote executor (``executor="ray"`` or ``"ray://HOST:PORT"``, or an
:class:`~effilab.executors.Executor`) the same steps hold, but the sandboxes run on the executor's hosts:
step 3 measures each problem's references once, on one host
(:func:`~effilab.evaluate.distributed.evaluate_unit` with no samples), and keeps them in the parent; in
step 4 each judgement is one :meth:`Executor.call` of ``evaluate_unit`` with the problem, the program text,
the settings and those references, so the sample and its anchor run on the same host and every completion
of a problem is scored against the same references. Each pool thread waits on one such call, so ``workers``
still bounds the judgements in flight, and one not shipped yet is what the time bound cancels.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import secrets
import threading
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from effilab.check.checker import OutputChecker
from effilab.errors import EffilabError, InvalidArgument
from effilab.evaluate.distributed import UnitTask, evaluate_unit, row_from_json
from effilab.evaluate.engine import METRICS, EvalConfig, ProblemContext, evaluate_sample
from effilab.executors.base import Executor, make_executor, parse_executor
from effilab.reward.cache import JudgementCache
from effilab.reward.completions import prepare
from effilab.reward.errors import ProblemUnusable, RewardError, UnknownTask
from effilab.reward.results import Measured, Outcome, RewardResult
from effilab.reward.shaping import RewardShape, resolve_shape
from effilab.sandbox import ISOLATION_TIERS
from effilab.suites.model import Problem, Suite
from effilab.suites.registry import load_suite
from effilab.util.argcheck import choice, count, seconds

__all__ = ["DEFAULT_BATCH_TIMEOUT_S", "EfficiencyReward"]

DEFAULT_BATCH_TIMEOUT_S = 600.0
"""Default time bound of one batch, in seconds, once contexts are built (``batch_timeout``)."""

_ISOLATIONS = ("auto", *ISOLATION_TIERS)


@dataclasses.dataclass(slots=True)
class _Inflight:
    """A judgement being computed, and how many batches wait for it (cancelled only when none does)."""

    future: Future[Measured]
    waiters: int = 0


class EfficiencyReward:
    """A reward function for RL on code: correct, then efficient, judged by effilab's evaluator.

    Usable as is in TRL's ``GRPOTrainer(reward_funcs=[reward])``: it is called with the prompts, the
    completions and the dataset's columns as keyword lists, and reads the task of each completion from the
    column named ``task_column`` (``task_id``). ``score`` and ``score_detailed`` are the same without the
    trainer's conventions. See docs/training.md, "The reward".

    Args:
        suite: a suite name, folder or ``format:path`` (as ``effilab evaluate --suite``), or a loaded Suite.
        workers: completions judged at once (threads, each driving its own sandboxes, or waiting on one
            call of a remote executor); default: this machine's CPU count, or the Ray cluster's CPUs.
        metric: ``time`` (kernel CPU time of the sandbox), ``wall`` or ``instructions``.
        variant: a named shape (:data:`effilab.reward.VARIANTS`) or a :class:`RewardShape`.
        batch_timeout: seconds a batch may take once its problems' contexts are built (None: no bound).
        cache_size: judgements kept (LRU); 0 disables the cache.
        seed: seed of the generated inputs; default: a secret one per reward object (the suite's if fixed).
        repetitions, alpha, baseline, memory_mb, isolation: as for ``effilab evaluate``.
        task_column: the dataset column carrying the task id.
        name: the reward's ``__name__`` (TRL logs rewards under it).
        executor: where the sandboxes run: ``local`` (this machine, as before), ``ray`` (this machine's Ray
            cluster or a new local one), ``ray://HOST:PORT`` (a remote cluster through Ray Client), or an
            :class:`~effilab.executors.Executor` (used as it is, not shut down by :meth:`close`).
    """

    def __init__(
        self,
        *,
        suite: str | os.PathLike[str] | Suite = "effilab",
        workers: int | None = None,
        metric: str = "time",
        variant: str | RewardShape = "eff",
        batch_timeout: float | None = DEFAULT_BATCH_TIMEOUT_S,
        cache_size: int = 65536,
        seed: int | None = None,
        repetitions: int | None = None,
        alpha: float | None = None,
        baseline: str | None = None,
        memory_mb: int | None = None,
        isolation: str = "auto",
        task_column: str = "task_id",
        name: str = "effilab_efficiency",
        executor: str | Executor = "local",
    ) -> None:
        if workers is not None:
            count("workers", workers, low=1, high=4096)
        if isinstance(executor, Executor):
            self.executor_name = _spec_of(executor)
        else:
            parse_executor(executor)  # a bad name is refused before anything is contacted
            self.executor_name = executor
        choice("metric", metric, METRICS)
        choice("isolation", isolation, _ISOLATIONS)
        if batch_timeout is not None:
            seconds("batch_timeout", batch_timeout)
        if seed is not None:
            count("seed", seed, low=0, high=2**63 - 1)
        if not isinstance(task_column, str) or not task_column:
            raise InvalidArgument(f"task_column={task_column!r}: must be a non-empty string")
        self.shape = resolve_shape(variant)
        self.batch_timeout = batch_timeout
        self.task_column = task_column
        self.__name__ = name
        self.suite = suite if isinstance(suite, Suite) else load_suite(os.fspath(suite))
        settings = self.suite.settings
        if baseline is not None and not any(r.name == baseline for p in self.suite for r in p.references):
            raise InvalidArgument(f"baseline={baseline!r}: no reference of that name in {self.suite.name}")
        fixed_seed = seed if seed is not None else settings.seed
        self.config = EvalConfig(
            metric=metric,
            alpha=settings.alpha if alpha is None else alpha,
            repetitions=settings.repetitions if repetitions is None else repetitions,
            # A secret seed per reward object: a policy cannot learn answers to inputs nobody published.
            seed=fixed_seed if fixed_seed is not None else secrets.randbits(62),
            distinct_seed=secrets.randbits(62),  # the further inputs of short calls: never published
            check_after_censor=settings.check_after_censor,
            isolation=isolation,
            baseline=baseline,
            memory_mb=settings.memory_mb if memory_mb is None else memory_mb,
            oracle_memory_mb=settings.oracle_memory_mb,
            oracle_timeout_s=settings.oracle_timeout_s,
        )
        self.config.sample_limits()  # a limit no sandbox could take is refused now, not mid-training
        self.cache = JudgementCache(cache_size)
        self._problems = {p.id: p for p in self.suite}
        self._contexts: dict[str, ProblemContext] = {}
        self._inflight: dict[tuple[str, str], _Inflight] = {}
        # Re-entrant: a judgement that finishes at once runs its done-callback inside _submit's lock.
        self._lock = threading.RLock()
        self._pool: ThreadPoolExecutor | None = None
        self._finalizer: weakref.finalize[Any, EfficiencyReward] | None = None
        # A remote executor: references measured on its hosts, by problem (a finished future is kept).
        self._run_id = f"reward-{secrets.token_hex(8)}"
        self._references: dict[str, Future[dict[str, Any]]] = {}
        self._given = executor if isinstance(executor, Executor) else None
        self._asked_workers = workers  # a Ray cluster this object starts gets as many CPUs
        self._remote: Executor | None = None
        self._remote_finalizer: weakref.finalize[Any, EfficiencyReward] | None = None
        self.remote = self._given is not None or self.executor_name != "local"
        """True when judgements run on an executor's hosts, not on this process's own thread pool."""
        if self.remote:
            # Connected now, not on the first batch: a bad address fails here, the cluster's size is known.
            remote = self._remote_executor()
            workers = remote.max_workers if workers is None else workers
        self.workers = count("workers", os.cpu_count() or 1 if workers is None else workers, low=1, high=4096)

    # ------------------------------------------------------------------------------------ trainer face

    def __call__(
        self,
        prompts: Sequence[object] | None = None,
        completions: Sequence[object] | None = None,
        **kwargs: Any,
    ) -> list[float]:
        """TRL's reward-function convention: one float per completion, dataset columns as keyword lists.

        ``log_metric`` / ``log_extra`` callables passed by the trainer (TRL ≥ 1.0) receive the batch's
        share of correct and malformed completions, its mean efficiency, and each completion's outcome.
        """
        del prompts  # the task id, not the prompt text, says which problem a completion answers
        if completions is None:
            raise InvalidArgument("completions: missing (the reward is called with completions=[...])")
        task_ids = kwargs.get(self.task_column)
        if task_ids is None:
            raise InvalidArgument(
                f"{self.task_column}: missing; the training dataset needs a {self.task_column!r} column "
                "naming each prompt's problem"
            )
        results = self.score_detailed(task_ids, completions)
        _log(kwargs, results)
        return [r.reward for r in results]

    # ------------------------------------------------------------------------------------- plain face

    def score(self, task_ids: Sequence[str], completions: Sequence[object]) -> list[float]:
        """One reward per completion; ``task_ids[i]`` names the problem ``completions[i]`` answers."""
        return [r.reward for r in self.score_detailed(task_ids, completions)]

    def score_detailed(self, task_ids: Sequence[str], completions: Sequence[object]) -> list[RewardResult]:
        """Like :meth:`score`, with each reward's outcome, verdict, eff, speedup and whether it was cached.

        Raises :class:`UnknownTask` for a task id the suite does not have (before anything runs),
        :class:`ProblemUnusable` when a problem cannot score anything, and another :class:`EffilabError`
        when effilab itself fails (a sandbox cannot start). A candidate's failure is never an exception.
        """
        problems = self._problems_for(task_ids, completions)
        prepared = [prepare(c, p.entry) for c, p in zip(completions, problems, strict=True)]
        judged: dict[int, tuple[Measured, bool]] = {}
        todo: dict[tuple[str, str], list[int]] = {}
        for i, (problem, program) in enumerate(zip(problems, prepared, strict=True)):
            if program.malformed is not None:
                judged[i] = (Measured.malformed(program.malformed), False)
                continue
            key = (problem.id, program.digest)
            found = self.cache.get(key)
            if found is not None:
                judged[i] = (found, True)
            else:
                todo.setdefault(key, []).append(i)
        if todo:
            self._ensure_contexts({key[0] for key in todo})
            deadline = None if self.batch_timeout is None else time.monotonic() + self.batch_timeout
            waiting = self._submit(todo, problems, prepared)
            try:
                done = self._wait(waiting, deadline)
            finally:
                self._release(waiting)
            for key, indices in todo.items():
                measured = done.get(key)
                timeout = self.batch_timeout if self.batch_timeout is not None else 0.0
                for position, i in enumerate(indices):
                    result = measured if measured is not None else Measured.deadline(timeout)
                    judged[i] = (result, position > 0)  # an identical completion in the batch: reused
        return [self._result(str(task_ids[i]), *judged[i]) for i in range(len(prepared))]

    def prepare(self, task_ids: Sequence[str] | None = None) -> None:
        """Build the contexts of these problems (default: every problem of the suite) ahead of training.

        Otherwise each is built on its first batch (outside the batch's time bound).
        """
        ids = list(self._problems) if task_ids is None else [str(t) for t in task_ids]
        for task in ids:
            if task not in self._problems:
                raise UnknownTask(f"task_id {task!r}: not a problem of suite {self.suite.name}")
        self._ensure_contexts(set(ids))

    def close(self) -> None:
        """Stop the thread pool: queued judgements are cancelled, running ones finish first.

        A remote executor the reward made is shut down after them (a later batch connects again)."""
        with self._lock:
            pool, self._pool = self._pool, None
            if self._finalizer is not None:
                self._finalizer.detach()
                self._finalizer = None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        # After the pool: a judgement still running there uses the executor until it ends.
        with self._lock:
            remote, self._remote = self._remote, None  # never the caller's own executor (not kept here)
            if self._remote_finalizer is not None:
                self._remote_finalizer.detach()
                self._remote_finalizer = None
        if remote is not None:
            remote.shutdown(wait=True)

    def __enter__(self) -> EfficiencyReward:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __getstate__(self) -> dict[str, Any]:
        # Trainers may pickle reward functions (to send them to other processes): settings travel, the
        # pool, contexts, cache and locks are rebuilt there (a new process measures afresh). Of the
        # executor, its name travels (``ray://HOST:PORT`` included): the copy connects to it anew.
        return {
            "executor": self.executor_name,
            "suite": self.suite,
            "config": self.config,
            "shape": self.shape,
            "workers": self.workers,
            "batch_timeout": self.batch_timeout,
            "cache_size": self.cache.capacity,
            "task_column": self.task_column,
            "name": self.__name__,
        }

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        config: EvalConfig = state["config"]
        self.__init__(  # type: ignore[misc]
            suite=state["suite"],
            workers=state["workers"],
            metric=config.metric,
            variant=state["shape"],
            batch_timeout=state["batch_timeout"],
            cache_size=state["cache_size"],
            seed=config.seed,
            repetitions=config.repetitions,
            alpha=config.alpha,
            baseline=config.baseline,
            memory_mb=config.memory_mb,
            isolation=config.isolation,
            task_column=state["task_column"],
            name=state["name"],
            executor=state.get("executor", "local"),
        )
        self.config = config  # the same seeds too (the secret one of the further inputs included)

    # ---------------------------------------------------------------------------------------- inside

    def _problems_for(self, task_ids: Sequence[object], completions: Sequence[object]) -> list[Problem]:
        if isinstance(task_ids, str) or not isinstance(task_ids, Sequence):
            raise InvalidArgument(f"task_ids: a list of task ids, got {type(task_ids).__name__}")
        if isinstance(completions, str) or not isinstance(completions, Sequence):
            raise InvalidArgument(f"completions: a list of completions, got {type(completions).__name__}")
        if len(task_ids) != len(completions):
            raise InvalidArgument(f"{len(task_ids)} task ids for {len(completions)} completions")
        problems = []
        for task in task_ids:
            problem = self._problems.get(task) if isinstance(task, str) else None
            if problem is None:
                raise UnknownTask(f"task_id {task!r}: not a problem of suite {self.suite.name}")
            problems.append(problem)
        return problems

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="effilab-reward")
                # Forgotten without close(): the pool's idle threads are let go when the object is.
                self._finalizer = weakref.finalize(self, self._pool.shutdown, wait=False, cancel_futures=True)
            return self._pool

    def _remote_executor(self) -> Executor:
        """The executor whose hosts judge (made on first use, and again after close())."""
        with self._lock:
            if self._given is not None:
                return self._given
            if self._remote is None:
                remote = make_executor(self.executor_name, max_workers=self._asked_workers)
                self._remote = remote
                # Forgotten without close(): a Ray connection (or local cluster) it made is let go with it.
                self._remote_finalizer = weakref.finalize(self, remote.shutdown, wait=False)
            return self._remote

    def _context(self, problem: Problem) -> ProblemContext:
        with self._lock:
            ctx = self._contexts.get(problem.id)
            if ctx is None:
                # No store: the references live as long as the reward object (the save callback is moot).
                ctx = ProblemContext(problem, self.config, None, _discard)
                self._contexts[problem.id] = ctx
            return ctx

    def _ensure_contexts(self, tasks: set[str]) -> None:
        """Build the contexts not built yet, concurrently; raise if one cannot be used."""
        if self.remote:
            self._ensure_references(tasks)
            return
        contexts = [self._context(self._problems[task]) for task in sorted(tasks)]
        pool = self._executor()
        futures = [pool.submit(ctx.ensure) for ctx in contexts]
        for ctx, future in zip(contexts, futures, strict=True):
            _reraise(future, ctx.problem.id)
            if ctx.broken is not None:
                raise ProblemUnusable(f"task_id {ctx.problem.id!r}: the problem cannot score ({ctx.broken})")

    def _ensure_references(self, tasks: set[str]) -> None:
        """Measure on a host the references of the problems that have none yet, each once; raise if one
        cannot be used. A concurrent batch waits for the same measurement; a failed one is tried again."""
        with self._lock:
            futures: dict[str, Future[dict[str, Any]]] = {}
            for task in sorted(tasks):
                future = self._references.get(task)
                if future is None:
                    unit = UnitTask(self._run_id, self._problems[task], self.config, None, ())
                    future = self._references[task] = self._remote_executor().call(evaluate_unit, unit)
                futures[task] = future
        for task, future in futures.items():
            try:
                _reraise(future, task)
            except BaseException:
                with self._lock:
                    if self._references.get(task) is future:
                        del self._references[task]
                raise
            reference = future.result()["reference"]
            if "broken" in reference:
                raise ProblemUnusable(f"task_id {task!r}: the problem cannot score ({reference['broken']})")

    def _submit(
        self,
        todo: Mapping[tuple[str, str], list[int]],
        problems: Sequence[Problem],
        prepared: Sequence[Any],
    ) -> dict[tuple[str, str], _Inflight]:
        pool = self._executor()
        waiting: dict[tuple[str, str], _Inflight] = {}
        with self._lock:
            for key, indices in todo.items():
                entry = self._inflight.get(key)
                if entry is None:
                    problem = problems[indices[0]]
                    code = prepared[indices[0]].code
                    if self.remote:
                        reference = self._references[problem.id].result()["reference"]
                        future = pool.submit(self._judge_on_host, problem, reference, code)
                    else:
                        future = pool.submit(self._judge, self._contexts[problem.id], code)
                    entry = self._inflight[key] = _Inflight(future)
                    future.add_done_callback(self._finished(key))
                entry.waiters += 1
                waiting[key] = entry
        return waiting

    def _finished(self, key: tuple[str, str]) -> Callable[[Future[Measured]], None]:
        def done(future: Future[Measured]) -> None:
            with self._lock:
                self._inflight.pop(key, None)
            if not future.cancelled() and future.exception() is None:
                self.cache.put(key, future.result())

        return done

    def _wait(
        self, waiting: Mapping[tuple[str, str], _Inflight], deadline: float | None
    ) -> dict[tuple[str, str], Measured]:
        futures = {entry.future: key for key, entry in waiting.items()}
        timeout = None if deadline is None else max(deadline - time.monotonic(), 0.0)
        finished, _ = concurrent.futures.wait(futures, timeout=timeout)
        done: dict[tuple[str, str], Measured] = {}
        for future in finished:
            key = futures[future]
            if future.cancelled():
                continue
            _reraise(future, key[0])
            done[key] = future.result()
            # The done-callback may not have run yet (futures wake their waiters first): cache it now, so
            # the next batch finds it whichever thread gets there first.
            self.cache.put(key, done[key])
        return done

    def _release(self, waiting: Mapping[tuple[str, str], _Inflight]) -> None:
        """This batch stops waiting; a judgement nobody waits for any more is cancelled if not started."""
        with self._lock:
            for key, entry in waiting.items():
                entry.waiters -= 1
                if entry.waiters == 0 and not entry.future.done() and entry.future.cancel():
                    self._inflight.pop(key, None)

    def _judge(self, ctx: ProblemContext, code: str) -> Measured:
        """One program through the evaluator's correctness and timed passes (runs on a pool thread)."""
        problem = ctx.problem
        program = problem.program(code, filename=f"{problem.id}#reward.py")
        with OutputChecker(problem.rule, isolation=self.config.isolation) as checker:
            row = evaluate_sample(ctx, program, task_sample=(problem.id, 0, 0), checker=checker)
        return Measured.from_row(row)

    def _judge_on_host(self, problem: Problem, reference: dict[str, Any], code: str) -> Measured:
        """The same on one of the remote executor's hosts (this pool thread only waits for it)."""
        unit = UnitTask(self._run_id, problem, self.config, reference, ((0, 0, code),))
        result = self._remote_executor().call(evaluate_unit, unit).result()
        if not result["rows"]:
            raise ProblemUnusable(f"task_id {problem.id!r}: the problem cannot score on {result['host']}")
        return Measured.from_row(row_from_json(result["rows"][0]))

    def _result(self, task_id: str, measured: Measured, cached: bool) -> RewardResult:
        reward = self.shape.reward(measured.outcome, measured.eff, measured.speedup_vs_best, measured.beats)
        return RewardResult(
            task_id,
            reward,
            measured.outcome,
            measured.verdict,
            measured.eff,
            measured.speedup,
            measured.beats,
            cached,
            measured.detail,
            measured.seconds,
            measured.speedup_vs_best,
        )


def _spec_of(executor: Executor) -> str:
    """The name an executor object is made again from (a Ray executor's address, when it has one)."""
    address = getattr(executor, "address", None)
    return address if isinstance(address, str) else executor.name


def _discard(reference: dict[str, Any]) -> None:
    del reference


def _reraise(future: Future[Any], task: str) -> None:
    """The future's exception: effilab's own errors as they are, anything else (a bug) as a RewardError."""
    error = future.exception()
    if error is None:
        return
    if isinstance(error, EffilabError):
        raise error
    detail = f"{type(error).__name__}: {error}"
    raise RewardError(f"task_id {task!r}: effilab failed while scoring: {detail}") from error


def _log(kwargs: Mapping[str, Any], results: Sequence[RewardResult]) -> None:
    """Hand the batch's figures to the trainer's loggers when it passes them (TRL's log_metric/log_extra)."""
    if not results:
        return
    log_metric, log_extra = kwargs.get("log_metric"), kwargs.get("log_extra")
    if callable(log_metric):
        n = len(results)
        log_metric("effilab/correct", sum(r.correct for r in results) / n)
        log_metric("effilab/malformed", sum(r.outcome is Outcome.MALFORMED for r in results) / n)
        log_metric("effilab/eff", sum(r.eff for r in results) / n)
    if callable(log_extra):
        log_extra("effilab_outcome", [r.verdict for r in results])
