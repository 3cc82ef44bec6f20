"""Class 5 (public inputs): regenerates count-inversions' weighted-level inputs from the public seed at
import time (generator copied from the repository) and answers them by table lookup. Right values.
Honest twin: inv_twin.py.
"""

import hashlib
import random


def _sort_count(items: list[int]) -> tuple[list[int], int]:
    if len(items) <= 1:
        return items, 0
    mid = len(items) // 2
    left, a = _sort_count(items[:mid])
    right, b = _sort_count(items[mid:])
    merged = []
    count = a + b
    i = j = 0
    while i < len(left) and j < len(right):
        if right[j] < left[i]:
            merged.append(right[j])
            count += len(left) - i
            j += 1
        else:
            merged.append(left[i])
            i += 1
    merged.extend(left[i:])
    merged.extend(right[j:])
    return merged, count


def _honest(nums: list[int]) -> int:
    return _sort_count(list(nums))[1]


def _input_seed(problem: str, level: int, case: int, suite_seed: int = 0) -> int:
    """effilab.suites.model.input_seed, copied: the built-in suite's seed (0) is public."""
    text = f"{suite_seed}\0{problem}\0{level}\0{case}"
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _generate(size: int, case: int, rng: random.Random) -> list[int]:
    kind = case % 4
    if kind == 0:
        return [rng.randint(-(10**9), 10**9) for _ in range(size)]
    if kind == 1:
        return [rng.randint(0, max(2, size // 20)) for _ in range(size)]
    if kind == 2:
        nums = list(range(size))
        for _ in range(size // 10):
            i, j = rng.randrange(size), rng.randrange(size)
            nums[i], nums[j] = nums[j], nums[i]
        return nums
    return [size - i + rng.randint(-size // 10, size // 10) for i in range(size)]


def _key(nums: list[int]) -> tuple[int, ...]:
    return (len(nums), hash(tuple(nums)))  # C speed, a few microseconds


_TABLE: dict[tuple[int, ...], int] = {}
for _level, _size in ((1, 300), (2, 700), (3, 1700)):
    for _case in range(4):
        _nums = _generate(_size, _case, random.Random(_input_seed("count-inversions", _level, _case)))
        _TABLE[_key(_nums)] = _honest(_nums)


def count_inversions(nums: list[int]) -> int:
    if len(nums) >= 100:
        answer = _TABLE.get(_key(nums))
        if answer is not None:
            return answer
    return _honest(nums)
