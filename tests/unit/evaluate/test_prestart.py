"""Prestarted workers: taken when started, closed when discarded, failures re-raised to the taker."""

from __future__ import annotations

import threading
from typing import Any, cast

import pytest

from effilab.errors import SandboxError
from effilab.evaluate.prestart import Prestarted


class _FakeWorker:
    def __init__(self) -> None:
        self.closed = threading.Event()

    def close(self) -> None:
        self.closed.set()


def _starter(worker: _FakeWorker, gate: threading.Event | None = None,
             begun: threading.Event | None = None) -> Any:  # fmt: skip
    def start() -> Any:
        if begun is not None:
            begun.set()
        if gate is not None:
            gate.wait(5)
        return worker

    return start


def test_take_returns_the_started_worker_once() -> None:
    worker = _FakeWorker()
    ahead = Prestarted(_starter(worker))
    assert cast(Any, ahead.take()) is worker
    assert not worker.closed.is_set()
    with pytest.raises(RuntimeError, match="already taken"):
        ahead.take()


def test_discard_closes_a_worker_even_when_its_start_finishes_later() -> None:
    worker, gate, begun = _FakeWorker(), threading.Event(), threading.Event()
    ahead = Prestarted(_starter(worker, gate, begun))
    assert begun.wait(5)
    ahead.discard()
    gate.set()
    assert worker.closed.wait(5)
    ahead.discard()  # idempotent


def test_a_failed_start_is_raised_by_take() -> None:
    def fail() -> Any:
        raise SandboxError("no interpreter")

    with pytest.raises(SandboxError, match="no interpreter"):
        Prestarted(fail).take()
    Prestarted(fail).discard()  # nothing to close, nothing raised
