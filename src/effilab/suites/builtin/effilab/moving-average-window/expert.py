from itertools import accumulate, repeat
from operator import sub, truediv

try:
    import numpy as np
except ImportError:  # numpy is optional: fall back to C-level pure-Python prefix sums
    np = None

_NUMPY_MIN = 64  # below this, array conversion costs more than it saves


def moving_average(values: list[float], k: int) -> list[float]:
    n = len(values)
    if k > n:
        return []
    if np is not None and n >= _NUMPY_MIN:
        prefix = np.empty(n + 1)
        prefix[0] = 0.0
        np.cumsum(np.asarray(values, dtype=np.float64), out=prefix[1:])
        return ((prefix[k:] - prefix[:-k]) / k).tolist()
    prefix = list(accumulate(values, initial=0.0))
    # window sums by C-level differences of prefix sums, divided by k, all in C
    return list(map(truediv, map(sub, prefix[k:], prefix), repeat(float(k))))
