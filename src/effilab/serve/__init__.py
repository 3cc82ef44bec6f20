"""``effilab serve``: an HTTP reward server for trainers that call a reward over the network.

It scores completions with a :class:`RewardScorer` (in production :class:`effilab.reward.EfficiencyReward`,
which runs them in the sandbox pool): OpenRLHF's remote reward model shape on ``POST /get_reward``, and
effilab's own schema on ``POST /v1/reward``; ``GET /health`` and ``GET /v1/info``. Requests are bounded in
size (413), completions are scored in batches of at most ``max_concurrency`` with at most ``queue``
waiting, and overload is a 503 with ``Retry-After``. Documented in docs/training.md.

The HTTP side needs the optional ``serve`` extra (uvicorn, Starlette); this package imports without it.
"""

from __future__ import annotations

from effilab.serve.batcher import Overloaded, QueueStats, ScoredItem, ScorerFailed, ScoringQueue, ShuttingDown
from effilab.serve.payload import (
    BadRequest,
    Item,
    completion_from_query,
    parse_openrlhf_request,
    parse_reward_request,
)
from effilab.serve.protocol import Completion, DetailedScorer, RewardScorer
from effilab.serve.server import RewardServer, ServeUnavailable, require_extra
from effilab.serve.settings import ServeSettings

__all__ = [
    "BadRequest",
    "Completion",
    "DetailedScorer",
    "Item",
    "Overloaded",
    "QueueStats",
    "RewardScorer",
    "RewardServer",
    "ScoredItem",
    "ScorerFailed",
    "ScoringQueue",
    "ServeSettings",
    "ServeUnavailable",
    "ShuttingDown",
    "completion_from_query",
    "parse_openrlhf_request",
    "parse_reward_request",
    "require_extra",
]
