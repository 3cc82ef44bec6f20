from bisect import bisect_right
from itertools import repeat
from operator import itemgetter


def max_schedule_profit(jobs: list[list[int]]) -> int:
    order = sorted(jobs, key=itemgetter(1))
    ends = list(map(itemgetter(1), order))
    # Index of the last compatible prefix for every job, all binary searches done in one C-level map.
    # (Searching the whole list is safe: a job j with end_j <= start_i < end_i comes before i.)
    prefix = list(map(bisect_right, repeat(ends), map(itemgetter(0), order)))
    best = [0]
    append = best.append
    current = 0
    for k, profit in zip(prefix, map(itemgetter(2), order)):
        take = best[k] + profit
        if take > current:
            current = take
        append(current)
    return current
