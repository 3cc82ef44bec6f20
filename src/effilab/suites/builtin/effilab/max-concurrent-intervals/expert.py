from bisect import bisect_right
from itertools import repeat
from operator import itemgetter, sub


def max_concurrent(intervals: list[list[int]]) -> int:
    n = len(intervals)
    if not n:
        return 0
    starts = sorted(map(itemgetter(0), intervals))
    ends = sorted(map(itemgetter(1), intervals))
    # At the i-th smallest start s (0-based), i + 1 intervals have started and
    # bisect_right(ends, s) of them have already ended (end <= s).
    return max(map(sub, range(1, n + 1), map(bisect_right, repeat(ends, n), starts)))
