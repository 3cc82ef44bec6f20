from itertools import repeat
from math import isqrt
from operator import add


def divisor_counts(n: int) -> list[int]:
    # Divisors of m pair up as (d, m // d) with d <= sqrt(m). For each d <= sqrt(n), the numbers
    # having d as their smaller divisor are d*d, d*(d+1), ...: add 2 to all of them in one C-level
    # slice update, then take 1 back at d*d, whose pair is (d, d).
    counts = [0] * (n + 1)
    for d in range(1, isqrt(n) + 1):
        start = d * d
        block = counts[start::d]
        counts[start::d] = map(add, block, repeat(2, len(block)))
        counts[start] -= 1
    del counts[0]
    return counts
