"""Scoring patches over tasks: predictions, resumable storage, opt@k and the harmonic mean.

* **opt@k** (GSO): per task with ``n`` patches of which ``c`` are solved, the unbiased estimate
  ``1 - C(n-c, k) / C(n, k)`` (the pass@k estimator, :func:`effilab.evaluate.metrics.pass_at_k`), averaged
  over the tasks with at least ``k`` patches.
* **harmonic mean of the speedup ratio** (SWE-fficiency): per task with an expert, the patch's speedup over
  the expert's; a patch that fails any check keeps the base (speedup 1, so a ratio of 1 / expert's); with
  several patches per task the best ratio counts. The harmonic mean is dominated by the worst tasks, as
  SWE-fficiency intends.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument
from effilab.evaluate.metrics import geometric_mean, pass_at_k
from effilab.programs.box import BoxPool
from effilab.repotask.materialize import base_tree
from effilab.repotask.scoring import (
    PatchScore,
    PatchVerdict,
    ScoreSettings,
    TaskContext,
    prepare_task,
    score_patch,
)
from effilab.repotask.store import TaskStore
from effilab.repotask.task import RepoTask

__all__ = ["Attempt", "TaskRunReport", "load_predictions", "run_tasks"]

Progress = Callable[[str], None]


@dataclasses.dataclass(frozen=True, slots=True)
class Attempt:
    """One patch proposed for one task."""

    instance_id: str
    label: str
    text: str

    @property
    def key(self) -> str:
        return f"{self.label}:{hashlib.sha256(self.text.encode()).hexdigest()[:16]}"


def load_predictions(path: str | Path) -> list[Attempt]:
    """``{"instance_id": ..., "model_patch": ...}`` per line (SWE-bench's layout); repeats are attempts."""
    file = Path(path)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidArgument(
            f"--predictions {file}: cannot read ({exc.__class__.__name__}: {exc})"
        ) from None
    attempts: list[Attempt] = []
    counts: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise InvalidArgument(f"{file}:{number}: not JSON ({exc})") from None
        if not isinstance(record, dict):
            raise InvalidArgument(f"{file}:{number}: each line is an object with instance_id and model_patch")
        instance, patch = record.get("instance_id"), record.get("model_patch")
        if not isinstance(instance, str) or not instance:
            raise InvalidArgument(f"{file}:{number}: instance_id must be a non-empty string")
        if patch is None:
            patch = ""  # SWE-bench writes null for a model that produced nothing: scored as an empty patch
        if not isinstance(patch, str):
            raise InvalidArgument(f"{file}:{number}: model_patch must be a string (a unified diff)")
        index = counts.get(instance, 0)
        counts[instance] = index + 1
        attempts.append(Attempt(instance, f"{instance}#{index + 1}", patch))
    if not attempts:
        raise InvalidArgument(f"--predictions {file}: no predictions in the file")
    return attempts


@dataclasses.dataclass(frozen=True, slots=True)
class TaskRunReport:
    scores: tuple[PatchScore, ...]
    experts: dict[str, PatchScore]
    ks: tuple[int, ...]
    notes: tuple[str, ...]
    run_key: str

    def per_task(self) -> dict[str, list[PatchScore]]:
        grouped: dict[str, list[PatchScore]] = {}
        for score in self.scores:
            grouped.setdefault(score.instance_id, []).append(score)
        return grouped

    def opt_at_k(self, k: int) -> float | None:
        values = [
            pass_at_k(len(s), sum(x.solved for x in s), k) for s in self.per_task().values() if len(s) >= k
        ]
        return sum(values) / len(values) if values else None

    def harmonic_mean_ratio(self) -> float | None:
        ratios: list[float] = []
        for scores in self.per_task().values():
            found = [s.relative for s in scores if s.relative is not None]
            if found:
                ratios.append(max(found))
        if not ratios or any(r <= 0 for r in ratios):
            return None
        return len(ratios) / sum(1.0 / r for r in ratios)

    def geomean_speedup(self) -> float | None:
        best = [max(s.effective_speedup for s in scores) for scores in self.per_task().values()]
        return geometric_mean(best) if best else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_key": self.run_key,
            "tasks": len(self.per_task()),
            "patches": len(self.scores),
            "solved": sum(s.solved for s in self.scores),
            **{f"opt@{k}": self.opt_at_k(k) for k in self.ks},
            "harmonic_mean_speedup_ratio": self.harmonic_mean_ratio(),
            "geomean_speedup": self.geomean_speedup(),
            "experts": {k: v.to_dict() for k, v in self.experts.items()},
            "scores": [s.to_dict() for s in self.scores],
            "notes": list(self.notes),
        }


