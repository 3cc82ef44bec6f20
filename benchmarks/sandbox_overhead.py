"""What isolation costs: start-up of a fresh sandboxed interpreter, and per-call overhead on a warm worker.

    .venv/bin/python benchmarks/sandbox_overhead.py [--starts 20] [--calls 2000]

For each isolation tier available here it prints
  * start-up: launch + confine the interpreter (``Worker.start``); then also load a module and make one call;
  * per call: the parent's round trip for a call of a no-op function on a warm worker, and the part of it
    that is harness (round trip minus the time the child measured around the call itself).
Median and spread (p10–p90) over many repetitions.
"""

from __future__ import annotations

import argparse
import statistics
import time

from effilab.sandbox import ISOLATION_TIERS, Limits, Worker

SOURCE = "def noop():\n    return None\n"


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    deciles = statistics.quantiles(values, n=10)
    return deciles[0], statistics.median(values), deciles[-1]


def _fmt(label: str, values: list[float], unit: str) -> str:
    p10, p50, p90 = _quantiles(values)
    return f"  {label:<34} median {p50:8.3f} {unit}   p10–p90 {p10:8.3f} – {p90:8.3f} {unit}"


def bench_tier(name: str, starts: int, calls: int) -> None:
    reason = ISOLATION_TIERS[name].unavailable_reason()
    if reason is not None:
        print(f"{name}: unavailable ({reason})")
        return
    limits = Limits(timeout_s=10)
    start_ms, first_call_ms = [], []
    layers: tuple[str, ...] = ()
    for _ in range(starts):
        began = time.perf_counter_ns()
        with Worker(limits=limits, isolation=name) as worker:
            worker.load(SOURCE, entry="noop")
            worker.call([])
            first_call_ms.append((time.perf_counter_ns() - began) / 1e6)
            start_ms.append(worker.start_ns / 1e6)
            layers = worker.layers
    round_trip_us, harness_us = [], []
    with Worker(limits=limits, isolation=name) as worker:
        worker.load(SOURCE, entry="noop")
        for _ in range(50):  # warm-up
            worker.call([])
        for _ in range(calls):
            result = worker.call([])
            round_trip_us.append(result.parent_wall_ns / 1e3)
            harness_us.append((result.parent_wall_ns - (result.wall_ns or 0)) / 1e3)
    print(f"{name}: {', '.join(layers)}")
    print(_fmt("start (launch + confine)", start_ms, "ms"))
    print(_fmt("start + load + first call + close", first_call_ms, "ms"))
    print(_fmt("warm call round trip", round_trip_us, "µs"))
    print(_fmt("warm call harness overhead", harness_us, "µs"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--starts", type=int, default=20, help="fresh sandboxes started per tier")
    parser.add_argument("--calls", type=int, default=2000, help="warm calls per tier")
    args = parser.parse_args()
    for name in ISOLATION_TIERS:
        bench_tier(name, args.starts, args.calls)


if __name__ == "__main__":
    main()
