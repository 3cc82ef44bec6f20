"""Answers its first two calls in each process, then never returns: later samples are censored."""

import itertools

_calls = itertools.count()


def linear(n):
    if next(_calls) >= 2:
        while True:
            pass
    return sum(range(n))
