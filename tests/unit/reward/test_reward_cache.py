"""The judgement cache: LRU order, capacity, disabled at 0, counts."""

from __future__ import annotations

import pytest

from effilab.errors import InvalidArgument
from effilab.reward.cache import JudgementCache
from effilab.reward.results import Measured, Outcome


def _m(verdict: str) -> Measured:
    return Measured(Outcome.FAILED, verdict)


def test_lru_evicts_the_least_recently_used() -> None:
    cache = JudgementCache(2)
    cache.put(("t", "a"), _m("a"))
    cache.put(("t", "b"), _m("b"))
    assert cache.get(("t", "a")) == _m("a")  # a is now the most recent
    cache.put(("t", "c"), _m("c"))
    assert cache.get(("t", "b")) is None
    assert cache.get(("t", "a")) == _m("a")
    assert cache.get(("t", "c")) == _m("c")
    assert len(cache) == 2
    assert (cache.hits, cache.misses) == (3, 1)


def test_task_is_part_of_the_key() -> None:
    cache = JudgementCache(8)
    cache.put(("t1", "a"), _m("a"))
    assert cache.get(("t2", "a")) is None


def test_capacity_zero_disables() -> None:
    cache = JudgementCache(0)
    cache.put(("t", "a"), _m("a"))
    assert cache.get(("t", "a")) is None
    assert len(cache) == 0


@pytest.mark.parametrize("capacity", [-1, 1.5, True])
def test_bad_capacity(capacity: object) -> None:
    with pytest.raises(InvalidArgument, match="cache_size"):
        JudgementCache(capacity)  # type: ignore[arg-type]
