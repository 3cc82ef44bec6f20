"""Sandboxes started ahead of time, so a sample's next round does not wait for an interpreter to boot.

Every timed round of a sample needs a fresh sandbox for the sample and a fresh anchor (the trust rule: no
timed input is one the process has seen before, nothing the candidate leaves behind is reused). Booting and
confining an interpreter takes tens of milliseconds, as long as many of the calls being timed, so the
rounds' sandboxes boot in the background while the sample's correctness pass runs (never while one of its
rounds is being timed: see ``engine._RoundWorkers``).

What runs ahead is only trusted work: starting a pristine interpreter (no candidate code is loaded until
the round takes it), and for an anchor, loading the oracle (it warms up in the round, next to the sample). A
started sandbox that is not taken is closed.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from effilab.sandbox import Worker

_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="effilab-prestart")
atexit.register(_POOL.shutdown, wait=False, cancel_futures=True)


class Prestarted:
    """A worker being started in the background by ``start``; :meth:`take` it, or :meth:`discard` it."""

    def __init__(self, start: Callable[[], Worker]) -> None:
        self._future: Future[Worker] | None = _POOL.submit(start)

    def take(self) -> Worker:
        """The started worker (waiting for it if need be); the start's own exception if it failed."""
        if self._future is None:
            raise RuntimeError("this prestarted worker was already taken or discarded")
        future, self._future = self._future, None
        return future.result()

    def wait(self) -> None:
        """Return once the start has finished (or failed), without taking the worker."""
        if self._future is not None:
            wait([self._future])

    def discard(self) -> None:
        """Close the worker without using it (now, or as soon as its start finishes)."""
        if self._future is None:
            return
        future, self._future = self._future, None
        if not future.cancel():
            future.add_done_callback(_close_started)


def _close_started(future: Future[Worker]) -> None:
    if future.cancelled() or future.exception() is not None:
        return
    future.result().close()
