"""Run sandboxes on this machine, up to N at a time (default: one per core)."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from effilab.errors import InvalidArgument
from effilab.executors.base import EXECUTORS, Executor
from effilab.sandbox.run import RunRequest, RunResult, run

__all__ = ["LocalExecutor"]

A = TypeVar("A")
R = TypeVar("R")


class LocalExecutor(Executor):
    """Each thread drives one sandboxed child process; the threads themselves only wait on pipes."""

    name = "local"

    def __init__(self, max_workers: int | None = None) -> None:
        workers = max_workers if max_workers is not None else (os.cpu_count() or 1)
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise InvalidArgument(f"max_workers={max_workers!r}: must be a positive integer")
        self.max_workers = workers
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="effilab-sandbox")

    def submit(self, request: RunRequest) -> Future[RunResult]:
        return self._pool.submit(run, request)

    def call(self, fn: Callable[[A], R], arg: A) -> Future[R]:
        return self._pool.submit(fn, arg)

    def shutdown(self, *, wait: bool = True, cancel_pending: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_pending)


def _local(max_workers: int | None, address: str | None) -> Executor:
    if address is not None:
        raise InvalidArgument(f"executor={address!r}: the local executor takes no address")
    return LocalExecutor(max_workers)


EXECUTORS[LocalExecutor.name] = _local
