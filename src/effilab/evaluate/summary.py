"""The run's summary, computed only from what the store holds (so a resumed run ends with the same one)."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from effilab.evaluate import metrics
from effilab.evaluate.store import SampleRow

__all__ = ["ProblemSummary", "Summary", "summarize"]


@dataclasses.dataclass(frozen=True, slots=True)
class ProblemSummary:
    task_id: str
    n: int
    correct: int
    timed: bool
    scores: tuple[float, ...]
    best_speedup: float | None
    beats_best: int
    dpe: float | None
    verdicts: dict[str, int]
    censored: int = 0
    """Correct samples that timed out on a weighted level (scored 0 from there on)."""

    def to_json(self, ks: Sequence[int]) -> dict[str, Any]:
        row: dict[str, Any] = {"task_id": self.task_id, "n": self.n, "correct": self.correct}
        for k in ks:
            if k <= self.n:
                row[f"pass@{k}"] = metrics.pass_at_k(self.n, self.correct, k)
                row[f"eff@{k}"] = metrics.eff_at_k(self.scores, k) if self.timed else None
        row["best_speedup"] = self.best_speedup
        row["dpe"] = self.dpe
        row["verdicts"] = self.verdicts
        return row


@dataclasses.dataclass(frozen=True, slots=True)
class Summary:
    problems: tuple[ProblemSummary, ...]
    ks: tuple[int, ...]
    metric: str
    baseline: str
    missing: tuple[str, ...] = ()
    """Problems of the suite that had no samples (left out of every average)."""
    broken: dict[str, str] = dataclasses.field(default_factory=dict)
    """Problems that could not score samples (task → reason): their samples were not evaluated, and they
    are left out of every average, like problems without samples."""
    not_evaluated: dict[str, int] = dataclasses.field(default_factory=dict)
    """Samples per broken problem."""
    dropped: tuple[dict[str, Any], ...] = ()
    """Cases left out because the oracle could not produce their expected output (task_id, level, case,
    reason); the problem was scored on its other cases."""
    hosts: tuple[dict[str, Any], ...] = ()
    """Samples per host and isolation tier (``host``, ``isolation``, ``samples``) they and their anchors
    ran on; a run spread over hosts whose tiers differ says so (:attr:`mixed_isolation`)."""

    @property
    def mixed_isolation(self) -> bool:
        return len({h["isolation"] for h in self.hosts}) > 1

    def metric_values(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        timed = [p for p in self.problems if p.timed]
        for k in self.ks:
            eligible = [p for p in self.problems if p.n >= k]
            out[f"pass@{k}"] = _mean(metrics.pass_at_k(p.n, p.correct, k) for p in eligible)
            timed_k = [p for p in timed if p.n >= k]
            out[f"eff@{k}"] = _mean(metrics.eff_at_k(p.scores, k) for p in timed_k) if timed_k else None
            out[f"efficient@{k}"] = (
                _mean(metrics.efficient_at_k(p.n, p.beats_best, k) for p in timed_k) if timed_k else None
            )
        speedups = [p.best_speedup for p in timed if p.best_speedup is not None]
        summary = metrics.speedup_summary(speedups)
        out["speedup_geomean"] = None if math.isnan(summary.geomean) else summary.geomean
        out["pct_opt"] = None if math.isnan(summary.pct_opt) else summary.pct_opt
        dpes = [p.dpe for p in timed if p.dpe is not None]
        out["dpe"] = _mean(dpes) if dpes else None
        return out

    def to_json(self) -> dict[str, Any]:
        verdicts: Counter[str] = Counter()
        for p in self.problems:
            verdicts.update(p.verdicts)
        return {
            **self.metric_values(),
            "metric": self.metric,
            "speedup_baseline": self.baseline,
            "problems": len(self.problems),
            "samples": sum(p.n for p in self.problems),
            "verdicts": dict(sorted(verdicts.items())),
            "samples_censored": sum(p.censored for p in self.problems),
            "problems_without_samples": list(self.missing),
            "problems_broken": [
                {"task_id": task, "reason": reason, "samples_not_evaluated": self.not_evaluated.get(task, 0)}
                for task, reason in sorted(self.broken.items())
            ],
            "cases_dropped": len(self.dropped),
            "dropped": list(self.dropped),
            "hosts": list(self.hosts),
            "mixed_isolation": self.mixed_isolation,
            "per_problem": [p.to_json(self.ks) for p in self.problems],
        }


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return math.fsum(items) / len(items) if items else None


def summarize(
    rows: Iterable[SampleRow],
    *,
    ks: Sequence[int],
    timed: dict[str, bool],
    metric: str,
    baseline: str,
    missing: Sequence[str] = (),
    broken: dict[str, str] | None = None,
    not_evaluated: dict[str, int] | None = None,
    dropped: Sequence[dict[str, Any]] = (),
    hosts: Sequence[dict[str, Any]] = (),
) -> Summary:
    """Group stored rows by task (rows arrive ordered by task) and summarise each problem."""
    problems: list[ProblemSummary] = []
    current: list[SampleRow] = []
    for row in rows:
        if current and row.task_id != current[0].task_id:
            problems.append(_problem(current, timed.get(current[0].task_id, False)))
            current = []
        current.append(row)
    if current:
        problems.append(_problem(current, timed.get(current[0].task_id, False)))
    return Summary(tuple(problems), tuple(ks), metric, baseline, tuple(missing), dict(broken or {}),
                   dict(not_evaluated or {}), tuple(dropped), tuple(hosts))  # fmt: skip


def _problem(rows: list[SampleRow], timed: bool) -> ProblemSummary:
    speedups = [r.speedup for r in rows if r.passed and r.speedup is not None]
    dpes = [r.dpe if r.passed and r.dpe is not None else 0.0 for r in rows]
    return ProblemSummary(
        task_id=rows[0].task_id,
        n=len(rows),
        correct=sum(r.passed for r in rows),
        timed=timed,
        scores=tuple(r.score for r in rows),
        best_speedup=max(speedups) if speedups else None,
        beats_best=sum(r.beats_best for r in rows if r.passed),
        dpe=math.fsum(dpes) / len(dpes) if timed else None,
        verdicts=dict(Counter(r.verdict for r in rows)),
        censored=sum(r.passed and any(lv.verdict == "timeout" for lv in r.levels) for r in rows),
    )
