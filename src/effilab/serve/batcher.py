"""Admission and batching: a bounded queue of completions in front of one scoring thread.

Trainers send many small requests at once (OpenRLHF posts one request per finished rollout), while the
reward is fastest on large batches it spreads over its sandbox pool. So requests do not each call the
reward: their completions join one queue, and a single thread hands the reward batches of up to
``max_batch`` completions (every completion waiting when the previous batch ends, "continuous batching").

Overload is answered at the door, never by waiting without end: a request whose completions do not fit in
what is left of the queue is refused at once with :class:`Overloaded`, which carries a Retry-After
estimate. Nothing here knows about HTTP.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from typing import Any

from effilab.serve.payload import Item
from effilab.serve.protocol import DetailedScorer, RewardScorer

__all__ = ["Overloaded", "QueueStats", "ScoredItem", "ScorerFailed", "ScoringQueue", "ShuttingDown"]

MAX_RETRY_AFTER = 60
"""Longest Retry-After advised (seconds): beyond it a client had better be told to back off by its own
policy than wait on an estimate."""


class Overloaded(Exception):
    """The queue cannot take the request's completions now; retry after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class ShuttingDown(Exception):
    """The server is stopping and takes no more work."""


class ScorerFailed(Exception):
    """The reward raised or returned something unusable: effilab's failure, not the candidate's."""


@dataclass(frozen=True, slots=True)
class ScoredItem:
    """One completion's reward, with the reward's details when it gives them (JSON values)."""

    reward: float
    details: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class QueueStats:
    """What the queue holds and has done (served by ``GET /v1/info``)."""

    waiting: int
    scoring: int
    capacity: int
    max_batch: int
    scored: int
    batches: int
    rejected_requests: int
    failed_batches: int
    scoring_seconds: float


@dataclass(eq=False)
class _Request:
    items: Sequence[Item]
    future: Future[list[ScoredItem]]
    results: list[ScoredItem | None] = field(default_factory=list)
    remaining: int = 0

    def __post_init__(self) -> None:
        self.results = [None] * len(self.items)
        self.remaining = len(self.items)


def _one_line(exc: BaseException) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= 500 else text[:500] + "…"


