"""Evaluating on an executor's hosts (Ray): units shipped as plain data, rows streamed back into the store.

A *unit* is the runner's: up to :data:`~effilab.evaluate.runner.CHUNK` samples of one problem. Its task
(:func:`evaluate_unit`) carries the problem, the samples' program texts, the settings and the problem's
stored references; on the worker host it builds the problem's cases and expected outputs (the oracle runs
there) and evaluates each sample there, the sample and its anchor in the same host's sandboxes, so a
cost ratio never mixes hosts. It returns plain rows, the host and the isolation tier that host resolved.

The parent (:func:`run_units`) is the only writer of the store. It keeps at most twice the executor's
workers of units in flight, so memory does not grow with the sample file, and commits a unit's rows only
when its task has finished: a task retried after its worker died is committed once, and a run killed
meanwhile loses only units in flight, which a resume redoes.

References are measured once per problem and run: the first unit of a problem without stored references
measures them, and the problem's other units wait in the parent until those are stored, so every sample is
scored against the same references (as on the local executor, and after a resume).
"""

from __future__ import annotations

import collections
import dataclasses
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any, Protocol

from effilab.check.checker import OutputChecker
from effilab.evaluate.engine import EvalConfig, ProblemContext, evaluate_sample
from effilab.evaluate.samples import SampleFile, SampleRef
from effilab.evaluate.store import LevelRow, ResultStore, SampleRow
from effilab.executors.base import Executor
from effilab.executors.hosts import this_host
from effilab.suites.model import Problem

__all__ = ["UnitTask", "evaluate_unit", "row_from_json", "row_to_json", "run_units"]


@dataclasses.dataclass(frozen=True, slots=True)
class UnitTask:
    """Everything a host needs to evaluate one unit; nothing in it refers to the parent's state."""

    run_id: str
    problem: Problem
    config: EvalConfig
    reference: dict[str, Any] | None
    """The problem's stored references; None: this unit measures them (and returns them)."""
    samples: tuple[tuple[int, int, str], ...]
    """(sample index, line in the sample file, program text) of each sample."""


class _Reporter(Protocol):
    def advance(self, row: SampleRow) -> None: ...

    def note(self, text: str) -> None: ...


# ------------------------------------------------------------------------------------------ on the host

_contexts: collections.OrderedDict[str, ProblemContext] = collections.OrderedDict()
_contexts_lock = threading.Lock()
_KEEP = 2
"""Problem contexts a worker process keeps: consecutive units of a problem on one worker reuse the cases
and expected outputs instead of running the oracle again; more would hold more expected outputs."""


def _context_key(task: UnitTask, reference: dict[str, Any]) -> str:
    settings = json.dumps(task.config.to_json(), sort_keys=True)
    return json.dumps([task.run_id, task.problem.id, settings, reference], sort_keys=True)


def _context(task: UnitTask, saved: list[dict[str, Any]]) -> ProblemContext:
    if task.reference is None:
        # This unit measures the references: a fresh context, kept afterwards under what it measured.
        return ProblemContext(task.problem, task.config, None, saved.append)
    key = _context_key(task, task.reference)
    with _contexts_lock:
        ctx = _contexts.get(key)
        if ctx is None:
            ctx = ProblemContext(task.problem, task.config, task.reference, saved.append)
            _contexts[key] = ctx
        _contexts.move_to_end(key)
        while len(_contexts) > _KEEP:
            _contexts.popitem(last=False)
    return ctx


def _remember(task: UnitTask, ctx: ProblemContext) -> None:
    with _contexts_lock:
        _contexts[_context_key(task, ctx.reference)] = ctx
        while len(_contexts) > _KEEP:
            _contexts.popitem(last=False)


def evaluate_unit(task: UnitTask) -> dict[str, Any]:
    """Evaluate one unit on this host; the result is plain data (see :func:`run_units`)."""
    host = this_host(task.config.isolation)
    saved: list[dict[str, Any]] = []
    ctx = _context(task, saved)
    ctx.ensure()
    problem = ctx.problem
    notes: list[str] = []
    measured_here = task.reference is None
    if measured_here:
        _remember(task, ctx)
        if ctx.dropped and ctx.broken is None:
            cases = ", ".join(f"level {c.level} case {c.case}" for c, _ in ctx.dropped[:3])
            more = f" and {len(ctx.dropped) - 3} more" if len(ctx.dropped) > 3 else ""
            notes.append(f"{problem.id}: dropped {cases}{more}: {ctx.dropped[0][1]}")
    rows: list[dict[str, Any]] = []
    if ctx.broken is None:
        with OutputChecker(problem.rule, isolation=task.config.isolation) as checker:
            for index, line, text in task.samples:
                program = problem.program(text, filename=f"{problem.id}#{index}.py")
                row = evaluate_sample(ctx, program, task_sample=(problem.id, index, line), checker=checker)
                rows.append(row_to_json(row))
    return {
        "host": host.host,
        "isolation": host.isolation,
        "reference": (saved[0] if saved else ctx.reference) if measured_here else None,
        "notes": notes,
        "rows": rows,
    }


