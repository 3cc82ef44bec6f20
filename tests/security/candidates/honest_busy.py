"""Control for the forged-timer test: burns the same time honestly."""

import time


def f(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
    return seconds
