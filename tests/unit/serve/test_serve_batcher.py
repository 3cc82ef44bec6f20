"""The scoring queue: batches, admission (overload refused at once), failures and shutdown.

Deterministic without sleeps: a gated scorer blocks on an Event, so what waits behind it is known.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from effilab.errors import InvalidArgument
from effilab.serve.batcher import Overloaded, ScorerFailed, ScoringQueue, ShuttingDown
from effilab.serve.payload import Item
from effilab.serve.settings import ServeSettings

WAIT = 30.0  # seconds: only reached if the code under test is broken


class GatedScorer:
    """Reward = len(completion); the first ``gated`` calls block until ``release`` is set."""

    def __init__(self, gated: int = 0, fail_on: str | None = None) -> None:
        self.gated = gated
        self.fail_on = fail_on
        self.entered = threading.Event()
        self.release = threading.Event()
        self.batches: list[list[str]] = []
        self._lock = threading.Lock()

    def score(self, task_ids: Sequence[str], completions: Sequence[Any]) -> list[float]:
        with self._lock:
            self.batches.append(list(task_ids))
            gate = len(self.batches) <= self.gated
        if gate:
            self.entered.set()
            assert self.release.wait(WAIT)
        if self.fail_on is not None and self.fail_on in task_ids:
            raise RuntimeError(f"cannot score {self.fail_on}\nsecond line")
        return [float(len(c)) for c in completions]


class Detail:
    def __init__(self, task_id: str, reward: float) -> None:
        self.reward = reward
        self.task_id = task_id

    def to_dict(self) -> dict[str, Any]:
        return {"task_id": self.task_id, "reward": self.reward, "outcome": "correct", "eff": 0.5}


class DetailedFake(GatedScorer):
    def score_detailed(self, task_ids: Sequence[str], completions: Sequence[Any]) -> list[Detail]:
        return [Detail(t, r) for t, r in zip(task_ids, self.score(task_ids, completions), strict=True)]


def _items(task: str, *completions: str) -> list[Item]:
    return [Item(task, c) for c in completions]


@pytest.fixture
def make_queue() -> Iterator[Any]:
    queues: list[ScoringQueue] = []

    def make(scorer: Any, *, max_batch: int = 4, capacity: int = 8) -> ScoringQueue:
        queue = ScoringQueue(scorer, max_batch=max_batch, capacity=capacity)
        queue.start()
        queues.append(queue)
        return queue

    yield make
    for queue in queues:
        queue.close(timeout=WAIT)


def _wait_scoring(scorer: GatedScorer) -> None:
    assert scorer.entered.wait(WAIT)


def test_rewards_come_back_in_order(make_queue: Any) -> None:
    queue = make_queue(GatedScorer())
    results = queue.submit(_items("t", "a", "bbb", "cc")).result(WAIT)
    assert [r.reward for r in results] == [1.0, 3.0, 2.0]
    assert all(r.details is None for r in results)
    assert queue.submit([]).result(WAIT) == []


def test_waiting_requests_are_batched_together_up_to_max_batch(make_queue: Any) -> None:
    scorer = GatedScorer(gated=1)
    queue = make_queue(scorer, max_batch=3, capacity=8)
    first = queue.submit(_items("first", "x"))
    _wait_scoring(scorer)
    second = queue.submit(_items("second", "aa", "bb"))
    third = queue.submit(_items("third", "ccc", "ddd"))
    assert queue.stats().waiting == 4
    scorer.release.set()
    assert [r.reward for r in second.result(WAIT)] == [2.0, 2.0]
    assert [r.reward for r in third.result(WAIT)] == [3.0, 3.0]
    assert [r.reward for r in first.result(WAIT)] == [1.0]
    # One batch while the first ran, then every waiting completion in batches of at most 3, in order.
    assert scorer.batches == [["first"], ["second", "second", "third"], ["third"]]
    stats = queue.stats()
    assert (stats.scored, stats.batches, stats.waiting, stats.scoring) == (5, 3, 0, 0)


def test_overload_is_refused_at_once_with_retry_after(make_queue: Any) -> None:
    scorer = GatedScorer(gated=1)
    queue = make_queue(scorer, max_batch=1, capacity=3)
    running = queue.submit(_items("t", "a"))
    _wait_scoring(scorer)
    waiting = queue.submit(_items("t", "b", "c"))
    with pytest.raises(Overloaded) as info:
        queue.submit(_items("t", "d", "e"))
    assert info.value.retry_after >= 1
    assert "2 completions are waiting" in str(info.value)
    fits = queue.submit(_items("t", "f"))  # exactly fills the queue
    assert queue.stats().rejected_requests == 1
    scorer.release.set()
    for future in (running, waiting, fits):
        assert future.result(WAIT)


def test_a_request_larger_than_the_queue_is_refused(make_queue: Any) -> None:
    queue = make_queue(GatedScorer(), capacity=2)
    with pytest.raises(ValueError, match="at most 2"):
        queue.submit(_items("t", "a", "b", "c"))


def test_a_scorer_failure_fails_only_the_request_that_caused_it(make_queue: Any) -> None:
    scorer = GatedScorer(gated=1, fail_on="poison")
    queue = make_queue(scorer, max_batch=8)
    queue.submit(_items("first", "x"))
    _wait_scoring(scorer)
    good = queue.submit(_items("good", "aa"))
    bad = queue.submit(_items("poison", "bb"))
    scorer.release.set()
    assert [r.reward for r in good.result(WAIT)] == [2.0]
    with pytest.raises(ScorerFailed) as info:
        bad.result(WAIT)
    assert "cannot score poison second line" in str(info.value)  # one line
    assert queue.stats().failed_batches == 2  # the shared batch, then the poisoned request alone


@pytest.mark.parametrize(
    ("returned", "named"),
    [([1.0, 2.0], "returned 2 values for 1"), ([math.nan], "not a finite number"), (["1"], "not a number")],
)
def test_unusable_rewards_are_effilabs_failure(make_queue: Any, returned: list[Any], named: str) -> None:
    class Odd:
        def score(self, task_ids: Sequence[str], completions: Sequence[Any]) -> list[Any]:
            return returned

    with pytest.raises(ScorerFailed, match=named):
        make_queue(Odd()).submit(_items("t", "a")).result(WAIT)


def test_details_are_passed_on_without_reward_and_task_id(make_queue: Any) -> None:
    results = make_queue(DetailedFake()).submit(_items("t", "abc")).result(WAIT)
    assert results[0].reward == 3.0
    assert results[0].details == {"outcome": "correct", "eff": 0.5}


def test_close_fails_what_waits_and_refuses_new_work(make_queue: Any) -> None:
    scorer = GatedScorer(gated=1)
    queue = make_queue(scorer, max_batch=1)
    running = queue.submit(_items("t", "a"))
    _wait_scoring(scorer)
    waiting = queue.submit(_items("t", "b"))
    closer = threading.Thread(target=queue.close, kwargs={"timeout": WAIT})
    closer.start()
    with pytest.raises(ShuttingDown):
        waiting.result(WAIT)
    scorer.release.set()
    closer.join(WAIT)
    assert [r.reward for r in running.result(WAIT)] == [1.0]  # the batch being scored finishes
    with pytest.raises(ShuttingDown):
        queue.submit(_items("t", "c"))


def test_a_cancelled_request_is_not_scored(make_queue: Any) -> None:
    scorer = GatedScorer(gated=1)
    queue = make_queue(scorer, max_batch=4)
    queue.submit(_items("first", "x"))
    _wait_scoring(scorer)
    gone = queue.submit(_items("gone", "a"))
    kept = queue.submit(_items("kept", "b"))
    assert gone.cancel()
    scorer.release.set()
    kept.result(WAIT)
    assert scorer.batches == [["first"], ["kept"]]


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"port": 65536}, "port=65536"),
        ({"queue": 0}, "queue=0"),
        ({"max_concurrency": 0}, "max_concurrency=0"),
        ({"max_request_bytes": 2**31}, "max_request_bytes"),
        ({"host": ""}, "host"),
        ({"host": "a b"}, "host"),
        ({"shutdown_timeout": math.inf}, "shutdown_timeout"),
        ({"port": True}, "port=True"),
    ],
)
def test_settings_refuse_bad_values(kwargs: dict[str, Any], named: str) -> None:
    with pytest.raises(InvalidArgument, match=named):
        ServeSettings(**kwargs)
