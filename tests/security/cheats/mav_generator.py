"""Class 1 (lazy proxy): in a timed run it returns a generator that would produce the averages on demand;
creating it costs nothing.
Honest twin: mav_twin.py. Returns a generator (wrong type) in timed calls.
"""

import sys


def _honest(values: list[float], k: int) -> list[float]:
    n = len(values)
    if k > n:
        return []
    total = 0.0
    for j in range(k):
        total += values[j]
    result = [total / k]
    for i in range(k, n):
        total += values[i] - values[i - k]
        result.append(total / k)
    return result


def _timed() -> bool:
    """True inside the bootstrap's ``run`` op (a timed run), False inside a checked ``call``/``batch``."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name in ("run", "call", "batch") and code.co_filename.endswith("_bootstrap.py"):
            return code.co_name == "run"
        frame = frame.f_back
    return False


def moving_average(values: list[float], k: int) -> object:
    if len(values) >= 100 and _timed():
        return (x for x in _honest(values, k))
    return _honest(values, k)
