"""Running an evaluation: which samples remain, who evaluates them, and writing results as they finish.

Work is cut into *units*: up to :data:`CHUNK` samples of one problem. Units run on a thread pool (each thread
drives its own sandboxed processes, so the threads spend their time waiting on pipes, not holding the GIL).
Results travel back through a queue to the calling thread, the only one that touches the store, which
commits each sample as it arrives. Units are submitted lazily, a few ahead of the workers, so memory holds
only the problems in flight, whatever the number of samples.
"""

from __future__ import annotations

import dataclasses
import json
import platform
import queue
import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from effilab import __version__
from effilab.check.checker import OutputChecker
from effilab.evaluate.distributed import run_units
from effilab.evaluate.engine import EvalConfig, ProblemContext, evaluate_sample
from effilab.evaluate.samples import SampleFile, SampleRef
from effilab.evaluate.store import ResultStore, SampleRow
from effilab.evaluate.summary import Summary, summarize
from effilab.executors.base import Executor
from effilab.executors.hosts import this_host
from effilab.measure.metadata import collect_metadata
from effilab.suites.model import Problem, Suite, fingerprint

__all__ = ["CHUNK", "Reporter", "RunInfo", "evaluate"]

CHUNK = 16
"""Samples per unit of work: small enough to spread one big problem over all workers."""


class Reporter(Protocol):
    """Where progress goes (a rich bar on a terminal, log lines otherwise)."""

    def start(self, total: int, done: int, resumed: bool) -> None: ...

    def advance(self, row: SampleRow) -> None: ...

    def note(self, text: str) -> None: ...

    def close(self) -> None: ...