def _run_key(tasks: Sequence[RepoTask], settings: ScoreSettings) -> str:
    digest = hashlib.sha256()
    for task in tasks:
        digest.update(task.file.read_bytes())
        digest.update(task.workload.read_bytes())
        digest.update((task.expert or "").encode())
        digest.update(task.repo.describe().encode())
    digest.update(repr(dataclasses.astuple(settings)).encode())
    return digest.hexdigest()[:24]


def run_tasks(
    tasks: Sequence[RepoTask],
    attempts: Sequence[Attempt],
    *,
    db: str | Path,
    cache: Path,
    settings: ScoreSettings = ScoreSettings(),  # noqa: B008 -- frozen, never mutated
    ks: Sequence[int] = (1,),
    progress: Progress = lambda _: None,
) -> TaskRunReport:
    """Score every attempt (and each task's expert patch), storing each score as soon as it is known."""
    by_id: dict[str, RepoTask] = {}
    for task in tasks:
        if task.id in by_id:
            raise InvalidArgument(f"{task.file}: task id {task.id!r} also used by {by_id[task.id].file}")
        by_id[task.id] = task
    notes: list[str] = []
    unknown = sorted({a.instance_id for a in attempts} - set(by_id))
    if unknown:
        notes.append(f"predictions for unknown tasks ignored: {', '.join(unknown[:5])}")
    run_key = _run_key(tasks, settings)
    store = TaskStore(db)
    scores: list[PatchScore] = []
    experts: dict[str, PatchScore] = {}
    scratch = Path(tempfile.mkdtemp(prefix="effilab-repotask-"))
    os.chmod(scratch, 0o755)  # the sandbox's unprivileged user reads the copies below it
    try:
        with BoxPool(isolation=settings.isolation) as pool:
            for task in tasks:
                mine = [a for a in attempts if a.instance_id == task.id]
                stored = {a.key: store.get(run_key, task.id, a.key) for a in mine}
                expert_stored = store.get(run_key, task.id, "expert") if task.expert else None
                todo = [a for a in mine if stored[a.key] is None]
                if todo or (task.expert and expert_stored is None):
                    progress(f"{task.id}: preparing {task.repo.describe()}")
                    tree = base_tree(task.repo, cache=cache)
                    ctx = prepare_task(task, tree, pool, scratch, settings, progress)
                    if task.expert:
                        expert = expert_stored or score_patch(
                            ctx, "expert", task.expert, progress, expert=True
                        )
                        store.put(run_key, "expert", expert)
                        experts[task.id] = expert
                        _set_expert(ctx, expert, notes)
                    for attempt in todo:
                        score = score_patch(ctx, attempt.label, attempt.text, progress)
                        store.put(run_key, attempt.key, score)
                        stored[attempt.key] = score
                    shutil.rmtree(ctx.base.root, ignore_errors=True)
                elif expert_stored is not None:
                    experts[task.id] = expert_stored
                for attempt in mine:
                    found = stored[attempt.key]
                    assert found is not None
                    scores.append(found)
                progress(f"{task.id}: done")
    finally:
        store.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return TaskRunReport(tuple(scores), experts, tuple(ks), tuple(notes), run_key)


def _set_expert(ctx: TaskContext, expert: PatchScore, notes: list[str]) -> None:
    if expert.verdict is PatchVerdict.FASTER and expert.speedup is not None:
        ctx.expert_speedup = expert.speedup.point
    else:
        notes.append(f"{ctx.task.id}: the expert patch is not a verified speedup ({expert.verdict.value}: "
                     f"{expert.detail}); no relative speedup for this task")  # fmt: skip
