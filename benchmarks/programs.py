"""Whole programs (issue 14): sandboxed start-up, instruction-count determinism, shipped suite's speedups.

    .venv/bin/python benchmarks/programs.py [--runs 40] [--skip-startup] [--skip-counts] [--skip-suite]
        [--instructions-languages cpp] [--repetitions 3]

1. **Start-up.** A trivial static C++ program (reads two numbers, prints their sum) run bare
   (``subprocess.run``) and in a box (``run_program``), interleaved, ``--runs`` times each: median latency
   from the call to the result, and the ratio (issue 14's target: ≤ 2x). Boxes are prepared ahead (the pool
   launches the next while the current runs); the cold figure prepares each box on demand. CPU per run
   (this process and its children, all work included) is printed too.
2. **Determinism.** callgrind's instruction count of every shipped C++ slow and fast program on its level-1
   test, three runs each in fresh boxes: the number of programs whose counts differ (target: 0).
3. **Speedup and %OPT** of the shipped fast versions (PIE's ``target``) over the slow ones, evaluated as
   candidates by ``effilab evaluate --suite pie:programs --samples pie:programs --column target``: in CPU
   time (all pairs) and in instructions (``--instructions-languages``, C++ by default: Python under
   callgrind takes minutes per pair).
"""

from __future__ import annotations

import argparse
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from effilab.programs.box import BoxPool
from effilab.programs.compile import Build, compile_program
from effilab.programs.counting import count_instructions
from effilab.programs.evaluate import ProgramEvalConfig, evaluate_programs, summarise
from effilab.programs.languages import get_language
from effilab.programs.limits import ProgramLimits
from effilab.programs.run import run_program
from effilab.suites.pie import ProgramSuite, load_pie
from effilab.suites.registry import BUILTIN_ROOT

TRIVIAL = b'#include <cstdio>\nint main(){int a,b; if(scanf("%d %d",&a,&b)==2) printf("%d\\n",a+b);}\n'
SUITE = BUILTIN_ROOT / "programs"


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def startup(runs: int, cache: Path) -> None:
    """Bare vs sandboxed latency of a trivial program, interleaved, in three regimes (see the docstring)."""
    limits = ProgramLimits(timeout_s=5.0, memory_mb=256)
    regimes = (("box ready (runs 30 ms apart)", True, 0.03), ("back to back", True, 0.0),
               ("cold (box made on demand)", False, 0.0))  # fmt: skip
    for label, ahead, gap in regimes:
        with BoxPool(ahead=ahead) as pool:
            build = compile_program(get_language("cpp"), TRIVIAL, pool=pool, cache_dir=cache)
            assert build.executable is not None
            exe = str(build.executable)
            bare: list[float] = []
            boxed: list[float] = []
            cpu_bare = cpu_box = 0.0
            for _ in range(3):  # warm both paths
                subprocess.run([exe], input=b"1 2", capture_output=True, check=True)
                run_program(pool, build.profile(), files=build.files(), stdin=b"1 2", limits=limits,
                            executable=build.entry)  # fmt: skip
            loop_cpu = _cpu_s()
            for _ in range(runs):
                time.sleep(gap)  # the work an evaluation does between runs (judging, bookkeeping)
                c0, t0 = _cpu_s(), time.perf_counter()
                out = subprocess.run([exe], input=b"40 2", capture_output=True, check=True)
                t1, c1 = time.perf_counter(), _cpu_s()
                time.sleep(gap)
                c1b, t1b = _cpu_s(), time.perf_counter()
                result = run_program(pool, build.profile(), files=build.files(), stdin=b"40 2", limits=limits,
                                     executable=build.entry)  # fmt: skip
                t2, c2 = time.perf_counter(), _cpu_s()
                assert out.stdout == result.stdout == b"42\n", (out.stdout, result)
                bare.append(t1 - t0)
                boxed.append(t2 - t1b)
                cpu_bare += c1 - c0
                cpu_box += c2 - c1b
        # Everything the sandboxed runs cost this process and its children, background work included
        # (preparing the next box, closing used ones and their namespaces), with the pool closed.
        cpu_all = _cpu_s() - loop_cpu - cpu_bare
        mb, ms = statistics.median(bare), statistics.median(boxed)
        print(f"start-up, {pool.tier} tier, {label}: bare {mb * 1e3:.2f} ms, sandboxed {ms * 1e3:.2f} ms "
              f"(median of {runs}) -> {ms / mb:.2f}x; CPU per run (this process and its children): bare "
              f"{cpu_bare / runs * 1e3:.2f} ms, sandboxed {cpu_all / runs * 1e3:.2f} ms with the background "
              f"work ({cpu_box / runs * 1e3:.2f} ms within the run)", flush=True)  # fmt: skip


