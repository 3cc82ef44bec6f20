"""EfficiencyReward and its verl adapter on real sandboxes (the built-in suite's pair-sum-count).

One reward object per module: the problem's context (cases, expected outputs, reference costs) is built
once and reused by every test, as it is across a training run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from effilab.reward import EfficiencyReward, Outcome, RewardResult
from effilab.reward import verl as verl_adapter

TASK = "pair-sum-count"
PROBLEM = Path(__file__).parents[2] / "src" / "effilab" / "suites" / "builtin" / "effilab" / TASK


def _fenced(code: str) -> str:
    return f"Here is an efficient solution:\n```python\n{code}```\n"


STANDARD = _fenced((PROBLEM / "standard.py").read_text())
NAIVE = _fenced((PROBLEM / "naive.py").read_text())
WRONG = _fenced("def count_pairs(nums, target):\n    return len(nums) // 2\n")
CRASH = _fenced("def count_pairs(nums, target):\n    raise ValueError('no')\n")
# Correct, but slow to load: every fresh process sleeps 2 s before the module is ready.
SLOW_LOAD = _fenced("import time\ntime.sleep(2)\n" + (PROBLEM / "standard.py").read_text())


@pytest.fixture(scope="module")
def reward() -> Iterator[EfficiencyReward]:
    with EfficiencyReward(suite="effilab", workers=2, variant="eff") as made:
        yield made


@pytest.fixture(scope="module")
def first_batch(reward: EfficiencyReward) -> list[RewardResult]:
    completions = [
        STANDARD,
        NAIVE,
        WRONG,
        CRASH,
        "Sorry, I cannot do that.",
        [{"role": "assistant", "content": STANDARD}],
    ]
    return reward.score_detailed([TASK] * len(completions), completions)


def test_correct_beats_wrong_beats_malformed(first_batch: list[RewardResult]) -> None:
    standard, naive, wrong, crash, prose, conversational = first_batch
    assert standard.outcome is Outcome.CORRECT
    assert naive.outcome is Outcome.CORRECT
    assert (wrong.outcome, wrong.verdict) == (Outcome.FAILED, "wrong_answer")
    assert (crash.outcome, crash.verdict) == (Outcome.FAILED, "runtime_error")
    assert prose.outcome is Outcome.MALFORMED
    assert min(standard.reward, naive.reward) >= 1.0 > wrong.reward == crash.reward == 0.0 > prose.reward
    # eff: the O(n) standard solution is far more efficient than the O(n^2) naive one (ENAMEL's score).
    assert standard.eff > naive.eff + 0.3
    assert standard.reward == pytest.approx(1.0 + standard.eff)
    assert standard.speedup is not None
    assert standard.speedup > 10
    # The conversational copy is the same program: judged once.
    assert conversational.cached
    assert conversational.reward == standard.reward


def test_second_batch_comes_from_the_cache(reward: EfficiencyReward, first_batch: list[RewardResult]) -> None:
    started = time.perf_counter()
    again = reward.score_detailed([TASK] * 3, [STANDARD, WRONG, NAIVE])
    assert time.perf_counter() - started < 1.0  # nothing ran
    assert all(r.cached for r in again)
    assert [r.reward for r in again] == [first_batch[0].reward, first_batch[2].reward, first_batch[1].reward]


def test_trl_call_convention(reward: EfficiencyReward, first_batch: list[RewardResult]) -> None:
    del first_batch
    rewards = reward(
        prompts=["Write count_pairs"] * 2,
        completions=[[{"role": "assistant", "content": STANDARD}], WRONG],
        completion_ids=[[1, 2], [3]],
        task_id=[TASK, TASK],
        trainer_state=None,
    )
    assert len(rewards) == 2
    assert all(isinstance(r, float) for r in rewards)
    assert rewards[0] > rewards[1]


def test_batch_time_bound() -> None:
    with EfficiencyReward(suite="effilab", workers=2, batch_timeout=0.5, repetitions=1) as bounded:
        bounded.prepare([TASK])  # contexts are effilab's work, outside the bound
        started = time.perf_counter()
        late, quick = bounded.score_detailed([TASK, TASK], [SLOW_LOAD, WRONG])
        assert time.perf_counter() - started < 1.9  # returned before the slow program even loaded
        assert (late.outcome, late.reward) == (Outcome.DEADLINE, 0.0)
        assert "time bound" in late.detail
    # close() let the running judgement finish (bounded by the engine's limits) and kept it.
    assert quick.outcome in (Outcome.FAILED, Outcome.DEADLINE)
    again = bounded.score_detailed([TASK], [SLOW_LOAD])[0]
    assert again.cached
    assert again.outcome is Outcome.CORRECT
    bounded.close()


@pytest.fixture
def verl_configured(reward: EfficiencyReward) -> Iterator[None]:
    del reward
    verl_adapter.configure(workers=2, variant="eff")
    yield
    verl_adapter.reset()


def test_verl_compute_score_as_verl_calls_it(verl_configured: None) -> None:
    del verl_configured
    # verl's NaiveRewardManager: keyword arguments, extra_info from the dataset (here without a task id).
    right = verl_adapter.compute_score(
        data_source="effilab",
        solution_str=STANDARD,
        ground_truth=TASK,
        extra_info={"split": "train", "index": 0},
    )
    wrong = verl_adapter.compute_score(
        data_source="effilab",
        solution_str=WRONG,
        ground_truth=json.dumps({"task_id": TASK, "suite": "effilab"}),
    )
    assert isinstance(right, float)
    assert isinstance(wrong, float)
    assert right >= 1.0 > wrong
    details = verl_adapter.compute_score("effilab", STANDARD, "ignored", {"task_id": TASK}, details=True)
    assert isinstance(details, dict)
    assert details["score"] == right
    assert details["correct"] == 1.0
    batch = verl_adapter.compute_score_batch(
        data_sources=["effilab"] * 2,
        solution_strs=[WRONG, STANDARD],
        ground_truths=[TASK, TASK],
        extra_infos=[None, None],
    )
    assert batch == [wrong, right]  # the same object, so the same (cached) judgements
