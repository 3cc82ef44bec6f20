"""A small results file written the way evaluate and optimize write theirs, without running anything.

For the report's tests: two evaluation runs of the built-in suite's problems (one sample file each, so the
code can be read back), a problem whose id needs escaping, and an optimize run with measured and rejected
attempts. Everything is deterministic, so tests can assert exact figures.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from effilab.evaluate.store import LevelRow, ResultStore, SampleRow
from effilab.optimize.store import TrajectoryStore

TASKS = ("anagram-pair-count", "coin-change-ways")
HOSTILE = "</script><script>alert('x')</script>"
"""A program text that would end the page's script element if it were not escaped."""


def _sample(task: str, index: int, *, passed: bool, ratio: float, speedup: float | None) -> SampleRow:
    levels: tuple[LevelRow, ...] = (LevelRow(0, "ok" if passed else "wrong_answer", None, None),)
    if passed:
        levels += tuple(LevelRow(level, "ok", 1e-3 * level * ratio, 1e-3 * level) for level in (1, 2, 3))
    return SampleRow(
        task_id=task,
        sample=index,
        line=index + 1,
        verdict="ok" if passed else "wrong_answer",
        passed=passed,
        score=max(0.0, 1.5 - ratio) if passed else 0.0,
        speedup=speedup,
        beats_best=passed and ratio < 0.9,
        dpe=50.0 if passed else None,
        detail="" if passed else "level 0 case 1: got 3, expected 2",
        seconds=0.1,
        levels=levels,
    )


def write_samples(path: Path, n_per_task: int) -> str:
    lines = []
    for task in TASKS:
        for i in range(n_per_task):
            code = f"def f():\n    return {i}  # {task} {HOSTILE if i == 0 else ''}\n"
            lines.append(json.dumps({"task_id": task, "solution": code}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_run(store: ResultStore, run_id: str, samples: Path, n_per_task: int, *, shift: float) -> None:
    digest = write_samples(samples, n_per_task)
    config: dict[str, Any] = {
        "suite": "effilab",
        "samples": str(samples),
        "samples_digest": digest,
        "metric": "time",
        "baseline": None,
    }
    store.open_run(run_id, config, {"cores": 2})
    for t, task in enumerate(TASKS):
        store.save_reference(run_id, task, {"timed": [1, 2, 3], "costs": {}})
        for i in range(n_per_task):
            passed = i % 3 != 2
            ratio = shift * (0.5 + 0.4 * i + 0.3 * t)
            store.add_sample(run_id, _sample(task, i, passed=passed, ratio=ratio, speedup=4.0 / ratio))
    store.finish_run(run_id)


def add_optimize_run(path: Path) -> int:
    with TrajectoryStore(path, target="pkg/mod.py::slow", config={"strategy": "refine"}) as trajectory:
        run_id = trajectory.run_id
    db = sqlite3.connect(path)
    attempts = [
        (1, "wrong_answer", None, None, "input (3,): expected 6, got 5"),
        (2, "not_faster", 1.02, [0.95, 1.1], "not significantly faster"),
        (3, "accepted", 3.5, [3.1, 3.9], "3.5x faster"),
    ]
    for index, verdict, speedup, ci, detail in attempts:
        record = {
            "index": index,
            "strategy": "refine",
            "round": 1,
            "verdict": verdict,
            "detail": detail,
            "speedup": speedup,
            "ci": ci,
            "checked": 60,
            "function": f"def slow():\n    return {index}\n",
            "failing_input": "(3,)" if verdict == "wrong_answer" else None,
            "expected": "6" if verdict == "wrong_answer" else None,
            "actual": "5" if verdict == "wrong_answer" else None,
        }
        db.execute(
            "INSERT INTO optimize_attempts VALUES (?, ?, ?, ?, ?, ?)",
            (run_id, index, "refine", verdict, speedup, json.dumps(record)),
        )
    db.execute(
        "UPDATE optimize_runs SET finished = 1, result = ? WHERE run_id = ?",
        (json.dumps({"accepted": True, "speedup": 3.5}), run_id),
    )
    db.commit()
    db.close()
    return run_id


def build(folder: Path, *, n_per_task: int = 4) -> Path:
    """``folder/results.sqlite`` with runs ``run-a`` (``n_per_task`` samples per task), ``run-b`` (3 per
    task, slower) and one optimize run; the samples files beside it."""
    path = folder / "results.sqlite"
    with ResultStore(path) as store:
        add_run(store, "run-a", folder / "a.jsonl", n_per_task, shift=1.0)
        add_run(store, "run-b", folder / "b.jsonl", 3, shift=1.5)
    add_optimize_run(path)
    return path


SCALE_JSON: dict[str, Any] = {
    "metric": "time",
    "unit": "ns",
    "class": "O(n)",
    "fit": {"label": "O(n)", "coefficient": 2.0, "intercept": 100.0, "relative_rss": 0.001, "r2": 0.99},
    "alternatives": [],
    "points": [
        {"size": n, "median": 2.0 * n + 100, "mad": 5.0, "samples": [2.0 * n + 100 + d for d in (-3, 0, 4)]}
        for n in (100, 200, 400, 800)
    ],
    "stopped": None,
    "warnings": [],
}

COMPARE_JSON: dict[str, Any] = {
    "metric": "time",
    "unit": "ns",
    "a": {
        "median": 1000.0,
        "mad": 10.0,
        "n": 4,
        "censored": 0,
        "samples": [990.0, 1000.0, 1010.0, 1005.0],
        "processes": [1, 1, 2, 2],
        "repeat": [1, 1, 1, 1],
    },
    "b": {
        "median": 100.0,
        "mad": 2.0,
        "n": 4,
        "censored": 0,
        "samples": [99.0, 100.0, 101.0, 103.0],
        "processes": [1, 1, 2, 2],
        "repeat": [1, 1, 1, 1],
    },
    "speedup": 10.0,
    "ci": [9.5, 10.4],
    "confidence": 0.95,
    "verdict": "faster",
    "reason": "CI above 1",
    "correct": True,
    "failure": None,
    "warnings": [],
    "metadata": None,
    "elapsed_s": 1.0,
}
