"""One-shot execution: start a sandbox, load a candidate, make the calls, stop. Plain data in, plain data out.

This is the unit of work the executors distribute (locally or, later, on Ray): a :class:`RunRequest` holds
only the program text and plain values, so it can be shipped to another process or machine.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from effilab.sandbox.limits import Limits
from effilab.sandbox.verdict import Verdict
from effilab.sandbox.worker import CallResult, LoadResult, Worker

__all__ = ["RunRequest", "RunResult", "run"]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class RunRequest:
    """Run ``entry`` of one candidate program on each argument tuple in ``calls``."""

    source: bytes
    entry: str
    calls: Sequence[Sequence[object]]
    filename: str = "candidate.py"
    limits: Limits = dataclasses.field(default_factory=Limits)
    isolation: str = "auto"
    read_paths: tuple[str, ...] = ()
    stop_on_failure: bool = True
    """Stop at the first call that does not return ``ok`` (the worker may be dead anyway)."""


@dataclasses.dataclass(frozen=True, slots=True)
class RunResult:
    """What happened: the load, then one result per call made (fewer than requested if stopped early)."""

    load: LoadResult
    calls: tuple[CallResult, ...]
    isolation: str
    layers: tuple[str, ...]
    python_version: str
    start_ns: int
    """Time to launch and confine the interpreter (not counting the load)."""

    @property
    def verdict(self) -> Verdict:
        """The first failure, or ``ok`` if the load and every call succeeded."""
        if not self.load.verdict.is_ok:
            return self.load.verdict
        for call in self.calls:
            if not call.verdict.is_ok:
                return call.verdict
        return Verdict.OK


def run(request: RunRequest) -> RunResult:
    """Execute a :class:`RunRequest` in a fresh sandbox. Raises only when effilab itself fails."""
    with Worker(limits=request.limits, isolation=request.isolation, read_paths=request.read_paths) as worker:
        load = worker.load(request.source, entry=request.entry, filename=request.filename)
        calls: list[CallResult] = []
        if load.verdict.is_ok:
            for args in request.calls:
                result = worker.call(args)
                calls.append(result)
                if not result.verdict.is_ok and (request.stop_on_failure or not worker.alive):
                    break
        return RunResult(
            load, tuple(calls), worker.isolation.name, worker.layers, worker.python_version, worker.start_ns
        )
