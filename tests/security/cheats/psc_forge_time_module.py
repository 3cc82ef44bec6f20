"""Class 3 (naive forged clock): replaces ``time.perf_counter_ns``, ``time.perf_counter`` and
``time.process_time_ns`` in the ``time`` module with clocks running 50 times slow. The bootstrap bound
its clocks before the candidate was imported, so this one should gain nothing (a control). Right values.
Honest twin: psc_twin.py.
"""

import time


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


_real_ns = time.perf_counter_ns
_real_cpu = time.process_time_ns
time.perf_counter_ns = lambda: _real_ns() // 50
time.perf_counter = lambda: _real_ns() / 50e9
time.process_time_ns = lambda: _real_cpu() // 50


def count_pairs(nums: list[int], target: int) -> int:
    return _honest(nums, target)
