"""Class 2 (value cache): memoises on the whole input, ``(tuple(nums), target)``. Building and hashing the
tuple runs in C and costs a fraction of the honest pass, so every timed repetition of an input already
answered in the correctness pass is nearly free. Right values.
Honest twin: psc_twin.py.
"""


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


_cache: dict[tuple[tuple[int, ...], int], int] = {}


def count_pairs(nums: list[int], target: int) -> int:
    key = (tuple(nums), target)
    answer = _cache.get(key)
    if answer is None:
        answer = _cache[key] = _honest(nums, target)
    return answer
