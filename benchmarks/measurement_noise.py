"""How noisy are effilab's measurements on this machine, and what does `compare` conclude from them?

    .venv/bin/python benchmarks/measurement_noise.py [--quick]

Prints
  1. the coefficient of variation of wall time and of instruction counts over 10 repeats of a fixed function
     (each repeat a fresh sandboxed process), on a quiet machine and with a background CPU hog;
  2. how often `compare` of a program against itself wrongly says `faster` (or `slower`) over 20 trials;
  3. the smallest speed difference `compare` detects as `faster` at 95 % confidence within a 30 s budget.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator

from effilab.measure import Program, Sampler, compare, resolve_backend
from effilab.sandbox import Limits

SOURCE = """
def work(n, scale=1.0):
    total = 0
    for i in range(int(n * scale)):
        total += i * i % 7
    return total % 1000003
"""
N = 200_000


@contextlib.contextmanager
def cpu_hog(enabled: bool) -> Iterator[None]:
    """A busy loop in another process, competing for the CPU for as long as the block runs."""
    if not enabled:
        yield
        return
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)  # let it get scheduled before measuring (benchmark set-up, not a timing assumption)
        yield
    finally:
        hog.kill()
        hog.wait()


def cv(values: list[float]) -> float:
    return statistics.pstdev(values) / statistics.fmean(values)


def repeat_cv(metric: str, repeats: int) -> tuple[float, float]:
    """CV and mean per-call cost over `repeats` fresh processes, one calibrated sample each."""
    backend = resolve_backend(metric)
    program = Program(SOURCE.encode(), "work")
    size = N // 20 if backend.deterministic else N  # callgrind runs ~50× slower
    costs = []
    for _ in range(repeats):
        with Sampler(program, [(size,)], backend=backend, limits=Limits(timeout_s=120)) as sampler:
            assert sampler.take(), sampler.failure
            costs.append(sampler.samples[0])
    return cv(costs), statistics.fmean(costs)


def false_positive_rate(trials: int, budget_s: float) -> Counter[str]:
    program = Program(SOURCE.encode(), "work")
    verdicts: Counter[str] = Counter()
    for _ in range(trials):
        result = compare(program, program, [(N // 4,)], budget_s=budget_s)
        verdicts[result.verdict.value] += 1
    return verdicts


def smallest_detected(differences: list[float], budget_s: float) -> list[tuple[float, str, str, float]]:
    """For each relative difference d, compare A (scale 1) against B (scale 1 - d)."""
    rows = []
    for d in differences:
        a = Program((SOURCE + "\ndef entry(n):\n    return work(n, 1.0) * 0\n").encode(), "entry")
        b = Program((SOURCE + f"\ndef entry(n):\n    return work(n, {1 - d!r}) * 0\n").encode(), "entry")
        result = compare(a, b, [(N // 4,)], budget_s=budget_s, confidence=0.95)
        ci = "" if result.speedup is None else f"[{result.speedup.low:.3f}, {result.speedup.high:.3f}]"
        rows.append((d, result.verdict.value, ci, result.elapsed_s))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer trials, smaller budgets (a smoke run)")
    args = parser.parse_args()
    repeats, trials, budget = (4, 3, 8.0) if args.quick else (10, 20, 30.0)

    print(f"1. coefficient of variation over {repeats} fresh processes (fixed function, n={N})")
    for hog in (False, True):
        with cpu_hog(hog):
            label = "with a CPU hog" if hog else "quiet         "
            wall_cv, wall_mean = repeat_cv("time", repeats)
            line = f"   {label}  wall time CV {wall_cv:6.2%}  (mean {wall_mean / 1e6:.2f} ms)"
            instr_cv, instr_mean = repeat_cv("instructions", repeats)
            line += f"   instructions CV {instr_cv:.4%}  (mean {instr_mean:,.0f})"
            print(line, flush=True)

    print(f"2. compare A vs A, {trials} trials, time metric, {budget:g} s budget each")
    for hog in (False, True):
        with cpu_hog(hog):
            verdicts = false_positive_rate(trials, budget)
            wrong = verdicts["faster"] + verdicts["slower"]
            label = "with a CPU hog" if hog else "quiet         "
            claims = f"wrongly 'faster': {verdicts['faster']}/{trials}, any wrong claim: {wrong}/{trials}"
            print(f"   {label}  {claims}   ({dict(verdicts)})", flush=True)

    print(f"3. smallest difference detected as 'faster' at 95 % within {budget:g} s (time metric)")
    rows = smallest_detected([0.20, 0.10, 0.05, 0.03, 0.02, 0.01], budget)
    for d, verdict, ci, elapsed in rows:
        print(f"   B {d:4.0%} less work: {verdict:18s} speedup CI {ci:18s} ({elapsed:.1f} s)", flush=True)
    detected = [d for d, verdict, _, _ in rows if verdict == "faster"]
    print(f"   smallest detected: {min(detected):.0%}" if detected else "   none detected")


if __name__ == "__main__":
    main()