def row_to_json(row: SampleRow) -> dict[str, Any]:
    return dataclasses.asdict(row)


def row_from_json(data: dict[str, Any]) -> SampleRow:
    levels = tuple(LevelRow(**{**lv, "tests": tuple(lv["tests"])}) for lv in data["levels"])
    return SampleRow(**{**data, "levels": levels})


# --------------------------------------------------------------------------------------- in the parent

Unit = tuple[Problem, tuple[SampleRef, ...]]


def run_units(
    executor: Executor,
    samples: SampleFile,
    store: ResultStore,
    config: EvalConfig,
    run_id: str,
    units: Sequence[Unit],
    reporter: _Reporter,
    prompt_of: Callable[[str], str],
) -> int:
    """Evaluate ``units`` on ``executor``'s hosts, committing rows as units finish; samples committed."""
    scheduler = _Scheduler(store, run_id, units, reporter)
    pending: dict[Future[dict[str, Any]], Unit] = {}
    committed: set[tuple[str, int]] = set()
    limit = 2 * max(1, executor.max_workers)
    while True:
        while len(pending) < limit:
            item = scheduler.next()
            if item is None:
                break
            (problem, refs), reference = item
            texts = tuple((ref.index, ref.line, samples.program_text(ref, prompt_of)) for ref in refs)
            task = UnitTask(run_id, problem, config, reference, texts)
            pending[executor.call(evaluate_unit, task)] = (problem, refs)
        if not pending:
            return len(committed)
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            problem, _ = pending.pop(future)
            result = future.result()  # an error of effilab's or the suite's stops the run, as locally
            if result["reference"] is not None:
                scheduler.measured(problem.id, result["reference"])
            for text in result["notes"]:
                reporter.note(text)
            for data in result["rows"]:
                row = row_from_json(data)
                key = (row.task_id, row.sample)
                if key in committed:
                    continue  # never twice, whatever a retry returned
                store.add_sample(run_id, row, host=(result["host"], result["isolation"]))
                committed.add(key)
                reporter.advance(row)


class _Scheduler:
    """Hands out units in file order, holding a problem's units back while its references are measured."""

    def __init__(self, store: ResultStore, run_id: str, units: Sequence[Unit], reporter: _Reporter) -> None:
        self._store = store
        self._run_id = run_id
        self._backlog: Iterator[Unit] = iter(units)
        self._reporter = reporter
        self._references: dict[str, dict[str, Any] | None] = {}
        self._held: dict[str, list[Unit]] = {}
        self._ready: collections.deque[tuple[Unit, dict[str, Any]]] = collections.deque()

    def next(self) -> tuple[Unit, dict[str, Any] | None] | None:
        """The next unit to ship with its stored references (None: it measures them), or None for now."""
        if self._ready:
            return self._ready.popleft()
        for unit in self._backlog:
            task_id = unit[0].id
            if task_id not in self._references:
                self._references[task_id] = self._store.reference(self._run_id, task_id)
                if self._broken(task_id):
                    continue
            reference = self._references[task_id]
            if reference is not None:
                if "broken" in reference:
                    continue
                return unit, reference
            if task_id in self._held:
                self._held[task_id].append(unit)  # its references are being measured
                continue
            self._held[task_id] = []
            return unit, None
        return None

    def measured(self, task_id: str, reference: dict[str, Any]) -> None:
        """A unit measured ``task_id``'s references: store them, release the units that waited."""
        self._store.save_reference(self._run_id, task_id, reference)
        self._references[task_id] = self._store.reference(self._run_id, task_id)
        waiting = self._held.pop(task_id, [])
        stored = self._references[task_id]
        if stored is not None and not self._broken(task_id):
            self._ready.extend((unit, stored) for unit in waiting)

    def _broken(self, task_id: str) -> bool:
        reference = self._references.get(task_id)
        if reference is None or "broken" not in reference:
            return False
        self._reporter.note(f"{task_id}: broken, its samples are not evaluated: {reference['broken']}")
        return True
