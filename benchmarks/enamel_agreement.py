"""effilab against ENAMEL's own evaluator, on the same samples: wall time, pass@1, eff@1, per problem.

    .venv/bin/python benchmarks/enamel_agreement.py [--samples humaneval-canonical]
        [--data-dir ../shared/data/enamel] [--enamel-python /tmp/enam-venv/bin/python]
        [--workers 1] [--out DIR] [--skip-enamel] [--busy]

ENAMEL's evaluator is the ``enam`` package (``python -m venv /tmp/enam-venv &&
/tmp/enam-venv/bin/pip install enam==0.0.2``; never one of effilab's dependencies). It runs here as ENAMEL's
``demo.py`` runs it, with its published settings (seed 998244353, 8/4/4/4 tests, 6 repetitions,
hardness 0/3/3/4, α = 2, 10 ms tolerance), from scratch: it generates its tests, times the expert
reference and then the samples, all inside its own process (no sandbox: it ``exec``s the samples, so only
give it trusted samples such as the shipped canonical solutions). Its wall time is everything ``demo.py``
does; effilab's is ``effilab evaluate`` from an empty store, also everything (inputs, oracle, references,
samples), in the full sandbox.

Printed: both wall times and their ratio, both pass@1 and eff@1, and every problem where the two
evaluators' eff differs by more than ``--tolerance`` (default 0.1), with the level-by-level figures of
both. ``--out DIR`` keeps both evaluators' raw outputs. ``--busy`` keeps a CPU hog (a busy loop in another
process) running through effilab's run: the eff@1 of a quiet run and of a busy one should differ by
≤ 0.004.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "enamel"
DEFAULT_ENAMEL_PYTHON = "/tmp/enam-venv/bin/python"

# ENAMEL's demo.py, reduced to what it does for a JSON samples file (its defaults, its order of work).
_DRIVER = r"""
import json, sys, time
from enam.evaluate import Evaluator
from enam import PROBLEMSET
csv, samples, out = sys.argv[1:4]
started = time.perf_counter()
evaluator = Evaluator(problems=csv, subset=PROBLEMSET, n_tests=[8, 4, 4, 4], n_reps=6,
                      hardness=[0., 3., 3., 4.], memory_giga=4., timeout_factor=2., tolerence_sec=0.01,
                      seed=998244353)
evaluator.make_tests(save_name=None)
with open(samples) as handle:
    codes = json.load(handle)
metrics = evaluator.evaluate(codes, k=[1], save_name=out)
json.dump({"wall_s": time.perf_counter() - started, "metrics": metrics, "subset": PROBLEMSET},
          open(out + "~summary.json", "w"))