def determinism(suite: ProgramSuite, cache: Path) -> None:
    limits = ProgramLimits(timeout_s=20.0)
    differing = 0
    checked = 0
    start = time.perf_counter()
    with BoxPool() as pool:
        for pair in suite:
            if pair.language.name != "cpp":
                continue
            test = next(t for t in pair.tests if t.level == 1)
            for source in (pair.slow, pair.target):
                assert source is not None
                build: Build = compile_program(pair.language, source, pool=pool, cache_dir=cache)
                counts = {
                    count_instructions(pool, build.profile(), files=build.files(), stdin=test.input,
                                       limits=limits, executable=build.entry).instructions
                    for _ in range(3)
                }  # fmt: skip
                checked += 1
                if len(counts) != 1 or None in counts:
                    differing += 1
                    print(f"  {pair.key}: counts differ: {sorted(map(str, counts))}")
    seconds = time.perf_counter() - start
    print(f"instruction counts: {checked} C++ programs x 3 runs (fresh boxes, level-1 test): "
          f"{differing} differ ({seconds:.0f} s)", flush=True)  # fmt: skip


def speedups(
    suite: ProgramSuite, cache: Path, metric: str, languages: set[str], repetitions: int, *, net: bool = True
) -> None:
    chosen = ProgramSuite(suite.name, tuple(p for p in suite if p.language.name in languages))
    generations = {p.key: [p.target] for p in chosen if p.target is not None}
    config = ProgramEvalConfig(
        cache_dir=cache, metric=metric, repetitions=repetitions, evaluate_target=False, net_of_empty=net
    )
    start = time.perf_counter()
    results = evaluate_programs(chosen, generations, config)
    summary = summarise(results)
    by_language: dict[str, list[float]] = {}
    for r in results:
        if r.best_speedup is not None:
            by_language.setdefault(r.language, []).append(r.best_speedup)
    parts = []
    for lang, values in sorted(by_language.items()):
        geo = math.exp(sum(math.log(v) for v in values) / len(values))
        opt = sum(v >= 1.1 for v in values) / len(values)
        parts.append(f"{lang}: {len(values)} pairs, geomean {geo:.2f}x, %OPT {100 * opt:.0f}%, "
                     f"min {min(values):.2f}x, max {max(values):.2f}x")  # fmt: skip
    correct = f"{summary['candidates_correct']}/{summary['candidates']}"
    label = metric if metric == "instructions" else f"{metric} ({'net of' if net else 'with'} start-up)"
    print(f"shipped suite, metric {label}: {summary['pairs']} pairs, correct {correct}, speedup geomean "
          f"{summary['speedup_geomean']:.2f}x, PIE mean "
          f"{summary['speedup_mean']:.2f}x, %OPT {100 * summary['pct_opt']:.0f}% "
          f"({time.perf_counter() - start:.0f} s)", flush=True)  # fmt: skip
    for part in parts:
        print(f"  {part}")


def main() -> int:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-counts", action="store_true")
    parser.add_argument("--skip-suite", action="store_true")
    parser.add_argument("--instructions-languages", default="cpp")
    args = parser.parse_args()
    suite = load_pie(SUITE / "problems.jsonl", SUITE / "tests")
    with tempfile.TemporaryDirectory(prefix="effilab-bench-") as tmp:
        cache = Path(tmp)
        if not args.skip_startup:
            startup(args.runs, cache)
        if not args.skip_counts:
            determinism(suite, cache)
        if not args.skip_suite:
            speedups(suite, cache, "time", {"cpp", "python", "c"}, args.repetitions)
            speedups(suite, cache, "time", {"cpp", "python", "c"}, args.repetitions, net=False)
            speedups(suite, cache, "instructions", set(args.instructions_languages.split(",")), 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
