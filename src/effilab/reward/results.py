"""What the reward says about one completion: the number, and how it came about."""

from __future__ import annotations

import dataclasses
import enum
import math
from typing import Any

from effilab.evaluate.store import SampleRow

__all__ = ["Measured", "Outcome", "RewardResult"]


class Outcome(enum.StrEnum):
    """Which branch of the reward formula a completion took (see :mod:`effilab.reward.shaping`)."""

    CORRECT = "correct"
    FAILED = "failed"
    """Loaded but wrong, an error, a crash or a limit (the verdict says which)."""
    MALFORMED = "malformed"
    """No code, a syntax error, or no definition of the entry point (decided before anything runs)."""
    DEADLINE = "deadline"
    """Not finished within the batch's time bound."""


@dataclasses.dataclass(frozen=True, slots=True)
class Measured:
    """The evaluator's judgement of one program (what the cache keeps)."""

    outcome: Outcome
    verdict: str
    """The engine's verdict (``ok``, ``wrong_answer``, ``timeout``…), or ``malformed`` / ``deadline``."""
    eff: float = 0.0
    """ENAMEL's efficiency score in [0, 1] (0 unless correct, and for correctness-only problems)."""
    speedup: float | None = None
    """Baseline reference's cost / the program's, over the timed cases (None: not correct, not timed, or
    censored on a level)."""
    beats: bool = False
    """At least ``beat_threshold`` (1.1) times cheaper than the best reference."""
    detail: str = ""
    seconds: float = 0.0
    """Time the evaluation took (0 for malformed completions, which never run)."""
    speedup_vs_best: float | None = None
    """The best reference's (the oracle's) cost / the program's, summed over the timed levels' worst cases
    (None: not correct, not timed, or censored). 1 at parity with the best reference: what ``log_speedup``
    uses, because a speedup against the slowest reference saturates any clip for every decent program."""

    @classmethod
    def from_row(cls, row: SampleRow) -> Measured:
        outcome = Outcome.CORRECT if row.passed else Outcome.FAILED
        speedup = row.speedup if row.speedup is not None and math.isfinite(row.speedup) else None
        return cls(
            outcome,
            row.verdict,
            row.score if row.passed else 0.0,
            speedup,
            row.beats_best,
            row.detail,
            row.seconds,
            _vs_best(row) if row.passed else None,
        )

    @classmethod
    def malformed(cls, reason: str) -> Measured:
        return cls(Outcome.MALFORMED, Outcome.MALFORMED.value, detail=reason)

    @classmethod
    def deadline(cls, seconds: float) -> Measured:
        return cls(
            Outcome.DEADLINE,
            Outcome.DEADLINE.value,
            detail=f"not finished within the batch's time bound ({seconds:g} s)",
        )


def _vs_best(row: SampleRow) -> float | None:
    """Oracle cost over the program's, per timed level's worst case, summed (None if any is missing)."""
    levels = [lv for lv in row.levels if lv.cost is not None and lv.reference_cost is not None]
    if not levels:
        return None
    own = math.fsum(lv.cost for lv in levels if lv.cost is not None)
    best = math.fsum(lv.reference_cost for lv in levels if lv.reference_cost is not None)
    if not (math.isfinite(own) and own > 0 and math.isfinite(best)):
        return None
    return best / own


@dataclasses.dataclass(frozen=True, slots=True)
class RewardResult:
    """One completion's reward with its provenance (what ``effilab serve`` returns per completion)."""

    task_id: str
    reward: float
    outcome: Outcome
    verdict: str
    eff: float
    speedup: float | None
    beats: bool
    cached: bool
    """True when the judgement came from the reward's cache (the same code on the same task before)."""
    detail: str
    seconds: float
    speedup_vs_best: float | None = None
    """Against the best reference (the oracle), per timed level's worst case: what ``log_speedup`` uses."""

    @property
    def correct(self) -> bool:
        return self.outcome is Outcome.CORRECT

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (enum values as strings)."""
        data = dataclasses.asdict(self)
        data["outcome"] = self.outcome.value
        return data
