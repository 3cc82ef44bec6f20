"""Evaluator throughput and harness overhead on a fixed workload.

    .venv/bin/python benchmarks/eval_throughput.py [--suite S --samples FILE] [--workers 1,2] [--repeat 1]

Default workload: ENAMEL's 142 scored problems with its expert references as the samples (read from
../shared/data/enamel when present), otherwise the built-in suite with each problem's expert reference as
its sample. For each worker count it runs ``effilab evaluate`` from scratch into a temporary store and prints

* samples evaluated per minute (wall clock, everything included: inputs, oracle, references, samples);
* pure execution time: the time the code under test (samples and references) ran, as measured inside the
  sandbox around the calls themselves, summed over every call and timed run;
* harness overhead = wall time × workers ÷ pure execution time (1.0 would mean no harness cost at all);
* the summary's pass@1 and eff@1, so repeated runs also show the score's stability.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from effilab.evaluate.engine import EvalConfig
from effilab.evaluate.runner import evaluate
from effilab.evaluate.samples import open_samples
from effilab.evaluate.store import ResultStore, SampleRow
from effilab.sandbox import worker as worker_module
from effilab.suites import load_suite
from effilab.suites.model import CHECKER_ENTRY, GENERATOR_ENTRY

ENAMEL = Path(__file__).resolve().parents[2] / "shared" / "data" / "enamel"


class _Quiet:
    def start(self, total: int, done: int, resumed: bool) -> None:
        self.total = total

    def advance(self, row: SampleRow) -> None:
        return None

    def note(self, text: str) -> None:
        return None

    def close(self) -> None:
        return None


class _ExecutionClock:
    """Sums the child-measured time of every call and timed run of loaded programs (not generators)."""

    def __init__(self) -> None:
        self.total_ns = 0
        self._lock = threading.Lock()
        self._call = worker_module.Worker.call
        self._measure = worker_module.Worker.measure

    def __enter__(self) -> _ExecutionClock:
        clock = self

        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = clock._call(self, *args, **kwargs)
            clock._add(self, result.wall_ns)
            return result

        def measure(self: Any, *args: Any, **kwargs: Any) -> Any:
            sample = clock._measure(self, *args, **kwargs)
            clock._add(self, sample.wall_ns)
            return sample

        worker_module.Worker.call = call  # type: ignore[method-assign]
        worker_module.Worker.measure = measure  # type: ignore[method-assign]
        return self

    def _add(self, worker: Any, wall_ns: int | None) -> None:
        if wall_ns is not None and worker.entry not in (GENERATOR_ENTRY, CHECKER_ENTRY):
            with self._lock:
                self.total_ns += wall_ns

    def __exit__(self, *exc: object) -> None:
        worker_module.Worker.call = self._call  # type: ignore[method-assign]
        worker_module.Worker.measure = self._measure  # type: ignore[method-assign]


def _default_workload() -> tuple[str, str]:
    csv, samples = ENAMEL / "enamel.csv", ENAMEL / "samples" / "enamel-references.json"
    if csv.is_file() and samples.is_file():
        return f"enamel:{csv}", str(samples)
    suite = load_suite("effilab")
    path = Path(tempfile.mkdtemp()) / "experts.jsonl"
    with path.open("w") as out:
        for problem in suite:
            record = {"task_id": problem.id, "solution": problem.oracle.source.decode()}
            out.write(json.dumps(record) + "\n")
    return "effilab", str(path)


def run_once(suite_spec: str, samples_path: str, workers: int) -> dict[str, float]:
    suite = load_suite(suite_spec)
    samples = open_samples(samples_path, suite)
    config = EvalConfig(alpha=suite.settings.alpha, repetitions=suite.settings.repetitions,
                        seed=suite.settings.seed if suite.settings.seed is not None else 0,
                        check_after_censor=suite.settings.check_after_censor)  # fmt: skip
    with (
        tempfile.TemporaryDirectory() as tmp,
        ResultStore(Path(tmp) / "r.sqlite") as store,
        _ExecutionClock() as clock,
    ):
        started = time.perf_counter()
        info = evaluate(suite, samples, store, config, ks=(1,), workers=workers, reporter=_Quiet())
        wall = time.perf_counter() - started
    metrics = info.summary.metric_values()
    execution = clock.total_ns / 1e9
    return {
        "samples": float(samples.count),
        "wall_s": wall,
        "samples_per_min": samples.count / wall * 60,
        "execution_s": execution,
        "overhead": wall * workers / execution if execution else float("nan"),
        "pass@1": metrics["pass@1"] or 0.0,
        "eff@1": metrics["eff@1"] or 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--suite")
    parser.add_argument("--samples")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts (1,2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (1)")
    args = parser.parse_args()
    suite_spec, samples_path = (args.suite, args.samples) if args.suite else _default_workload()
    print(f"workload: --suite {suite_spec} --samples {samples_path}")
    for workers in (int(w) for w in args.workers.split(",")):
        for _ in range(args.repeat):
            r = run_once(suite_spec, samples_path, workers)
            print(
                f"workers={workers}: {r['samples']:.0f} samples in {r['wall_s']:.1f} s "
                f"= {r['samples_per_min']:.0f}/min; code under test ran {r['execution_s']:.1f} s; "
                f"harness overhead {r['overhead']:.2f}; pass@1 {r['pass@1']:.4f} eff@1 {r['eff@1']:.4f}"
            )


if __name__ == "__main__":
    main()