def _check_reward(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScorerFailed(f"the reward returned {type(value).__name__} for {where}, not a number")
    reward = float(value)
    if not math.isfinite(reward):
        raise ScorerFailed(f"the reward returned {reward} for {where}, not a finite number")
    return reward


class ScoringQueue:
    """A bounded queue of completions and the thread that scores them in batches.

    ``capacity`` bounds the completions *waiting* (not yet handed to the reward); ``max_batch`` bounds
    those being scored at once. Use :meth:`start`, then :meth:`submit` from any thread, then :meth:`close`.
    """

    def __init__(self, scorer: RewardScorer, *, max_batch: int, capacity: int) -> None:
        if max_batch < 1 or capacity < 1:
            raise ValueError("max_batch and capacity must be at least 1")
        self._scorer = scorer
        self._detailer = scorer if isinstance(scorer, DetailedScorer) else None
        self._max_batch = max_batch
        self._capacity = capacity
        self._cond = threading.Condition()
        self._waiting: deque[tuple[_Request, int]] = deque()
        self._scoring = 0
        self._closed = False
        self._scored = 0
        self._batches = 0
        self._rejected = 0
        self._failed = 0
        self._seconds = 0.0
        self._last_batch_seconds: float | None = None
        self._thread = threading.Thread(target=self._run, name="effilab-serve-scorer", daemon=True)

    @property
    def capacity(self) -> int:
        return self._capacity

    def start(self) -> None:
        self._thread.start()

    def submit(self, items: Sequence[Item]) -> Future[list[ScoredItem]]:
        """Queue ``items``; the future gives their rewards in order, or raises :class:`ScorerFailed`.

        Raises :class:`Overloaded` at once if they do not fit, :class:`ShuttingDown` once closed, and
        ``ValueError`` if there are more than the queue could ever hold (the caller's 413).
        """
        if len(items) > self._capacity:
            raise ValueError(f"{len(items)} completions in one request; at most {self._capacity}")
        future: Future[list[ScoredItem]] = Future()
        if not items:
            future.set_result([])
            return future
        request = _Request(items, future)
        with self._cond:
            if self._closed:
                raise ShuttingDown("the server is shutting down")
            if len(self._waiting) + len(items) > self._capacity:
                self._rejected += 1
                raise Overloaded(
                    f"overloaded: {len(self._waiting)} completions are waiting and {self._scoring} being "
                    f"scored; this request's {len(items)} do not fit in the queue of {self._capacity}",
                    self._retry_after(),
                )
            self._waiting.extend((request, index) for index in range(len(items)))
            self._cond.notify()
        return future

    def _retry_after(self) -> int:
        """Seconds until the batch being scored is likely done: the last batch's duration, at least 1."""
        last = self._last_batch_seconds
        if last is None:
            return 1
        return max(1, min(MAX_RETRY_AFTER, math.ceil(last)))

    def stats(self) -> QueueStats:
        with self._cond:
            return QueueStats(
                waiting=len(self._waiting),
                scoring=self._scoring,
                capacity=self._capacity,
                max_batch=self._max_batch,
                scored=self._scored,
                batches=self._batches,
                rejected_requests=self._rejected,
                failed_batches=self._failed,
                scoring_seconds=self._seconds,
            )

    def close(self, *, timeout: float | None = None) -> None:
        """Take no more work, fail what is still waiting with :class:`ShuttingDown`, and wait up to
        ``timeout`` seconds for the batch being scored to end (the reward cannot be interrupted)."""
        with self._cond:
            self._closed = True
            dropped = list(self._waiting)
            self._waiting.clear()
            self._cond.notify_all()
        for request, _ in dropped:
            _settle(request.future, error=ShuttingDown("the server shut down before this was scored"))
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _take_batch(self) -> list[tuple[_Request, int]] | None:
        with self._cond:
            while True:
                # A request already settled (failed in an earlier batch, or cancelled) needs no more work.
                while self._waiting and self._waiting[0][0].future.done():
                    self._waiting.popleft()
                if self._waiting:
                    break
                if self._closed:
                    return None
                self._cond.wait()
            batch: list[tuple[_Request, int]] = []
            while self._waiting and len(batch) < self._max_batch:
                entry = self._waiting.popleft()
                if not entry[0].future.done():
                    batch.append(entry)
            self._scoring = len(batch)
            return batch

    def _run(self) -> None:
        while (batch := self._take_batch()) is not None:
            if not batch:
                continue
            started = time.monotonic()
            try:
                scored = self._score(batch)
            except ScorerFailed as exc:
                self._finish(batch, started, failed=True)
                self._isolate(batch, exc)
            else:
                self._finish(batch, started, failed=False)
                self._deliver(batch, scored)
            with self._cond:
                self._scoring = 0

    def _deliver(self, batch: Sequence[tuple[_Request, int]], scored: Sequence[ScoredItem]) -> None:
        for (request, index), result in zip(batch, scored, strict=True):
            request.results[index] = result
            request.remaining -= 1
            if request.remaining == 0:
                _settle(request.future, result=[r for r in request.results if r is not None])

    def _isolate(self, batch: list[tuple[_Request, int]], error: ScorerFailed) -> None:
        """A batch failed: score each request's share alone, so that one request's problem (a task whose
        references cannot run) fails that request only, not the strangers batched with it."""
        shares: dict[_Request, list[tuple[_Request, int]]] = {}
        for entry in batch:
            shares.setdefault(entry[0], []).append(entry)
        if len(shares) == 1:
            _settle(batch[0][0].future, error=error)
            return
        for request, share in shares.items():
            started = time.monotonic()
            try:
                scored = self._score(share)
            except ScorerFailed as exc:
                self._finish(share, started, failed=True)
                _settle(request.future, error=exc)
                continue
            self._finish(share, started, failed=False)
            self._deliver(share, scored)

    def _finish(self, batch: list[tuple[_Request, int]], started: float, *, failed: bool) -> None:
        elapsed = time.monotonic() - started
        with self._cond:
            self._batches += 1
            self._seconds += elapsed
            self._last_batch_seconds = elapsed
            if failed:
                self._failed += 1
            else:
                self._scored += len(batch)

    def _score(self, batch: Sequence[tuple[_Request, int]]) -> list[ScoredItem]:
        task_ids = [request.items[index].task_id for request, index in batch]
        completions = [request.items[index].completion for request, index in batch]
        try:
            raw: list[Any] = (
                list(self._detailer.score_detailed(task_ids, completions))
                if self._detailer is not None
                else list(self._scorer.score(task_ids, completions))
            )
        except BaseException as exc:  # the reward's own failure: the requests get a 500, never a traceback
            raise ScorerFailed(f"the reward failed: {_one_line(exc)}") from exc
        if len(raw) != len(batch):
            raise ScorerFailed(f"the reward returned {len(raw)} values for {len(batch)} completions")
        results: list[ScoredItem] = []
        for position, value in enumerate(raw):
            where = f"completion {position} of its batch"
            if self._detailer is None:
                results.append(ScoredItem(_check_reward(value, where)))
                continue
            try:
                details = {
                    key: item for key, item in value.to_dict().items() if key not in {"reward", "task_id"}
                }
                reward = value.reward
            except Exception as exc:
                raise ScorerFailed(
                    f"the reward's details for {where} are unreadable: {_one_line(exc)}"
                ) from exc
            results.append(ScoredItem(_check_reward(reward, where), details))
        return results


def _settle(
    future: Future[list[ScoredItem]],
    *,
    result: list[ScoredItem] | None = None,
    error: BaseException | None = None,
) -> None:
    """Resolve a future unless it already is (a client that went away cancels it)."""
    if future.done():
        return
    try:
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result or [])
    except InvalidStateError:  # cancelled between the check and the call
        pass
