"""The typed results of the public API (:mod:`effilab.api`), and its progress events.

Each result is frozen and keeps the library's own typed object (``.comparison``, ``.summary`` …) for
callers who want more; ``to_dict()`` is exactly the object the matching command prints with ``--json``,
so a notebook and a shell script read the same fields.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from typing import Any

from effilab.evaluate.runner import RunInfo
from effilab.evaluate.summary import Summary
from effilab.measure import CompareVerdict, Comparison, ScaleResult
from effilab.optimize.session import OptimizeResult
from effilab.sandbox import RunResult, Verdict, codec
from effilab.sandbox.probe import Capabilities

__all__ = [
    "CompareReport",
    "DoctorReport",
    "EvaluateReport",
    "OptimizeReport",
    "ProgressCallback",
    "ProgressEvent",
    "ProgressKind",
    "RunReport",
    "ScaleReport",
]


class ProgressKind(enum.StrEnum):
    START = "start"
    """Work begins; ``total`` (and ``done``, when resuming) are known."""
    ADVANCE = "advance"
    """One more unit finished (a sample, a measurement round, a size)."""
    NOTE = "note"
    """Something worth telling a user (a skipped line, a dropped case, an optimizer step)."""


@dataclasses.dataclass(frozen=True, slots=True)
class ProgressEvent:
    kind: ProgressKind
    message: str = ""
    done: int | None = None
    total: int | None = None


ProgressCallback = Callable[[ProgressEvent], None]
"""Receives progress; the API prints nothing by itself."""


@dataclasses.dataclass(frozen=True, slots=True)
class RunReport:
    """One sandboxed call (``effilab exec``). The candidate's fate is ``verdict``, never an exception."""

    result: RunResult

    @property
    def verdict(self) -> Verdict:
        return self.result.verdict

    @property
    def output(self) -> object:
        """The returned value when the verdict is ok, else None."""
        call = self.result.calls[0] if self.result.calls else None
        return call.value if call is not None and call.verdict is Verdict.OK else None

    def to_dict(self) -> dict[str, Any]:
        result = self.result
        call = result.calls[0] if result.calls else None
        error = result.load.error if not result.load.verdict.is_ok else (call.error if call else None)
        ok = call is not None and call.verdict is Verdict.OK
        return {
            "verdict": result.verdict.value,
            "output": codec.to_plain_json(call.value) if ok and call else None,
            "output_tagged": codec.encode(call.value) if ok and call else None,
            "error": None
            if error is None
            else {"type": error.type, "message": error.message, "traceback": error.traceback},
            "wall_ns": call.wall_ns if call else None,
            "cpu_ns": call.cpu_ns if call else None,
            "peak_rss_kib": call.peak_rss_kib if call else None,
            "parent_wall_ns": call.parent_wall_ns if call else None,
            "censored": bool(call and call.censored),
            "stdout": (call.stdout_tail if call else result.load.stdout_tail),
            "stderr": (call.stderr_tail if call else result.load.stderr_tail),
            "isolation": list(result.layers),
            "isolation_tier": result.isolation,
            "python": result.python_version,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class CompareReport:
    """Is B faster than A (the oracle), and still right (``effilab compare``)."""

    comparison: Comparison

    @property
    def verdict(self) -> CompareVerdict:
        return self.comparison.verdict

    @property
    def speedup(self) -> float | None:
        """Point estimate of cost(A) / cost(B); None when not measured."""
        return self.comparison.speedup.point if self.comparison.speedup is not None else None

    def to_dict(self) -> dict[str, Any]:
        return self.comparison.to_json()


@dataclasses.dataclass(frozen=True, slots=True)
class ScaleReport:
    """Cost against input size and the best-fitting complexity class (``effilab scale``)."""

    result: ScaleResult

    @property
    def complexity(self) -> str | None:
        """The best fit's label, e.g. ``"O(n log n)"``; None with fewer than three measured sizes."""
        return self.result.fit.best.label if self.result.fit is not None else None

    def to_dict(self) -> dict[str, Any]:
        return self.result.to_json()


@dataclasses.dataclass(frozen=True, slots=True)
class EvaluateReport:
    """Scores of a sample file on a suite, with the facts of the run (``effilab evaluate``)."""

    info: RunInfo
    suite: str
    """The suite's name."""
    db: str
    seconds: float
    """Wall time of the evaluation (store opened to summary)."""

    @property
    def summary(self) -> Summary:
        return self.info.summary

    def metric(self, name: str) -> float | None:
        """A summary figure by its ``--json`` key, e.g. ``report.metric("pass@1")``."""
        value = self.info.summary.to_json().get(name)
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    def to_dict(self) -> dict[str, Any]:
        info = self.info
        return {
            **info.summary.to_json(),
            "run_id": info.run_id,
            "seed": info.seed,
            "db": self.db,
            "resumed": info.resumed,
            "already_done": info.already_done,
            "evaluated_now": info.evaluated,
            "seconds": round(self.seconds, 2),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class OptimizeReport:
    """A verified, measured faster version of a function, or an honest no (``effilab optimize``)."""

    result: OptimizeResult

    @property
    def accepted(self) -> bool:
        return self.result.accepted

    @property
    def speedup(self) -> float | None:
        return self.result.speedup

    @property
    def patch(self) -> str:
        return self.result.patch

    def to_dict(self) -> dict[str, Any]:
        return self.result.to_json()


@dataclasses.dataclass(frozen=True, slots=True)
class DoctorReport:
    """What this machine supports, each isolation tier verified by starting a sandbox (``effilab doctor``)."""

    capabilities: Capabilities
    cost_backends: dict[str, bool]
    """Backend name → available here."""
    cost_accounting: str
    """How sandbox CPU is accounted: ``cgroup-v2``, ``cgroup-v1`` or ``procfs``."""

    def to_dict(self) -> dict[str, Any]:
        report = dataclasses.asdict(self.capabilities)
        report["cost_backends"] = dict(self.cost_backends)
        report["cost_accounting"] = self.cost_accounting
        return report
