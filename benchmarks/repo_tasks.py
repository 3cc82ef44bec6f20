"""The worked repository tasks on real packages: each expert patch scored like any candidate.

    .venv/bin/python benchmarks/repo_tasks.py [--tasks examples/repotasks/*/task.toml] [--rounds N]
                                              [--cache DIR] [--db FILE] [--json]

Each task of examples/repotasks/ pins a pure-Python package from the package index (``name==version``): its
source distribution is fetched once (``pip download --no-binary :all: --no-deps``) into the cache and
unpacked; the package's own tests guard it. The expert patch (written for effilab, one per example: a genuine
speedup of the package's hot spot) is then scored on the five counts of ``effilab task run``: it applies,
the guarding tests pass, the workload's outputs are equivalent on both seeds, and its speedup over the base
with a 95 % bootstrap interval (interleaved rounds of fresh sandboxed runs, CPU time from the kernel's
account, net of an empty program's start). Needs the network once, for the downloads.

One row per task: the package, the hot spot, the verdict, the speedup per seed with its interval, and the
base's and patched median cost of a run (net). Progress goes to stderr; the exit status is 0 whatever the
verdicts.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from effilab.repotask import ScoreSettings, load_task, run_tasks

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", nargs="*", default=None, help="task files (default: examples/repotasks/*)")
    parser.add_argument("--rounds", type=int, default=None, help="timed rounds (default: each task's)")
    parser.add_argument("--cache", default=str(Path.home() / ".cache" / "effilab" / "repotasks"))
    parser.add_argument("--db", default=None, help="results file (default: a temporary one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    files = args.tasks or sorted(str(p) for p in (ROOT / "examples" / "repotasks").glob("*/task.toml"))
    tasks = [load_task(f) for f in files]
    settings = ScoreSettings(rounds=args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "repo_tasks.sqlite")
        report = run_tasks(tasks, [], db=db, cache=Path(args.cache), settings=settings,
                           progress=lambda text: print(f"  {text}", file=sys.stderr))  # fmt: skip
    if args.json:
        print(json.dumps({k: v.to_dict() for k, v in report.experts.items()}, indent=2))
        return 0
    print(
        f"{'task':<32} {'package':<24} {'verdict':<10} seed: speedup [95% CI]      base → patched (ms, net)"
    )
    for task in tasks:
        score = report.experts.get(task.id)
        if score is None:
            print(f"{task.id:<32} {task.repo.describe():<24} (no expert patch)")
            continue
        print(f"{task.id:<32} {task.repo.describe():<24} {score.verdict.value:<10} {score.detail}")
        for s in score.speedups:
            d = s.to_dict()
            print(f"{'':<68} seed {s.seed}: {s.point:.3g}× [{s.low:.3g}, {s.high:.3g}]   "
                  f"{d['base_median_ms']:.1f} → {d['patched_median_ms']:.1f}")  # fmt: skip
        print(f"{'':<4}hot spot: {task.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
