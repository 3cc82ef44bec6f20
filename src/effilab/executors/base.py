"""The executor interface: submit plain-data work items, get futures back.

Two kinds of work: :meth:`Executor.submit` runs one sandboxed :class:`~effilab.sandbox.RunRequest`, and
:meth:`Executor.call` runs a module-level function of effilab on one plain-data argument on one of the
executor's hosts (a unit of an evaluation: the function starts the sandboxes there). Nothing in either
refers to local state, so the same code runs on a local thread pool (``local``) or a Ray cluster (``ray``,
``ray://ADDRESS``; :mod:`effilab.executors.ray_executor`, imported only when asked for).
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import TypeVar

from effilab.errors import InvalidArgument
from effilab.sandbox.run import RunRequest, RunResult, run

__all__ = ["EXECUTORS", "Executor", "ExecutorFactory", "make_executor", "parse_executor", "stream"]

T = TypeVar("T")
A = TypeVar("A")
R = TypeVar("R")


class Executor(abc.ABC):
    """Runs sandboxed work items concurrently. Use as a context manager."""

    name: str
    max_workers: int

    @abc.abstractmethod
    def call(self, fn: Callable[[A], R], arg: A) -> Future[R]:
        """Run ``fn(arg)`` on one of the executor's hosts.

        ``fn`` is a module-level function of effilab (a remote host imports it by name); ``arg`` and the
        result are plain data. ``fn`` may run more than once for one call (a lost host's work is retried),
        so it must not have effects beyond its result: the caller commits what a finished call returned.
        """

    def submit(self, request: RunRequest) -> Future[RunResult]:
        """Schedule one sandboxed run."""
        return self.call(run, request)

    @abc.abstractmethod
    def shutdown(self, *, wait: bool = True, cancel_pending: bool = False) -> None:
        """Stop accepting work; optionally wait for, or cancel, what is queued."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        # On an exception (Ctrl-C included) do not start queued work; running sandboxes finish or time out.
        self.shutdown(wait=True, cancel_pending=exc_info[0] is not None)


def stream(
    executor: Executor,
    items: Iterable[T],
    to_request: Callable[[T], RunRequest],
    *,
    max_in_flight: int | None = None,
) -> Iterator[tuple[T, RunResult]]:
    """Yield ``(item, result)`` as work completes, with at most ``max_in_flight`` items outstanding.

    ``items`` is consumed lazily, so memory stays bounded however long the input is.
    """
    limit = max_in_flight if max_in_flight is not None else 2 * executor.max_workers
    if limit < 1:
        raise InvalidArgument(f"max_in_flight={max_in_flight}: must be ≥ 1")
    pending: dict[Future[RunResult], T] = {}
    iterator = iter(items)
    exhausted = False
    while pending or not exhausted:
        while not exhausted and len(pending) < limit:
            try:
                item = next(iterator)
            except StopIteration:
                exhausted = True
                break
            pending[executor.submit(to_request(item))] = item
        if not pending:
            break
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield pending.pop(future), future.result()


ExecutorFactory = Callable[[int | None, str | None], Executor]
"""Makes an executor from ``max_workers`` and an address (None: the backend's default)."""

EXECUTORS: dict[str, ExecutorFactory] = {}
"""Registry of executor factories by name."""


def parse_executor(spec: str) -> tuple[str, str | None]:
    """``local`` → (local, None); ``ray`` → (ray, None); ``ray://HOST:PORT`` → (ray, ``ray://HOST:PORT``).

    Checks the name only: nothing is imported or contacted, so a bad spec is refused before any work."""
    if not isinstance(spec, str):
        raise InvalidArgument(f"executor={spec!r}: a name such as 'local', 'ray' or 'ray://HOST:PORT'")
    name, sep, rest = spec.partition("://")
    if name not in EXECUTORS:
        raise InvalidArgument(
            f"executor={spec!r}: choose one of {', '.join(sorted(EXECUTORS))} (or ray://HOST:PORT)"
        )
    if sep and not rest:
        raise InvalidArgument(f"executor={spec!r}: an address is needed after '://'")
    return name, spec if sep else None


def make_executor(name: str = "local", *, max_workers: int | None = None) -> Executor:
    """The executor for ``name``: ``local`` (this machine's threads), ``ray`` (this machine's Ray cluster,
    or a new local one) or ``ray://HOST:PORT`` (a remote Ray cluster through Ray Client)."""
    backend, address = parse_executor(name)
    return EXECUTORS[backend](max_workers, address)
