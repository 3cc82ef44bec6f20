"""Rewards for reinforcement learning on code: correct first, then efficient, judged by effilab.

.. code-block:: python

    from effilab.reward import EfficiencyReward

    reward = EfficiencyReward(suite="effilab", workers=2, variant="eff")
    reward.score(["pair-sum-count"], ["```python\\ndef count_pairs(nums, target): ...\\n```"])

``EfficiencyReward`` is also a TRL reward function (``GRPOTrainer(reward_funcs=[reward])``);
:mod:`effilab.reward.verl` adapts it to verl's ``compute_score``. docs/training.md has the formulas.
"""

from __future__ import annotations

from effilab.reward.efficiency import DEFAULT_BATCH_TIMEOUT_S, EfficiencyReward
from effilab.reward.errors import ProblemUnusable, RewardError, UnknownTask
from effilab.reward.results import Outcome, RewardResult
from effilab.reward.shaping import VARIANTS, RewardShape

__all__ = [
    "DEFAULT_BATCH_TIMEOUT_S",
    "VARIANTS",
    "EfficiencyReward",
    "Outcome",
    "ProblemUnusable",
    "RewardError",
    "RewardResult",
    "RewardShape",
    "UnknownTask",
]
