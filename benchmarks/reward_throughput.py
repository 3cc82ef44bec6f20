"""Throughput of effilab's RL reward (EfficiencyReward): completions per second for one batch, with and
without the cache, and the per-completion overhead over executing the code alone.

    .venv/bin/python benchmarks/reward_throughput.py [--batch 64] [--workers 2] [--task pair-sum-count]
        [--repetitions 3] [--metric time]

The batch is what an RL step sends: distinct completions (each program carries its own comment, so the
cache and the in-batch sharing cannot help the first pass), in markdown fences, for one problem of the
built-in suite: half correct (the suite's standard solution), a quarter wrong (a wrong answer on level 0),
a quarter malformed (prose without code). The problem's context (cases, expected outputs, reference costs)
is built first and timed apart: it is paid once per problem per reward object.

Printed:

* the context build time;
* the batch without the cache: wall time, completions/s, and the mean time of one correct completion's
  judgement (sandboxed correctness pass over every case, then the timed rounds in fresh processes);
* the same batch again (all from the cache): wall time, completions/s;
* "executing the code alone": the standard solution called in this process on the same cases (once each),
  and the same in one sandboxed worker (start, load, one batch of calls), and the ratio of one correct
  completion's judgement to each.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import time
from pathlib import Path

from effilab.reward import EfficiencyReward, Outcome
from effilab.sandbox import Limits, Worker
from effilab.suites.cases import build_cases
from effilab.suites.registry import load_suite

ROOT = Path(__file__).resolve().parents[1]
BUILTIN = ROOT / "src" / "effilab" / "suites" / "builtin" / "effilab"


def _batch(task: str, entry: str, size: int) -> list[str]:
    standard = (BUILTIN / task / "standard.py").read_text()
    wrong = f"def {entry}(*args):\n    return None\n"
    completions = []
    for i in range(size):
        kind = i % 4
        if kind in (0, 1):
            completions.append(f"Answer {i}:\n```python\n# variant {i}\n{standard}```\n")
        elif kind == 2:
            completions.append(f"```python\n# variant {i}\n{wrong}```\n")
        else:
            completions.append(f"Variant {i}: I would use a hash map here.")
    return completions


def _alone_in_process(task: str, entry: str, cases: list[tuple[object, ...]]) -> float:
    """The suite's own standard solution (trusted code) called once per case in this process, seconds."""
    namespace: dict[str, object] = {}
    exec(compile((BUILTIN / task / "standard.py").read_text(), "standard.py", "exec"), namespace)
    function = namespace[entry]
    assert callable(function)
    copies = [copy.deepcopy(args) for args in cases]
    started = time.perf_counter()
    for args in copies:
        function(*args)
    return time.perf_counter() - started


def _alone_in_sandbox(task: str, entry: str, cases: list[tuple[object, ...]], isolation: str) -> float:
    """One sandboxed worker: start, load the standard solution, one batch of calls over every case."""
    source = (BUILTIN / task / "standard.py").read_bytes()
    started = time.perf_counter()
    with Worker(limits=Limits(timeout_s=60.0), isolation=isolation) as worker:
        load = worker.load(source, entry=entry, filename="standard.py")
        assert load.verdict.is_ok, load.detail
        results = worker.call_batch([list(args) for args in cases], timeout_s=60.0)
        assert all(r.verdict.is_ok for r in results)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--task", default="pair-sum-count")
    parser.add_argument("--repetitions", type=int, default=None, help="timed rounds (suite's default: 3)")
    parser.add_argument("--metric", default="time")
    args = parser.parse_args()

    suite = load_suite("effilab")
    problem = suite.get(args.task)
    assert problem is not None, f"no task {args.task!r} in the built-in suite"
    completions = _batch(args.task, problem.entry, args.batch)
    tasks = [args.task] * len(completions)
    print(
        f"machine: {os.cpu_count()} CPUs; batch {len(completions)} completions of {args.task} "
        f"(1/2 correct, 1/4 wrong, 1/4 malformed), {args.workers} workers, metric {args.metric}"
    )

    with EfficiencyReward(
        suite=suite,
        workers=args.workers,
        metric=args.metric,
        repetitions=args.repetitions,
        batch_timeout=None,
    ) as reward:
        started = time.perf_counter()
        reward.prepare([args.task])
        print(
            f"context (cases, oracle outputs, reference costs): {time.perf_counter() - started:.2f} s, once"
        )

        started = time.perf_counter()
        first = reward.score_detailed(tasks, completions)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        second = reward.score_detailed(tasks, completions)
        warm = time.perf_counter() - started
        seed = reward.config.seed

    outcomes = {kind: sum(r.outcome is kind for r in first) for kind in Outcome}
    expected_correct = sum(1 for i in range(len(completions)) if i % 4 in (0, 1))
    assert outcomes[Outcome.CORRECT] == expected_correct, outcomes
    assert all(r.cached for r in second if r.outcome is not Outcome.MALFORMED)  # malformed: never run
    correct = [r.seconds for r in first if r.outcome is Outcome.CORRECT]
    wrong = [r.seconds for r in first if r.outcome is Outcome.FAILED]
    print(
        f"without cache: {cold:.2f} s, {len(completions) / cold:.2f} completions/s "
        f"({', '.join(f'{k.value} {n}' for k, n in outcomes.items() if n)})"
    )
    print(
        f"  one correct completion's judgement: mean {statistics.mean(correct):.3f} s, "
        f"median {statistics.median(correct):.3f} s; one wrong one: mean "
        f"{statistics.mean(wrong) if wrong else 0:.3f} s; malformed: decided without running"
    )
    print(f"with cache:    {warm * 1e3:.1f} ms, {len(completions) / warm:,.0f} completions/s")

    assert seed is not None
    cases = [case.args for case in build_cases(problem, suite_seed=seed, isolation="auto")]
    in_process = _alone_in_process(args.task, problem.entry, cases)
    sandboxed = _alone_in_sandbox(args.task, problem.entry, cases, "auto")
    judged = statistics.mean(correct)
    print(
        f"executing the code alone on the same {len(cases)} cases: {in_process * 1e3:.2f} ms in process, "
        f"{sandboxed * 1e3:.1f} ms in one sandbox (start, load, one batch of calls)"
    )
    print(
        f"  overhead of one correct completion's reward: {judged / in_process:,.0f}x the code alone in "
        f"process, {judged / sandboxed:.1f}x one sandboxed run; {judged - sandboxed:.2f} s more per "
        "completion (fresh processes per timed round, the anchor, every value checked)"
    )


if __name__ == "__main__":
    main()
