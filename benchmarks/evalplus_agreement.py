"""Does effilab judge HumanEval+ / MBPP+ samples as EvalPlus's own evaluator does, and how fast?

    .venv/bin/python benchmarks/evalplus_agreement.py [--dataset mbpp|humaneval|both]
        [--data-dir ../shared/data/evalplus] [--evalplus-python /tmp/evalplus-venv/bin/python]
        [--workers 2] [--out DIR]

For every task of the dataset it writes two samples (EvalPlus's ``solution`` records):

* the canonical solution, as EvalPlus runs it (``prompt + canonical_solution``);
* one *mutant*: the same program, with the entry point rebound to a wrapper that perturbs every value it
  returns, deterministically (``_effilab_perturb`` below: ``not`` a bool, ``+ 1`` to an int,
  ``* 1.5 + 1`` to a float, ``"x"`` appended to a str, ``None`` appended to a list or tuple, a key added
  to a dict, …).
  Recursive entry points call the wrapper too, which both evaluators see the same way.

It then runs ``effilab evaluate`` on them (as a child process, whose own peak RSS is reported: the
evaluator's, not that of the sandboxed interpreters it drives), and, when an interpreter with the
``evalplus`` package is given (install it into a separate venv: ``python -m venv /tmp/evalplus-venv &&
/tmp/evalplus-venv/bin/pip install evalplus==0.3.1``; it is never one of effilab's dependencies), runs
``evalplus.evaluate`` on the same file.
EvalPlus reads the same local dataset through ``HUMANEVAL_OVERRIDE_PATH`` / ``MBPP_OVERRIDE_PATH`` (nothing
is downloaded) and gets an empty cache directory, so it computes its ground truth as effilab does on every
run. Both get ``--workers``/``--parallel`` processes. A sample passes EvalPlus when its base and plus
statuses are both ``pass``; it passes effilab when its verdict is ``ok``.

Printed: per dataset, samples, wall time of each evaluator, verdict agreement, effilab's peak memory and
every disagreement with both verdicts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "evalplus"
DEFAULT_EVALPLUS_PYTHON = "/tmp/evalplus-venv/bin/python"
FILES = {"humaneval": "HumanEvalPlus.jsonl.gz", "mbpp": "MbppPlus.jsonl.gz"}
OVERRIDE = {"humaneval": "HUMANEVAL_OVERRIDE_PATH", "mbpp": "MBPP_OVERRIDE_PATH"}

MUTANT = """

def _effilab_perturb(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value * 1.5 + 1.0
    if isinstance(value, complex):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, list):
        return value + [None]
    if isinstance(value, tuple):
        return value + (None,)
    if isinstance(value, dict):
        return {**value, "_effilab_mutant": None}
    if isinstance(value, (set, frozenset)):
        return type(value)(value) | {"_effilab_mutant"}
    if value is None:
        return 0
    return None


_effilab_original = {entry}


def {entry}(*args, **kwargs):
    return _effilab_perturb(_effilab_original(*args, **kwargs))
"""

# The evaluator's own peak resident memory (RUSAGE_SELF), printed on stderr when `effilab evaluate` returns.
_WRAPPER = """
import resource, sys
from effilab.cli.main import main
status = main(sys.argv[1:])
print(f"PEAK_RSS_KIB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(status)
"""


def read_tasks(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_samples(tasks: list[dict[str, Any]], path: Path) -> None:
    """Canonical solution then mutant, per task, in the dataset's order."""
    with path.open("w", encoding="utf-8") as out:
        for task in tasks:
            program = task["prompt"] + task["canonical_solution"]
            mutant = program + MUTANT.replace("{entry}", task["entry_point"])
            for solution in (program, mutant):
                out.write(json.dumps({"task_id": task["task_id"], "solution": solution}) + "\n")


def run_effilab(dataset: Path, samples: Path, db: Path, workers: int) -> dict[str, Any]:
    argv = [sys.executable, "-c", _WRAPPER, "evaluate", "--suite", f"evalplus:{dataset}", "--samples",
            str(samples), "--db", str(db), "--workers", str(workers), "--json"]  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"effilab evaluate failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    peak = next(line.split() for line in proc.stderr.splitlines() if line.startswith("PEAK_RSS_KIB"))
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT task_id, sample, verdict, detail FROM samples").fetchall()
    return {
        "seconds": seconds,
        "peak_mb": int(peak[1]) / 1024,
        "report": json.loads(proc.stdout),
        "verdicts": {(task, sample): (verdict, detail) for task, sample, verdict, detail in rows},
    }


def run_evalplus(
    python: str, name: str, dataset: Path, samples: Path, workers: int, tmp: Path
) -> dict[str, Any]:
    plain = tmp / f"{name}-dataset.jsonl"  # EvalPlus reads .gz too; plain text keeps its hash stable
    plain.write_bytes(gzip.decompress(dataset.read_bytes()))
    env = {**os.environ, OVERRIDE[name]: str(plain), "XDG_CACHE_HOME": str(tmp / f"{name}-cache")}
    argv = [python, "-m", "evalplus.evaluate", "--dataset", name, "--samples", str(samples), "--parallel",
            str(workers), "--i_just_wanna_run"]  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"evalplus.evaluate failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    ground_truth = next(
        (line for line in proc.stdout.splitlines() if "Expected outputs computed" in line), ""
    )
    results = json.loads(samples.with_name(samples.stem + "_eval_results.json").read_text())
    verdicts = {}
    for task_id, items in results["eval"].items():
        for index, item in enumerate(items):
            verdicts[(task_id, index)] = (item["base_status"], item["plus_status"])
    return {"seconds": seconds, "verdicts": verdicts, "ground_truth": ground_truth.strip()}


