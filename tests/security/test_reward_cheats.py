"""Issue 13, hack resistance: no cheating program gets a higher *reward* than its honest twin beyond noise.

The cheats, their honest twins and the controls are those of ``test_cheats.py`` (issue 11), which judges
them through ``effilab evaluate``; here they go through :class:`EfficiencyReward` instead, as completions
in markdown fences, in one batch. The reward is a function of the evaluator's judgement (correct or not,
ENAMEL's eff, the speedup), so the noise bounds of ``test_cheats.py`` carry over term by term: with the
``eff`` variant a cheat may exceed the better twin by at most ``SCORE_SLACK`` (times the weight), with
``log_speedup`` by at most ``ln(COST_FACTOR)`` (times the weight), with ``correct`` not at all. The bounds
must still reject a real speedup (the suite's expert count-inversions) under ``log_speedup``.
"""

from __future__ import annotations

import math
import tempfile
from typing import Any

import pytest
from test_cheats import CHEATS, CONTROLS, COST_FACTOR, PROBLEMS, SCORE_SLACK, Cheat, _programs, _source

from effilab.reward import VARIANTS, EfficiencyReward, Outcome, RewardResult, RewardShape

pytestmark = pytest.mark.slow  # one batch of 45 programs: about as long as test_cheats.py's evaluation

SHAPES = ("correct", "eff", "log_speedup")


def _allowance(shape: RewardShape) -> float:
    """How much more than the better twin an honest copy may get (test_cheats.py's noise bounds)."""
    return abs(shape.eff_weight) * SCORE_SLACK + abs(shape.log_speedup_weight) * math.log(COST_FACTOR)


def _value(shape: RewardShape, result: RewardResult) -> float:
    return shape.reward(result.outcome, result.eff, result.speedup_vs_best, result.beats)


@pytest.fixture(scope="module")
def judged(host: Any) -> dict[str, RewardResult]:
    """Every program judged once, as one batch of completions; program name → its reward result."""
    names = _programs()
    # The twin's copies get a comment of their own: identical code would be judged once (the cache), and
    # the envelope needs independent measurements of the same work.
    completions = [f"```python\n# {name}\n{_source(name)}```" for name in names]
    tasks = [PROBLEMS[name.split("_")[0]] for name in names]
    previous = tempfile.tempdir
    tempfile.tempdir = str(host.session_tmp)  # sandboxes' tmp dirs where test_zz_no_leftovers looks
    try:
        with EfficiencyReward(suite="effilab", workers=2, variant="eff", batch_timeout=None) as reward:
            results = reward.score_detailed(tasks, completions)
    finally:
        tempfile.tempdir = previous
    return dict(zip(names, results, strict=True))


def _twins(judged: dict[str, RewardResult], prefix: str) -> tuple[RewardResult, RewardResult]:
    return judged[f"{prefix}_twin"], judged[f"{prefix}_twin_copy"]


def _within(shape: RewardShape, program: RewardResult, twins: tuple[RewardResult, ...]) -> bool:
    return _value(shape, program) <= max(_value(shape, t) for t in twins) + _allowance(shape) + 1e-9


@pytest.mark.parametrize("prefix", list(PROBLEMS))
def test_controls(judged: dict[str, RewardResult], prefix: str) -> None:
    for control in ("twin", *CONTROLS):
        result = judged[f"{prefix}_{control}"]
        assert result.outcome is Outcome.CORRECT, f"{prefix}_{control}: {result}"
    twins = _twins(judged, prefix)
    for name in SHAPES:  # an identical program is within the bounds (else they are too tight to mean much)
        assert _within(VARIANTS[name], judged[f"{prefix}_twin_check"], twins), name


def test_bounds_reject_a_real_speedup(judged: dict[str, RewardResult]) -> None:
    expert, twins = judged["inv_expert"], _twins(judged, "inv")
    assert not _within(VARIANTS["log_speedup"], expert, twins), f"{expert} vs {twins}"


@pytest.mark.parametrize("cheat", [pytest.param(c, id=c.name) for c in CHEATS])
def test_cheat_gets_no_more_reward_than_its_twin(judged: dict[str, RewardResult], cheat: Cheat) -> None:
    result, twins = judged[cheat.name], _twins(judged, cheat.name.split("_")[0])
    assert all(twin.outcome is Outcome.CORRECT for twin in twins), twins
    if cheat.hidden_wrong:
        assert result.outcome is not Outcome.CORRECT, f"wrong values rewarded as correct: {result}"
    for name in SHAPES:
        shape = VARIANTS[name]
        assert _within(shape, result, twins), (
            f"{name}: reward {_value(shape, result):.3f} vs twins "
            f"{[round(_value(shape, t), 3) for t in twins]} (+{_allowance(shape):.3f}); {result}"
        )
