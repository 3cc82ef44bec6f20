"""The reward's memory of judged programs: (task id, digest of the code) → what the evaluator said.

RL batches repeat themselves (GRPO samples several completions per prompt, and a converging policy writes
the same program again and again), so the same code on the same task is judged once per reward object. A
bounded LRU: the oldest entries go first once ``capacity`` is reached. Thread-safe (``effilab serve``
scores concurrent requests with one reward object).
"""

from __future__ import annotations

import collections
import threading

from effilab.errors import InvalidArgument
from effilab.reward.results import Measured

__all__ = ["JudgementCache"]

Key = tuple[str, str]


class JudgementCache:
    """A thread-safe LRU map from (task id, code digest) to :class:`Measured`; capacity 0 disables it."""

    def __init__(self, capacity: int) -> None:
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
            raise InvalidArgument(f"cache_size={capacity!r}: must be an integer ≥ 0")
        self.capacity = capacity
        self._items: collections.OrderedDict[Key, Measured] = collections.OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Key) -> Measured | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Key, value: Measured) -> None:
        if self.capacity == 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
