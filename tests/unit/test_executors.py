"""Executors: futures over plain-data work items, and bounded streaming."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any

import pytest

from effilab.errors import InvalidArgument
from effilab.executors import Executor, LocalExecutor, make_executor, stream
from effilab.sandbox import Limits, RunRequest, RunResult, Verdict

SOURCE = b"def square(x):\n    return x * x\n"


def _request(x: int) -> RunRequest:
    return RunRequest(source=SOURCE, entry="square", calls=[(x,)], limits=Limits(timeout_s=5))


def test_local_executor_runs_requests_concurrently_and_correctly() -> None:
    with make_executor("local", max_workers=2) as executor:
        futures = [executor.submit(_request(x)) for x in range(6)]
        results = [future.result() for future in futures]
    assert [r.calls[0].value for r in results] == [x * x for x in range(6)]
    assert all(r.verdict is Verdict.OK for r in results)


def test_stream_yields_every_item_once() -> None:
    with LocalExecutor(max_workers=2) as executor:
        seen = {item: result.calls[0].value for item, result in stream(executor, range(5), _request)}
    assert seen == {x: x * x for x in range(5)}


class _CountingExecutor(Executor):
    """A deterministic fake: records how many futures are outstanding; the test resolves them."""

    name = "fake"
    max_workers = 3

    def __init__(self) -> None:
        self.outstanding: list[Future[RunResult]] = []
        self.peak = 0
        self.lock = threading.Lock()

    def submit(self, request: RunRequest) -> Future[RunResult]:
        future: Future[RunResult] = Future()
        with self.lock:
            self.outstanding.append(future)
            self.peak = max(self.peak, len(self.outstanding))
        # Resolve the oldest future whenever the window is full, as a real pool would over time.
        if len(self.outstanding) >= 2:
            done = self.outstanding.pop(0)
            done.set_result(None)  # type: ignore[arg-type]
        return future

    def call(self, fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
        raise NotImplementedError  # stream() only submits runs

    def shutdown(self, *, wait: bool = True, cancel_pending: bool = False) -> None:
        for future in self.outstanding:
            future.set_result(None)  # type: ignore[arg-type]
        self.outstanding.clear()


def test_stream_never_exceeds_max_in_flight_and_consumes_lazily() -> None:
    executor = _CountingExecutor()
    consumed = 0

    def items() -> Iterator[int]:
        nonlocal consumed
        for i in range(1000):
            consumed += 1
            yield i

    results = stream(executor, items(), _request, max_in_flight=2)
    first = next(results)
    assert first[0] == 0
    assert consumed <= 3  # lazily: not the whole input
    executor.shutdown()
    assert executor.peak <= 2


def test_unknown_executor_and_bad_worker_counts_are_rejected() -> None:
    with pytest.raises(InvalidArgument, match="executor='nope'"):
        make_executor("nope")
    with pytest.raises(InvalidArgument, match="address is needed"):
        make_executor("ray://")
    with pytest.raises(InvalidArgument, match="takes no address"):
        make_executor("local://somewhere")
    with pytest.raises(InvalidArgument, match="max_workers"):
        LocalExecutor(max_workers=0)
    with pytest.raises(InvalidArgument, match="max_in_flight"):
        list(stream(LocalExecutor(max_workers=1), [1], _request, max_in_flight=0))
