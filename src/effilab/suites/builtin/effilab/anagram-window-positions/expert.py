from itertools import accumulate
from operator import sub


def anagram_positions(text: str, pattern: str) -> list[int]:
    # Exact multiset fingerprint: a window of m characters is the number whose base-(m+1) digits
    # are its character counts (every count is at most m, so no digit overflows). Characters of
    # the pattern get one digit each; every other character shares one extra "foreign" digit.
    # Window fingerprints are differences of C-level prefix sums (itertools.accumulate).
    n, m = len(text), len(pattern)
    if m == 0 or m > n:
        return []
    base = m + 1
    weight: dict[str, int] = {}
    w = 1
    for c in pattern:
        if c not in weight:
            weight[c] = w
            w *= base
    foreign = w
    for c in set(text):
        if c not in weight:
            weight[c] = foreign
    target = sum(map(weight.__getitem__, pattern))
    prefix = list(accumulate(map(weight.__getitem__, text), initial=0))
    return [i for i, s in enumerate(map(sub, prefix[m:], prefix)) if s == target]
