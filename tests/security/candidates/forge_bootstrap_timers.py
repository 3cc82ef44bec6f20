"""Reaches into the trusted bootstrap's globals (it runs as __main__) and replaces the clocks it bound
before the candidate was imported, then burns real time and CPU in the call."""

import sys
import time

_real_wall = time.perf_counter_ns
_real_cpu = time.process_time_ns

bootstrap = sys.modules["__main__"]
for name in ("_wall_ns", "_cpu_ns"):
    if hasattr(bootstrap, name):
        setattr(bootstrap, name, lambda: 0)


def f(seconds):
    wall0, cpu0 = _real_wall(), _real_cpu()
    budget = int(seconds * 1e9)
    while _real_wall() - wall0 < budget or _real_cpu() - cpu0 < budget:
        pass
    return (_real_wall() - wall0, _real_cpu() - cpu0)
