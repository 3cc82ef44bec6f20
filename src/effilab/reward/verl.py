"""verl's custom reward function: ``compute_score(data_source, solution_str, ground_truth, extra_info)``.

verl (``custom_reward_function.path=<this file, or a file importing compute_score from here>``,
``custom_reward_function.name=compute_score``) calls it once per response with keyword arguments. Its
batch reward manager (``reward_model.reward_manager=batch``) calls ``compute_score_batch(data_sources=...,
solution_strs=..., ground_truths=..., extra_infos=...)`` once per batch (name it in
``custom_reward_function.name``), which judges the batch concurrently. Both go through one
:class:`EfficiencyReward` per suite, kept for the life of the process (contexts and cache are reused).

Which problem a response answers, in this order:

* ``extra_info["task_id"]`` (and ``extra_info["suite"]``) when the dataset's ``extra_info`` has them;
* else ``ground_truth``: a plain task id, or a JSON object ``{"task_id": ..., "suite": ...}``;
* the suite defaults to the configured one (:func:`configure`, else ``$EFFILAB_REWARD_SUITE``, else the
  built-in ``effilab`` suite). ``data_source`` is not used to pick the problem (verl uses it to choose the
  reward function).

Settings come from :func:`configure` or, when it was never called, from these environment variables, read
once when the first reward object is made (the process edge; library code reads none):
``EFFILAB_REWARD_SUITE``, ``EFFILAB_REWARD_WORKERS``, ``EFFILAB_REWARD_METRIC``,
``EFFILAB_REWARD_VARIANT``, ``EFFILAB_REWARD_BATCH_TIMEOUT`` (seconds; ``none`` for no bound).

With ``details=True`` (verl's ``custom_reward_function.reward_kwargs``) the result is a dict whose
``score`` is the reward, with ``correct``, ``malformed``, ``eff`` and ``speedup`` beside it (verl logs
the extra keys).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from effilab.errors import InvalidArgument
from effilab.reward.efficiency import DEFAULT_BATCH_TIMEOUT_S, EfficiencyReward
from effilab.reward.results import Outcome, RewardResult

__all__ = ["compute_score", "compute_score_batch", "configure", "reset"]

_DEFAULT_SUITE = "effilab"


class _State:
    """The process's reward objects and their settings (one lock guards both)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.settings: dict[str, Any] | None = None
        self.rewards: dict[str, EfficiencyReward] = {}


_STATE = _State()


def configure(**settings: Any) -> None:
    """Set the keyword arguments of the reward objects (those of :class:`EfficiencyReward`).

    ``suite`` is the default suite of responses that do not name one. Objects made before are closed
    and dropped, so the next call measures with the new settings.
    """
    with _STATE.lock:
        _STATE.settings = dict(settings)
        _close_all()


def reset() -> None:
    """Forget the configuration and close every reward object (the environment is read again)."""
    with _STATE.lock:
        _STATE.settings = None
        _close_all()


def compute_score(
    data_source: object = None,
    solution_str: str = "",
    ground_truth: object = None,
    extra_info: Mapping[str, Any] | None = None,
    *,
    details: bool = False,
    **kwargs: Any,
) -> float | dict[str, Any]:
    """The reward of one response (``solution_str``) to the task named by ``ground_truth``/``extra_info``."""
    del data_source, kwargs  # verl passes what it has; the task comes from ground_truth / extra_info
    suite, task = _task_of(ground_truth, extra_info)
    result = _reward(suite).score_detailed([task], [solution_str])[0]
    return _details(result) if details else result.reward


