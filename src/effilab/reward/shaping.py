"""From what the evaluator measured to one number: the reward's shape and its named variants.

One formula covers every variant (docs/training.md, "The reward")::

    malformed (no code, a syntax error, the entry point not defined):  R = malformed
    failed (wrong answer, error, crash, limit, batch deadline):         R = failure
    correct:  R = correct + eff_weight · eff
                + log_speedup_weight · clip(ln s, -log_speedup_clip, +log_speedup_clip)
                + beat_bonus · [at least beat_threshold (1.1) times cheaper than the best reference]

``eff`` is ENAMEL's per-sample efficiency score in [0, 1] (0 for a correctness-only problem), ``s`` the
speedup against the best reference (the oracle: its worst-case cost per timed level, summed, over the
completion's), so ln s is 0 at parity with the best known solution; a sample censored on a level, whose
cost there is unknown and at least the limit, takes the lowest clip value. The defaults keep every correct
completion above every failed one, and every failed one above a malformed one, so the policy is first
pushed to answer in form, then correctly, then fast.
"""

from __future__ import annotations

import dataclasses
import math

from effilab.errors import InvalidArgument
from effilab.reward.results import Outcome

__all__ = ["VARIANTS", "RewardShape", "resolve_shape"]


@dataclasses.dataclass(frozen=True, slots=True)
class RewardShape:
    """The constants of the reward formula (module docstring)."""

    correct: float = 1.0
    """Base reward of a correct completion."""
    failure: float = 0.0
    """A completion that loads but fails (wrong, error, crash, limit) or is not finished by the deadline."""
    malformed: float = -0.5
    """A completion with no code, a syntax error, or no definition of the entry point."""
    eff_weight: float = 0.0
    """Weight of ENAMEL's efficiency score eff ∈ [0, 1]."""
    log_speedup_weight: float = 0.0
    """Weight of the clipped natural log of the speedup against the best reference (the oracle)."""
    log_speedup_clip: float = math.log(16.0)
    """|ln s| is clipped here: one outlier measurement cannot dominate a batch's advantages."""
    beat_bonus: float = 0.0
    """Added when the completion is at least ``beat_threshold`` times cheaper than the best reference."""

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise InvalidArgument(f"RewardShape.{field.name}={value!r}: must be a finite number")
        if self.log_speedup_clip <= 0:
            raise InvalidArgument(f"RewardShape.log_speedup_clip={self.log_speedup_clip}: must be > 0")

    @property
    def lowest_correct(self) -> float:
        """The least a correct completion can get (negative shaping terms at their floor)."""
        return (
            self.correct
            + min(self.eff_weight, 0.0)
            - abs(self.log_speedup_weight) * self.log_speedup_clip
            + min(self.beat_bonus, 0.0)
        )

    def reward(
        self, outcome: Outcome, eff: float = 0.0, speedup: float | None = None, beats: bool = False
    ) -> float:
        """The reward of a completion with this outcome (``eff``, ``speedup``, ``beats`` count if correct)."""
        if outcome is Outcome.CORRECT:
            return self.correct_reward(eff, speedup, beats)
        return self.malformed if outcome is Outcome.MALFORMED else self.failure

    def correct_reward(self, eff: float, speedup: float | None, beats: bool) -> float:
        """The reward of a correct completion; ``speedup`` against the best reference (None: censored or
        not timed)."""
        reward = self.correct + self.eff_weight * eff
        if self.log_speedup_weight:
            if speedup is None or not speedup > 0:
                log_s = -self.log_speedup_clip  # censored: slower than the limit, the worst case we accept
            else:
                log_s = max(-self.log_speedup_clip, min(self.log_speedup_clip, math.log(speedup)))
            reward += self.log_speedup_weight * log_s
        if beats:
            reward += self.beat_bonus
        return reward


VARIANTS: dict[str, RewardShape] = {
    "correct": RewardShape(),
    "eff": RewardShape(eff_weight=1.0),
    "log_speedup": RewardShape(log_speedup_weight=0.25),
    "beat": RewardShape(beat_bonus=1.0),
    "eff+beat": RewardShape(eff_weight=1.0, beat_bonus=0.5),
}
"""Named shapes. ``correct``: 1 / 0 / -0.5; ``eff``: 1 + eff ∈ [1, 2]; ``log_speedup``: 1 + 0.25·clip(ln s,
±ln 16) ∈ [0.31, 1.69]; ``beat``: 1, or 2 when beating the best reference by 10 %; ``eff+beat``: both."""


def resolve_shape(variant: str | RewardShape) -> RewardShape:
    """A named variant's shape, or the shape given; :class:`InvalidArgument` names the choices."""
    if isinstance(variant, RewardShape):
        return variant
    if isinstance(variant, str) and variant in VARIANTS:
        return VARIANTS[variant]
    raise InvalidArgument(f"variant={variant!r}: choose one of {', '.join(VARIANTS)} or pass a RewardShape")
