"""Class 3 (forged clock): the bootstrap runs as ``__main__`` and reads the clock through its module global
``_wall_ns``; the candidate replaces that global with a clock running 50 times slow. Right values.
Honest twin: psc_twin.py.
"""

import sys
import time


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


def _slow_clock() -> int:
    return time.perf_counter_ns() // 50


_main = sys.modules.get("__main__")
if _main is not None and hasattr(_main, "_wall_ns"):
    _main._wall_ns = _slow_clock


def count_pairs(nums: list[int], target: int) -> int:
    return _honest(nums, target)