def compare(name: str, effilab: dict[str, Any], evalplus: dict[str, Any] | None) -> None:
    ours = effilab["verdicts"]
    report = effilab["report"]
    print(f"\n## {name}: {len(ours)} samples judged by effilab")
    peak = effilab["peak_mb"]
    print(f"effilab wall time: {effilab['seconds']:.1f} s; peak RSS of the evaluator {peak:.0f} MB")
    print(f"effilab verdicts: {report['verdicts']}")
    for broken in report.get("problems_broken", []):
        print(f"broken problem: {broken['task_id']}: {broken['reason']}")
    for item in report.get("dropped", []):
        print(f"dropped case: {item['task_id']} level {item['level']} case {item['case']}: {item['reason']}")
    if evalplus is None:
        return
    theirs = evalplus["verdicts"]
    keys = sorted(set(ours) | set(theirs))
    agree = 0
    disagreements = []
    for key in keys:
        our = ours.get(key)
        their = theirs.get(key)
        our_pass = our is not None and our[0] == "ok"
        their_pass = their is not None and their == ("pass", "pass")
        if our is not None and their is not None and our_pass == their_pass:
            agree += 1
        else:
            disagreements.append((key, our, their))
    ratio = effilab["seconds"] / evalplus["seconds"]
    print(f"EvalPlus wall time: {evalplus['seconds']:.1f} s  (effilab / EvalPlus = {ratio:.2f}×)")
    print(f"EvalPlus: {evalplus['ground_truth']}")
    print(f"agreement: {agree}/{len(keys)} = {100 * agree / len(keys):.2f} %")
    for (task, sample), our, their in disagreements:
        kind = "canonical" if sample == 0 else "mutant"
        print(f"  disagree {task} {kind}: effilab {our[0] if our else 'not evaluated'} "
              f"({(our[1] if our else '')[:150]}), EvalPlus {their}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", choices=["mbpp", "humaneval", "both"], default="both")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--evalplus-python", default=DEFAULT_EVALPLUS_PYTHON,
                        help="an interpreter with the evalplus package ('' to skip EvalPlus)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="keep samples, store and results here")
    args = parser.parse_args()
    names = ["mbpp", "humaneval"] if args.dataset == "both" else [args.dataset]
    evalplus_python = (
        args.evalplus_python if args.evalplus_python and Path(args.evalplus_python).exists() else None
    )
    if evalplus_python is None:
        print("EvalPlus not found (--evalplus-python): effilab's side only")
    with tempfile.TemporaryDirectory(prefix="evalplus-agreement-") as scratch:
        tmp = args.out or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        for name in names:
            dataset = args.data_dir / FILES[name]
            samples = tmp / f"{name}-samples.jsonl"
            write_samples(read_tasks(dataset), samples)
            db = tmp / f"{name}.sqlite"
            db.unlink(missing_ok=True)
            effilab = run_effilab(dataset, samples, db, args.workers)
            evalplus = (
                run_evalplus(evalplus_python, name, dataset, samples, args.workers, tmp)
                if evalplus_python
                else None
            )
            compare(name, effilab, evalplus)


if __name__ == "__main__":
    main()
