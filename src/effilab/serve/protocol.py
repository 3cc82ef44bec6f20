"""What the server needs from a reward: one batched ``score`` call.

The server never runs candidate code itself. It hands batches of (task id, completion) to a
:class:`RewardScorer` (in production :class:`effilab.reward.EfficiencyReward`, which runs every completion
in the sandbox pool and checks and measures it from outside), so the HTTP layer can be tested with a
deterministic fake and the reward with no HTTP at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

__all__ = ["Completion", "DetailedScorer", "RewardScorer", "ScoreDetail"]

Completion = str | list[dict[str, Any]]
"""A model's reply: plain text, or a conversation (a list of ``{"role": ..., "content": ...}`` messages)
whose code the reward takes from markdown fences."""


@runtime_checkable
class RewardScorer(Protocol):
    """Scores a batch: one float per completion, in order.

    A candidate's failure (no code, wrong answers, a crash, a timeout) is a low reward, never an
    exception; an exception means the reward itself could not work, and the server answers 500.
    """

    def score(self, task_ids: Sequence[str], completions: Sequence[Completion]) -> list[float]: ...


class ScoreDetail(Protocol):
    """One completion's reward and how it came about (:class:`effilab.reward.RewardResult` is one)."""

    @property
    def reward(self) -> float: ...

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready facts about the reward (outcome, verdict, eff, speedup …), sent to the client."""
        ...


@runtime_checkable
class DetailedScorer(Protocol):
    """A scorer that also says why each completion got its reward (``EfficiencyReward`` is one).

    The server prefers it when the scorer has it: ``POST /v1/reward`` returns the details per item, and
    OpenRLHF's answer gets correctness as ``scores`` and per-sample ``extra_logs``.
    """

    def score_detailed(
        self, task_ids: Sequence[str], completions: Sequence[Completion]
    ) -> Sequence[ScoreDetail]: ...
