"""Run effilab's units of work on a Ray cluster (the optional extra ``ray``).

Each :meth:`RayExecutor.call` becomes one Ray task of one CPU. The task runs on a Ray worker process, which
starts the sandboxes itself on its own host: candidate code never runs in the Ray worker, only in the
sandboxed children it launches, exactly as on the local executor. What travels is plain data: the argument
(a problem, program texts, settings) and the result (JSON-able rows); the task function is named by
reference, so every host needs the same effilab installed.

A task whose worker process or node dies is retried by Ray (:data:`MAX_RETRIES`), possibly on another
worker; a task that raises is not (an error of effilab or of the suite would only repeat). The callers
commit what a *finished* task returned, keyed by sample, so a retried task cannot be counted twice.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from effilab.errors import InvalidArgument
from effilab.executors.base import EXECUTORS, Executor

__all__ = ["INSTALL_HINT", "MAX_RETRIES", "RayExecutor", "import_ray"]

A = TypeVar("A")
R = TypeVar("R")

MAX_RETRIES = 3
"""Times Ray retries a task whose worker died (a killed process, a lost node) before the run fails."""

INSTALL_HINT = "pip install 'effilab[ray]'"


def import_ray() -> Any:
    """The ``ray`` module, or one line saying how to install it."""
    try:
        return importlib.import_module("ray")
    except ImportError:
        raise InvalidArgument(
            f"executor='ray': Ray is not installed; install the extra with: {INSTALL_HINT}"
        ) from None


class RayExecutor(Executor):
    """Units of work as Ray tasks, one CPU each; ``max_workers`` defaults to the cluster's CPUs."""

    name = "ray"

    def __init__(self, max_workers: int | None = None, address: str | None = None) -> None:
        if max_workers is not None and (isinstance(max_workers, bool) or max_workers < 1):
            raise InvalidArgument(f"max_workers={max_workers!r}: must be a positive integer")
        self._ray = import_ray()
        self._owns = False
        if not self._ray.is_initialized():
            self._connect(address, max_workers)
            self._owns = True
        cpus = int(self._ray.cluster_resources().get("CPU", 1))
        self.max_workers = max_workers if max_workers is not None else max(1, cpus)
        self.address = address
        self._remotes: dict[Callable[..., Any], Any] = {}
        self._pending: dict[Future[Any], Any] = {}
        self._lock = threading.Lock()

    def _connect(self, address: str | None, max_workers: int | None) -> None:
        quiet = {"logging_level": logging.WARNING, "log_to_driver": False}
        if address is not None:
            self._ray.init(address=address, **quiet)  # ray://HOST:PORT: Ray Client
            return
        try:
            # A cluster already running on this machine (`ray start --head`, or RAY_ADDRESS) comes first.
            self._ray.init(address="auto", **quiet)
        except ConnectionError:
            # None: start a local one, as many CPUs as workers asked for (else Ray counts the cores).
            self._ray.init(num_cpus=max_workers, include_dashboard=False, **quiet)

    def call(self, fn: Callable[[A], R], arg: A) -> Future[R]:
        remote = self._remotes.get(fn)
        if remote is None:
            remote = self._ray.remote(fn).options(num_cpus=1, max_retries=MAX_RETRIES, retry_exceptions=False)
            self._remotes[fn] = remote
        ref = remote.remote(arg)
        future: Future[R] = ref.future()
        with self._lock:
            self._pending[future] = ref
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.pop(future, None)

    def shutdown(self, *, wait: bool = True, cancel_pending: bool = False) -> None:
        with self._lock:
            pending = list(self._pending.items())
        if cancel_pending:
            for _, ref in pending:
                # Not forced: a running unit is interrupted in Python (its sandboxes die with it, bubblewrap's
                # --die-with-parent), and its samples were never committed, so a resume redoes them.
                self._ray.cancel(ref)
        elif wait:
            for future, _ in pending:
                future.exception()
        if self._owns and self._ray.is_initialized():
            self._ray.shutdown()


def _ray(max_workers: int | None, address: str | None) -> Executor:
    return RayExecutor(max_workers, address)


EXECUTORS[RayExecutor.name] = _ray  # registering imports nothing of Ray: that happens on first use
