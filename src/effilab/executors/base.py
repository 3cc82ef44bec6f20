"""The executor interface: submit plain-data work items, get futures back.

Work items are :class:`~effilab.sandbox.RunRequest` values (program text plus plain arguments), so the same
interface fits a local pool today and a Ray cluster later: nothing in a request refers to local state.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import TypeVar

from effilab.errors import InvalidArgument
from effilab.sandbox.run import RunRequest, RunResult

__all__ = ["EXECUTORS", "Executor", "make_executor", "stream"]

T = TypeVar("T")


class Executor(abc.ABC):
    """Runs sandboxed work items concurrently. Use as a context manager."""

    name: str
    max_workers: int

    @abc.abstractmethod
    def submit(self, request: RunRequest) -> Future[RunResult]:
        """Schedule one work item."""

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


EXECUTORS: dict[str, Callable[[int | None], Executor]] = {}
"""Registry of executor factories by name, each taking ``max_workers``."""


def make_executor(name: str = "local", *, max_workers: int | None = None) -> Executor:
    """The executor called ``name`` (``local`` runs sandboxes on this machine)."""
    factory = EXECUTORS.get(name)
    if factory is None:
        raise InvalidArgument(f"executor={name!r}: choose one of {', '.join(sorted(EXECUTORS))}")
    return factory(max_workers)
