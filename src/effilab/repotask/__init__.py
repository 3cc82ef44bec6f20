"""Repository optimization tasks: score a patch that makes a real repository's workload faster.

A task (:func:`load_task`, docs/repotasks.md) names a repository, its base, a workload script, the guarding
tests and optionally an expert patch. :func:`run_tasks` scores patches on five counts (applies, tests pass,
outputs equivalent, speedup with a confidence interval, speedup relative to the expert's), refuses those
that cheat (:mod:`.gates`), and reports opt@k and the harmonic mean of the speedup ratio over tasks.
"""

from __future__ import annotations

from effilab.repotask.runner import Attempt, TaskRunReport, load_predictions, run_tasks
from effilab.repotask.scoring import PatchScore, PatchVerdict, ScoreSettings, Speedup
from effilab.repotask.task import RepoSource, RepoTask, load_task

__all__ = [
    "Attempt",
    "PatchScore",
    "PatchVerdict",
    "RepoSource",
    "RepoTask",
    "ScoreSettings",
    "Speedup",
    "TaskRunReport",
    "load_predictions",
    "load_task",
    "run_tasks",
]
