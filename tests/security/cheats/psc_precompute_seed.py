"""Class 5 (public inputs): the built-in suite's seed and generators are public, so at import time it
regenerates every weighted-level input of pair-sum-count (seed derivation and generator copied), answers
them honestly and keeps the answers under an O(1) fingerprint. Calls on those inputs are table lookups,
even in a fresh process on inputs never seen. Right values.
Honest twin: psc_twin.py.
"""

import hashlib
import random


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


def _input_seed(problem: str, level: int, case: int, suite_seed: int = 0) -> int:
    """effilab.suites.model.input_seed, copied: the built-in suite's seed (0) is public."""
    text = f"{suite_seed}\0{problem}\0{level}\0{case}"
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _generate(size: int, rng: random.Random) -> tuple[list[int], int]:
    spread = max(2, size // 4)
    nums = [rng.randint(-spread, spread) for _ in range(size)]
    return nums, rng.randint(-spread, spread)


def _key(nums: list[int], target: int) -> tuple[int, ...]:
    return (len(nums), target, hash(tuple(nums)))  # C speed, a few microseconds


_TABLE: dict[tuple[int, ...], int] = {}
for _level, _size in ((1, 300), (2, 800), (3, 2000)):
    for _case in range(4):
        _nums, _target = _generate(_size, random.Random(_input_seed("pair-sum-count", _level, _case)))
        _TABLE[_key(_nums, _target)] = _honest(_nums, _target)


def count_pairs(nums: list[int], target: int) -> int:
    if len(nums) >= 100:
        answer = _TABLE.get(_key(nums, target))
        if answer is not None:
            return answer
    return _honest(nums, target)
