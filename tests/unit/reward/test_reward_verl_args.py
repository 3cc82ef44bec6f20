"""The verl adapter's reading of ground_truth / extra_info and of the environment (no sandbox)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from effilab.errors import InvalidArgument
from effilab.reward import verl as verl_adapter
from effilab.reward.verl import _from_environment, _task_of


@pytest.fixture(autouse=True)
def fresh() -> Any:
    verl_adapter.reset()
    yield
    verl_adapter.reset()


def test_task_from_ground_truth_or_extra_info(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EFFILAB_REWARD_SUITE", raising=False)
    assert _task_of("pair-sum-count", None) == ("effilab", "pair-sum-count")
    assert _task_of("ignored", {"task_id": "t", "suite": "s"}) == ("s", "t")
    assert _task_of(json.dumps({"task_id": "t", "suite": "x"}), {"index": 3}) == ("x", "t")
    assert _task_of({"task_id": "t"}, {"suite": "y"}) == ("y", "t")


def test_configured_suite_is_the_default() -> None:
    verl_adapter.configure(suite="my-suite", workers=1)
    assert _task_of("t", None) == ("my-suite", "t")


@pytest.mark.parametrize(
    ("truth", "info"),
    [
        (None, None),
        ("", {}),
        ("{not json", None),
        (3, {"index": 0}),
        ({"suite": "s"}, None),
        ("t", {"task_id": "t", "suite": 5}),
    ],
)
def test_missing_or_bad_task_is_one_line(truth: object, info: dict[str, Any] | None) -> None:
    with pytest.raises(InvalidArgument):
        _task_of(truth, info)


def test_environment() -> None:
    env = {
        "EFFILAB_REWARD_SUITE": "s",
        "EFFILAB_REWARD_WORKERS": "3",
        "EFFILAB_REWARD_METRIC": "instructions",
        "EFFILAB_REWARD_VARIANT": "log_speedup",
        "EFFILAB_REWARD_BATCH_TIMEOUT": "none",
    }
    assert _from_environment(env) == {
        "suite": "s",
        "workers": 3,
        "metric": "instructions",
        "variant": "log_speedup",
        "batch_timeout": None,
    }
    assert _from_environment({"EFFILAB_REWARD_BATCH_TIMEOUT": "30"})["batch_timeout"] == 30.0
    with pytest.raises(InvalidArgument, match="EFFILAB_REWARD_WORKERS"):
        _from_environment({"EFFILAB_REWARD_WORKERS": "two"})
    with pytest.raises(InvalidArgument, match="EFFILAB_REWARD_BATCH_TIMEOUT"):
        _from_environment({"EFFILAB_REWARD_BATCH_TIMEOUT": "soon"})


def test_batch_lengths_must_agree() -> None:
    with pytest.raises(InvalidArgument, match="2 solutions, 1 ground truths"):
        verl_adapter.compute_score_batch(solution_strs=["a", "b"], ground_truths=["t"])