def compute_score_batch(
    data_sources: Sequence[object] = (),
    solution_strs: Sequence[str] = (),
    ground_truths: Sequence[object] = (),
    extra_infos: Sequence[Mapping[str, Any] | None] | None = None,
    *,
    details: bool = False,
    **kwargs: Any,
) -> list[float] | list[dict[str, Any]]:
    """verl's batch reward manager's convention: lists in, one score per response out (judged concurrently,
    one batch per suite)."""
    del data_sources, kwargs
    infos: Sequence[Mapping[str, Any] | None] = (
        extra_infos if extra_infos is not None else [None] * len(solution_strs)
    )
    if not (len(solution_strs) == len(ground_truths) == len(infos)):
        raise InvalidArgument(
            f"{len(solution_strs)} solutions, {len(ground_truths)} ground truths, {len(infos)} extra infos"
        )
    by_suite: dict[str, list[tuple[int, str]]] = {}
    for i, (truth, info) in enumerate(zip(ground_truths, infos, strict=True)):
        suite, task = _task_of(truth, info)
        by_suite.setdefault(suite, []).append((i, task))
    results: list[RewardResult | None] = [None] * len(solution_strs)
    for suite, items in by_suite.items():
        scored = _reward(suite).score_detailed([t for _, t in items], [solution_strs[i] for i, _ in items])
        for (i, _), result in zip(items, scored, strict=True):
            results[i] = result
    done = [r for r in results if r is not None]
    return [_details(r) for r in done] if details else [r.reward for r in done]


def _task_of(ground_truth: object, extra_info: Mapping[str, Any] | None) -> tuple[str, str]:
    """(suite, task id) of one response; a missing task id is the dataset's error, said in one line."""
    suite: object = None
    task: object = None
    if isinstance(extra_info, Mapping):
        task, suite = extra_info.get("task_id"), extra_info.get("suite")
    if task is None:
        truth = ground_truth
        if isinstance(truth, str) and truth.lstrip().startswith("{"):
            try:
                truth = json.loads(truth)
            except ValueError:
                raise InvalidArgument(f"ground_truth={ground_truth!r}: not valid JSON") from None
        if isinstance(truth, Mapping):
            task, suite = truth.get("task_id"), suite if suite is not None else truth.get("suite")
        else:
            task = truth
    if not isinstance(task, str) or not task:
        raise InvalidArgument(
            f"ground_truth={ground_truth!r}, extra_info={extra_info!r}: no task id (put the effilab task id "
            "in ground_truth, or extra_info['task_id'])"
        )
    if suite is not None and not isinstance(suite, str):
        raise InvalidArgument(f"suite={suite!r}: must be a string")
    return (suite or _default_suite()), task


def _default_suite() -> str:
    with _STATE.lock:
        settings = _resolved_settings()
    return str(settings.get("suite", _DEFAULT_SUITE))


def _reward(suite: str) -> EfficiencyReward:
    with _STATE.lock:
        reward = _STATE.rewards.get(suite)
        if reward is None:
            settings = {**_resolved_settings(), "suite": suite}
            reward = _STATE.rewards[suite] = EfficiencyReward(**settings)
        return reward


def _resolved_settings() -> dict[str, Any]:
    """configure()'s settings, else the environment's (read here, once per process edge)."""
    if _STATE.settings is None:
        _STATE.settings = _from_environment(os.environ)
    return _STATE.settings


def _from_environment(env: Mapping[str, str]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if env.get("EFFILAB_REWARD_SUITE"):
        settings["suite"] = env["EFFILAB_REWARD_SUITE"]
    if env.get("EFFILAB_REWARD_WORKERS"):
        settings["workers"] = _int("EFFILAB_REWARD_WORKERS", env["EFFILAB_REWARD_WORKERS"])
    for name, key in (("EFFILAB_REWARD_METRIC", "metric"), ("EFFILAB_REWARD_VARIANT", "variant")):
        if env.get(name):
            settings[key] = env[name]
    timeout = env.get("EFFILAB_REWARD_BATCH_TIMEOUT")
    if timeout:
        settings["batch_timeout"] = (
            None if timeout.strip().lower() == "none" else _float("EFFILAB_REWARD_BATCH_TIMEOUT", timeout)
        )
    else:
        settings["batch_timeout"] = DEFAULT_BATCH_TIMEOUT_S
    return settings


def _int(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidArgument(f"${name}={text!r}: not an integer") from None


def _float(name: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InvalidArgument(f"${name}={text!r}: not a number") from None


def _close_all() -> None:
    for reward in _STATE.rewards.values():
        reward.close()
    _STATE.rewards.clear()


def _details(result: RewardResult) -> dict[str, Any]:
    return {
        "score": result.reward,
        "correct": float(result.correct),
        "malformed": float(result.outcome is Outcome.MALFORMED),
        "eff": result.eff,
        "speedup": result.speedup if result.speedup is not None else 0.0,
    }
