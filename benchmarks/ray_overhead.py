"""Ray executor vs local executor: wall time of the same evaluation, and Ray's own per-task overhead.

    .venv/bin/python benchmarks/ray_overhead.py [--suite effilab] [--samples examples/effilab-samples.jsonl]
        [--workers 2] [--rounds 2] [--json]

Alternates local and Ray runs (``--rounds`` of each, fresh results files, one fixed seed), on a local Ray
cluster of ``--workers`` CPUs started once beforehand (its start-up is reported, not counted). Then the
round trip of an empty Ray task (sequential) and the dispatch rate of empty tasks (many in flight), and a
projection for 100 workers from the measured per-sample cost and overheads (docs/scaling.md).
Needs the extra ``ray``.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from effilab import api
from effilab.evaluate.runner import CHUNK
from effilab.executors.ray_executor import import_ray

ROOT = Path(__file__).resolve().parents[1]


def _noop(x: int) -> int:
    return x


def _evaluate(
    suite: str, samples: str, workers: int, executor: str, db: Path
) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    report = api.evaluate(suite=suite, samples=samples, db=db, workers=workers, seed=7, executor=executor)
    return time.perf_counter() - started, report.to_dict()


def _task_overheads(ray: Any, n: int = 300) -> tuple[float, float]:
    """(sequential round trip of an empty task, seconds per task when ``n`` are in flight at once)."""
    noop = ray.remote(num_cpus=1)(_noop)
    ray.get([noop.remote(i) for i in range(20)])  # warm the workers
    trips = []
    for i in range(n):
        started = time.perf_counter()
        ray.get(noop.remote(i))
        trips.append(time.perf_counter() - started)
    started = time.perf_counter()
    ray.get([noop.remote(i) for i in range(n)])
    return statistics.median(trips), (time.perf_counter() - started) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default="effilab")
    parser.add_argument("--samples", default=str(ROOT / "examples" / "effilab-samples.jsonl"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    ray = import_ray()
    started = time.perf_counter()
    ray.init(
        address="local",
        num_cpus=args.workers,
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.WARNING,
    )
    startup = time.perf_counter() - started
    local: list[float] = []
    remote: list[float] = []
    last: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            for name, times in (("local", local), ("ray", remote)):
                seconds, data = _evaluate(
                    args.suite, args.samples, args.workers, name, Path(tmp) / f"{name}{r}.db"
                )
                times.append(seconds)
                last[name] = data
                print(f"round {r + 1} {name:5}: {seconds:.2f} s", flush=True)
    trip, dispatch = _task_overheads(ray)
    ray.shutdown()

    n = last["local"]["samples"]
    problems = last["local"]["problems"]
    units = sum(-(-row["n"] // CHUNK) for row in last["local"]["per_problem"])
    per_sample = min(local) * args.workers / n  # worker-seconds per sample (includes its problem's setup)
    ratio = min(remote) / min(local)
    # 100 workers: each sample costs per_sample worker-seconds plus its share of one task's round trip;
    # the driver dispatches tasks at 1/dispatch per second, one per unit.
    per_unit_samples = n / units
    workers_bound = 100 / (per_sample + trip / per_unit_samples)
    driver_bound = per_unit_samples / dispatch
    result = {
        "suite": args.suite,
        "samples": n,
        "problems": problems,
        "units": units,
        "workers": args.workers,
        "ray_startup_s": startup,
        "local_s": local,
        "ray_s": remote,
        "ratio_best": ratio,
        "verdicts_equal": last["local"]["verdicts"] == last["ray"]["verdicts"],
        "ray_task_round_trip_s": trip,
        "ray_dispatch_s_per_task": dispatch,
        "worker_s_per_sample": per_sample,
        "projected_100_workers_samples_per_s": min(workers_bound, driver_bound),
        "projection_bounds": {"workers": workers_bound, "driver": driver_bound},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{n} samples, {problems} problems, {units} units; {args.workers} workers; "
          f"Ray start-up {startup:.1f} s")  # fmt: skip
    print(f"local: best {min(local):.2f} s  ray: best {min(remote):.2f} s  ratio {ratio:.3f}")
    print(f"verdicts equal: {result['verdicts_equal']}")
    print(f"empty Ray task: round trip {trip * 1e3:.2f} ms, dispatch {dispatch * 1e3:.3f} ms/task in flight")
    projected = result["projected_100_workers_samples_per_s"]
    print(f"per sample: {per_sample:.3f} worker-s; 100 workers: workers bound {workers_bound:.1f}/s, "
          f"driver bound {driver_bound:.0f}/s -> {projected:.1f} samples/s")  # fmt: skip


if __name__ == "__main__":
    main()