@dataclasses.dataclass(frozen=True, slots=True)
class RunInfo:
    run_id: str
    resumed: bool
    already_done: int
    evaluated: int
    summary: Summary
    seed: int | None = None
    """The seed the generated inputs came from (drawn in secret for a new run unless one was given)."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Unit:
    problem: Problem
    refs: tuple[SampleRef, ...]


def run_id_for(suite: Suite, samples: SampleFile, config: EvalConfig) -> str:
    """Same suite, same sample file, same scoring configuration → same run (and so a resume)."""
    settings = {k: v for k, v in config.to_json().items() if k != "isolation"}
    return fingerprint(suite.fingerprint, samples.digest, json.dumps(settings, sort_keys=True))[:24]


def evaluate(
    suite: Suite,
    samples: SampleFile,
    store: ResultStore,
    config: EvalConfig,
    *,
    ks: tuple[int, ...],
    workers: int,
    reporter: Reporter,
    executor: Executor | None = None,
) -> RunInfo:
    """``executor``: None or ``local`` runs units on this machine's threads; another (Ray) runs them on its
    hosts (:mod:`effilab.evaluate.distributed`). Either way only this thread writes the store."""
    run_id = run_id_for(suite, samples, config)
    # Secret seeds per run: a program cannot embed the answers to inputs nobody knew in advance. A resumed
    # run reuses the seeds it drew, so its remaining samples see the same inputs. The further inputs of
    # short timed cases always get one, also where a suite's own inputs are published (enamel:).
    stored = store.run_config(run_id) or {}
    for name in ("seed", "distinct_seed"):
        if getattr(config, name) is None:
            seed = stored.get(name)
            drawn = seed if isinstance(seed, int) else secrets.randbits(62)
            config = dataclasses.replace(config, **{name: drawn})  # type: ignore[arg-type]
    metadata = collect_metadata(
        isolation=config.isolation,
        layers=(),
        backend=config.metric,
        python_version=platform.python_version(),
        hash_seed=0,
    )
    host = dataclasses.asdict(metadata)
    run_config = {
        **config.to_json(),
        "suite": suite.source,
        "suite_fingerprint": suite.fingerprint,
        "samples": str(samples.path),
        "samples_digest": samples.digest,
        "effilab": __version__,
    }
    resumed = store.open_run(run_id, run_config, host)
    done = store.done(run_id)
    units = list(_units(suite, samples, done))
    remaining = sum(len(u.refs) for u in units)
    reporter.start(samples.count, samples.count - remaining, resumed)
    try:
        for message in samples.skipped:
            reporter.note(f"skipped {message}")
        if executor is None or executor.name == "local":
            evaluated = _run_units(suite, samples, store, config, run_id, units, workers, reporter)
        else:
            prompts = {p.id: p.prompt for p in suite}
            pairs = [(u.problem, u.refs) for u in units]
            evaluated = run_units(
                executor, samples, store, config, run_id, pairs, reporter, prompts.__getitem__
            )
    finally:
        reporter.close()
    store.finish_run(run_id)
    timed = {p.id: p.timed for p in suite}
    baseline = config.baseline or "slowest reference"
    broken, dropped = store.problem_notes(run_id)
    broken = {task: reason for task, reason in broken.items() if task in samples.by_task}
    not_evaluated = {task: len(samples.by_task[task]) for task in broken}
    summary = summarize(store.samples(run_id), ks=ks, timed=timed, metric=config.metric, baseline=baseline,
                        missing=[p.id for p in suite if p.id not in samples.by_task],
                        broken=broken, not_evaluated=not_evaluated, dropped=dropped,
                        hosts=store.hosts(run_id))  # fmt: skip
    return RunInfo(run_id, resumed, samples.count - remaining, evaluated, summary, config.seed)


def _units(suite: Suite, samples: SampleFile, done: set[tuple[str, int]]) -> Iterator[_Unit]:
    for problem in suite:
        todo = [ref for ref in samples.by_task.get(problem.id, []) if (problem.id, ref.index) not in done]
        for start in range(0, len(todo), CHUNK):
            yield _Unit(problem, tuple(todo[start : start + CHUNK]))


def _run_units(
    suite: Suite,
    samples: SampleFile,
    store: ResultStore,
    config: EvalConfig,
    run_id: str,
    units: list[_Unit],
    workers: int,
    reporter: Reporter,
) -> int:
    results: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()
    contexts: dict[str, ProblemContext] = {}
    units_left = {u.problem.id: 0 for u in units}
    for unit in units:
        units_left[unit.problem.id] += 1
    prompts = {p.id: p.prompt for p in suite}
    here = this_host(config.isolation)

    def context(problem: Problem) -> ProblemContext:
        if problem.id not in contexts:

            def save(reference: dict[str, Any], task: str = problem.id) -> None:
                results.put(("reference", (task, reference)))

            contexts[problem.id] = ProblemContext(problem, config, store.reference(run_id, problem.id), save)
        return contexts[problem.id]

    def work(unit: _Unit, ctx: ProblemContext) -> None:
        _run_unit(unit, ctx, samples, prompts.__getitem__, results, stop)

    evaluated = 0
    pending: dict[Future[None], _Unit] = {}
    backlog = iter(units)
    failure: BaseException | None = None
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="effilab-eval") as pool:
        try:
            while True:
                while failure is None and len(pending) < 2 * max(1, workers):
                    next_unit = next(backlog, None)
                    if next_unit is None:
                        break
                    pending[pool.submit(work, next_unit, context(next_unit.problem))] = next_unit
                if not pending and results.empty():
                    break
                try:
                    kind, payload = results.get(timeout=0.1)
                except queue.Empty:
                    kind, payload = "", None
                if kind == "reference":
                    store.save_reference(run_id, *payload)
                elif kind == "note":
                    reporter.note(payload)
                elif kind == "sample":
                    store.add_sample(run_id, payload, host=(here.host, here.isolation))
                    evaluated += 1
                    reporter.advance(payload)
                for future in [f for f in pending if f.done()]:
                    unit = pending.pop(future)
                    units_left[unit.problem.id] -= 1
                    if units_left[unit.problem.id] == 0:
                        contexts.pop(unit.problem.id, None)  # free the problem's cases and outputs
                    error = future.exception()
                    if error is not None and failure is None:
                        failure = error
                        stop.set()
        except BaseException:
            stop.set()  # Ctrl-C: let the running samples finish their current call, store what is done
            raise
    if failure is not None:
        raise failure
    return evaluated


def _run_unit(
    unit: _Unit,
    ctx: ProblemContext,
    samples: SampleFile,
    prompt_of: Callable[[str], str],
    results: queue.Queue[tuple[str, Any]],
    stop: threading.Event,
) -> None:
    if stop.is_set():
        return
    first = ctx.ensure()
    problem = ctx.problem
    if first and ctx.dropped and ctx.broken is None:
        cases = ", ".join(f"level {c.level} case {c.case}" for c, _ in ctx.dropped[:3])
        more = f" and {len(ctx.dropped) - 3} more" if len(ctx.dropped) > 3 else ""
        results.put(("note", f"{problem.id}: dropped {cases}{more}: {ctx.dropped[0][1]}"))
    if ctx.broken is not None:
        if first:
            results.put(("note", f"{problem.id}: broken, its samples are not evaluated: {ctx.broken}"))
        return
    with OutputChecker(problem.rule, isolation=ctx.config.isolation) as checker:
        for ref in unit.refs:
            if stop.is_set():
                return
            text = samples.program_text(ref, prompt_of)
            program = problem.program(text, filename=f"{problem.id}#{ref.index}.py")
            row = evaluate_sample(
                ctx, program, task_sample=(problem.id, ref.index, ref.line), checker=checker
            )
            results.put(("sample", row))
