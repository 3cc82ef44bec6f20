"""The reward formula: variants, ordering of outcomes, clipping, argument checks."""

from __future__ import annotations

import math

import pytest

from effilab.errors import InvalidArgument
from effilab.reward import VARIANTS, Outcome, RewardShape
from effilab.reward.shaping import resolve_shape


def test_named_variants_follow_the_documented_formulas() -> None:
    assert VARIANTS["correct"].correct_reward(0.7, 3.0, True) == 1.0
    assert VARIANTS["eff"].correct_reward(0.7, 3.0, False) == pytest.approx(1.7)
    assert VARIANTS["log_speedup"].correct_reward(0.0, 4.0, False) == pytest.approx(1 + 0.25 * math.log(4))
    assert VARIANTS["beat"].correct_reward(0.0, 1.0, True) == 2.0
    assert VARIANTS["beat"].correct_reward(0.0, 1.0, False) == 1.0
    assert VARIANTS["eff+beat"].correct_reward(0.5, 1.0, True) == pytest.approx(2.0)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_correct_reward_beats_failure_which_beats_malformed(name: str) -> None:
    shape = VARIANTS[name]
    worst = min(
        shape.correct_reward(e, s, b)
        for e in (0.0, 1.0)
        for s in (None, 1e-9, 1.0, 1e9)
        for b in (False, True)
    )
    assert worst == pytest.approx(shape.lowest_correct) or worst > shape.lowest_correct
    assert worst > shape.failure > shape.malformed


def test_log_speedup_is_clipped_and_censored_takes_the_floor() -> None:
    shape = RewardShape(log_speedup_weight=1.0, log_speedup_clip=math.log(16))
    assert shape.correct_reward(0.0, 1e12, False) == pytest.approx(1 + math.log(16))
    assert shape.correct_reward(0.0, 1e-12, False) == pytest.approx(1 - math.log(16))
    assert shape.correct_reward(0.0, None, False) == pytest.approx(1 - math.log(16))


def test_reward_is_monotone_in_eff_and_speedup() -> None:
    shape = RewardShape(eff_weight=1.0, log_speedup_weight=0.25)
    assert shape.correct_reward(0.2, 2.0, False) < shape.correct_reward(0.3, 2.0, False)
    assert shape.correct_reward(0.2, 2.0, False) < shape.correct_reward(0.2, 2.5, False)


def test_resolve_shape() -> None:
    custom = RewardShape(beat_bonus=3.0)
    assert resolve_shape(custom) is custom
    assert resolve_shape("eff") is VARIANTS["eff"]
    with pytest.raises(InvalidArgument, match="variant='fast'"):
        resolve_shape("fast")


@pytest.mark.parametrize(
    ("field", "value"),
    [("eff_weight", math.nan), ("correct", math.inf), ("beat_bonus", True), ("log_speedup_clip", 0.0)],
)
def test_bad_shapes_are_refused(field: str, value: float) -> None:
    with pytest.raises(InvalidArgument, match=field):
        RewardShape(**{field: value})


def test_reward_by_outcome() -> None:
    shape = VARIANTS["eff"]
    assert shape.reward(Outcome.CORRECT, 0.25, 2.0, False) == pytest.approx(1.25)
    assert shape.reward(Outcome.FAILED, 1.0, 9.0, True) == shape.failure
    assert shape.reward(Outcome.DEADLINE) == shape.failure
    assert shape.reward(Outcome.MALFORMED) == shape.malformed
