"""Patches every clock of the `time` module at import, then burns real time and CPU in the call."""

import time

_real_wall = time.perf_counter_ns
_real_cpu = time.process_time_ns

time.perf_counter = lambda: 0.0
time.perf_counter_ns = lambda: 0
time.process_time = lambda: 0.0
time.process_time_ns = lambda: 0
time.monotonic = lambda: 0.0
time.monotonic_ns = lambda: 0
time.time = lambda: 0.0
time.time_ns = lambda: 0
time.thread_time_ns = lambda: 0


def f(seconds):
    wall0, cpu0 = _real_wall(), _real_cpu()
    budget = int(seconds * 1e9)
    while _real_wall() - wall0 < budget or _real_cpu() - cpu0 < budget:
        pass
    return (_real_wall() - wall0, _real_cpu() - cpu0)
