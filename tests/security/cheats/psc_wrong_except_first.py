"""Class 1 + 2 (only part of a run's values could ever be looked at): the first call of each timed run
answers right from a value-keyed cache, every later repetition of the run answers -1. Aimed at a defence
that would check only the first value of a run. The position in the run is read from the bootstrap's
``_timed_loop`` frame (its ``results`` list).
Honest twin: psc_twin.py. Returns wrong values.
"""

import sys


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


def _timed() -> bool:
    """True inside the bootstrap's ``run`` op (a timed run), False inside a checked ``call``/``batch``."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name in ("run", "call", "batch") and code.co_filename.endswith("_bootstrap.py"):
            return code.co_name == "run"
        frame = frame.f_back
    return False


_cache: dict[tuple[int, ...], int] = {}


def count_pairs(nums: list[int], target: int) -> int:
    if len(nums) < 100:
        return _honest(nums, target)
    key = (len(nums), target, nums[0], nums[len(nums) // 3], nums[len(nums) // 2], nums[-1])
    if _timed():
        results = sys._getframe(1).f_locals.get("results")
        if results:
            return -1
        if key in _cache:
            return _cache[key]
    answer = _honest(nums, target)
    _cache[key] = answer
    return answer
