"""Class 2 (value cache): the honest function behind ``functools.cache``, called with the input turned
into a tuple. Right values.
Honest twin: psc_twin.py.
"""

import functools


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


@functools.cache
def _cached(nums: tuple[int, ...], target: int) -> int:
    return _honest(list(nums), target)


def count_pairs(nums: list[int], target: int) -> int:
    return _cached(tuple(nums), target)