"""


def run_enamel(python: str, csv: Path, samples: Path, out: Path) -> dict[str, Any]:
    driver = out / "driver.py"
    driver.write_text(_DRIVER)
    prefix = str(out / "enamel")
    subprocess.run([python, str(driver), str(csv), str(samples), prefix], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    summary = json.loads(Path(prefix + "~summary.json").read_text())
    passes = json.loads(Path(prefix + "~passes.json").read_text())
    effs = json.loads(Path(prefix + "~effs.json").read_text())
    hardness = [0.0, 3.0, 3.0, 4.0]
    per_problem = {}
    for index, levels in effs.items():
        level_effs = levels[0]
        score = sum(h * e for h, e in zip(hardness, level_effs, strict=True)) / sum(hardness)
        per_problem[f"HumanEval/{index}"] = {"passed": bool(passes[index][0]), "eff": score,
                                             "levels": level_effs[1:]}  # fmt: skip
    return {"wall_s": summary["wall_s"], "metrics": summary["metrics"], "problems": per_problem}


def run_effilab(csv: Path, samples: Path, out: Path, workers: int) -> dict[str, Any]:
    db = out / "effilab.sqlite"
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv" / "bin" / "effilab"), "evaluate", "--suite", f"enamel:{csv}",
                    "--samples", str(samples), "--db", str(db), "--workers", str(workers), "--json"],
                   check=True, stdout=(out / "effilab-summary.json").open("w"))  # fmt: skip
    return read_effilab(out, time.perf_counter() - started, workers)


def read_effilab(out: Path, wall: float, workers: int) -> dict[str, Any]:
    db = out / "effilab.sqlite"
    summary = json.loads((out / "effilab-summary.json").read_text())
    per_problem: dict[str, dict[str, Any]] = {}
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        for task, verdict, passed, score in conn.execute(
            "SELECT task_id, verdict, passed, score FROM samples WHERE sample = 0"
        ):
            per_problem[task] = {"passed": bool(passed), "eff": score, "verdict": verdict, "levels": []}
        for task, level, cost, reference in conn.execute(
            "SELECT task_id, level, cost, reference_cost FROM levels WHERE sample = 0 ORDER BY level"
        ):
            if task in per_problem and level > 0:
                ratio = cost / reference if cost is not None and reference else None
                per_problem[task]["levels"].append(ratio)
    return {"wall_s": wall, "summary": summary, "problems": per_problem, "workers": workers}


def _metric(summary: dict[str, Any], name: str) -> float:
    found = summary.get("metrics", summary).get(name)
    if isinstance(found, dict):
        found = found.get("value")
    return float(found) if found is not None else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", default="humaneval-canonical",
                        help="a file in DATA/samples, without .json (humaneval-canonical)")  # fmt: skip
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--enamel-python", default=DEFAULT_ENAMEL_PYTHON)
    parser.add_argument("--workers", type=int, default=1, help="effilab's workers (1: ENAMEL uses one core)")
    parser.add_argument("--tolerance", type=float, default=0.1)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--skip-enamel", action="store_true", help="run effilab only")
    parser.add_argument("--busy", action="store_true", help="a CPU hog runs alongside effilab")
    parser.add_argument("--reuse", action="store_true",
                        help="read effilab's results from a previous run into the same --out")  # fmt: skip
    args = parser.parse_args()
    csv = args.data_dir / "enamel.csv"
    samples = args.data_dir / "samples" / f"{args.samples}.json"
    if not csv.is_file() or not samples.is_file():
        sys.exit(f"enamel_agreement: {csv} or {samples} is missing")
    out = args.out or Path(tempfile.mkdtemp(prefix="enamel-agreement-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"samples: {samples}; outputs in {out}", flush=True)
    if args.reuse:
        ours = json.loads((out / "effilab.json").read_text())
    else:
        hog = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.busy else None
        try:
            ours = run_effilab(csv, samples, out, args.workers)
        finally:
            if hog is not None:
                hog.kill()
                hog.wait()
        (out / "effilab.json").write_text(json.dumps(ours))
    pass1, eff1 = _metric(ours["summary"], "pass@1"), _metric(ours["summary"], "eff@1")
    who = f"effilab (workers={ours['workers']}{', with a CPU hog' if args.busy else ''})"
    print(f"{who}: {ours['wall_s']:.1f} s; pass@1 {pass1:.3f} eff@1 {eff1:.3f}")
    if args.skip_enamel:
        return
    if not Path(args.enamel_python).exists():
        sys.exit(
            f"enamel_agreement: no interpreter at {args.enamel_python} (see the docstring to install enam)"
        )
    theirs = run_enamel(args.enamel_python, csv, samples, out)
    metrics = theirs["metrics"]
    print(f"ENAMEL's evaluator: {theirs['wall_s']:.1f} s; pass@1 {metrics['pass@1']:.3f} "
          f"eff@1 {metrics['eff@1']:.3f}")  # fmt: skip
    print(f"wall time, effilab / ENAMEL: {ours['wall_s'] / theirs['wall_s']:.2f}x")
    tasks = sorted(set(ours["problems"]) & set(theirs["problems"]), key=lambda t: int(t.split("/")[1]))
    verdicts = sum(ours["problems"][t]["passed"] == theirs["problems"][t]["passed"] for t in tasks)
    diffs = [(t, ours["problems"][t], theirs["problems"][t]) for t in tasks]
    far = [(t, o, e) for t, o, e in diffs if abs(o["eff"] - e["eff"]) > args.tolerance]
    mean_abs = sum(abs(o["eff"] - e["eff"]) for _, o, e in diffs) / max(len(diffs), 1)
    print(f"{len(tasks)} problems: same pass/fail on {verdicts}; mean |eff difference| {mean_abs:.3f}; "
          f"{len(far)} differ by more than {args.tolerance}:")  # fmt: skip
    for task, o, e in far:
        ours_levels = " ".join("-" if r is None else f"{r:.2f}" for r in o["levels"])
        their_levels = " ".join(f"{x:.2f}" for x in e["levels"])
        print(f"  {task:14} effilab {o['eff']:.2f} ({o.get('verdict')}; cost/ref per level {ours_levels})  "
              f"ENAMEL {e['eff']:.2f} (eff per level {their_levels})")  # fmt: skip
    (out / "agreement.json").write_text(json.dumps({"effilab": ours, "enamel": theirs}, indent=1))


if __name__ == "__main__":
    main()
