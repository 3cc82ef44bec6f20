"""Efficiency metrics against brute force (all k-subsets), exact rational arithmetic and hand computations."""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
import statistics
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from effilab.errors import InvalidArgument
from effilab.evaluate.metrics import (
    SpeedupSummary,
    dpe_score,
    eff_at_k,
    efficient_at_k,
    geometric_mean,
    level_efficiency,
    pass_at_k,
    sample_efficiency,
    speedup_summary,
)

ENAMEL_WEIGHTS = (0.0, 3.0, 3.0, 4.0)


# ------------------------------------------------------------------------------------------ brute force
def brute_pass_at_k(n: int, c: int, k: int) -> float:
    """Share of k-subsets of n samples (c correct) containing at least one correct sample."""
    outcomes = [True] * c + [False] * (n - c)
    subsets = list(itertools.combinations(outcomes, k))
    return sum(any(s) for s in subsets) / len(subsets)


def brute_eff_at_k(scores: list[float], k: int) -> float:
    """Mean over all k-subsets of the subset's maximum."""
    maxima = [max(s) for s in itertools.combinations(scores, k)]
    return math.fsum(maxima) / len(maxima)


def exact_eff_at_k(scores: list[float], k: int) -> Fraction:
    """The closed form with exact binomials and exact rationals (feasible for n in the hundreds)."""
    e = sorted(scores)
    n = len(e)
    total = math.comb(n, k)
    return sum(
        (Fraction(math.comb(r - 1, k - 1), total) * Fraction(e[r - 1]) for r in range(k, n + 1)),
        start=Fraction(0),
    )


@st.composite
def n_c_k(draw: st.DrawFn, max_n: int = 8) -> tuple[int, int, int]:
    n = draw(st.integers(1, max_n))
    return n, draw(st.integers(0, n)), draw(st.integers(1, n))


small_scores = st.lists(
    st.floats(min_value=-100.0, max_value=100.0, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=8,
)


# ------------------------------------------------------------------------------------------------ pass@k
@settings(max_examples=150, deadline=None)
@given(n_c_k())
def test_pass_at_k_matches_subset_enumeration(nck: tuple[int, int, int]) -> None:
    n, c, k = nck
    assert pass_at_k(n, c, k) == pytest.approx(brute_pass_at_k(n, c, k), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(("n", "c", "k"), [(200, 37, 10), (1000, 3, 100), (1000, 900, 50), (50, 1, 1)])
def test_pass_at_k_matches_exact_binomials_for_large_n(n: int, c: int, k: int) -> None:
    exact = 1 - Fraction(math.comb(n - c, k), math.comb(n, k))
    assert pass_at_k(n, c, k) == pytest.approx(float(exact), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    ("n", "c", "k", "expected"),
    [
        (5, 0, 1, 0.0),  # nothing correct
        (5, 0, 5, 0.0),
        (5, 5, 1, 1.0),  # everything correct
        (5, 1, 5, 1.0),  # k = n: the single subset contains the correct sample
        (5, 3, 3, 1.0),  # n - c = 2 < k = 3
        (1, 1, 1, 1.0),
        (10, 1, 1, 0.1),  # pass@1 is the fraction correct
        (10, 4, 1, 0.4),
        (4, 1, 2, 0.5),  # C(3,2)/C(4,2) = 3/6
    ],
)
def test_pass_at_k_edge_cases(n: int, c: int, k: int, expected: float) -> None:
    assert pass_at_k(n, c, k) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@settings(max_examples=100, deadline=None)
@given(n_c_k(max_n=60))
def test_pass_at_k_is_monotone_in_c_and_k(nck: tuple[int, int, int]) -> None:
    n, c, k = nck
    p = pass_at_k(n, c, k)
    assert 0.0 <= p <= 1.0
    if c < n:
        assert pass_at_k(n, c + 1, k) >= p
    if k < n:
        assert pass_at_k(n, c, k + 1) >= p


@settings(max_examples=50, deadline=None)
@given(n_c_k(max_n=40))
def test_efficient_at_k_is_pass_at_k(nck: tuple[int, int, int]) -> None:
    assert efficient_at_k(*nck) == pass_at_k(*nck)


@pytest.mark.parametrize(
    ("n", "c", "k", "match"),
    [
        (0, 0, 1, "n=0"),
        (5, -1, 1, "c=-1"),
        (5, 6, 1, "c=6"),
        (5, 2, 0, "k=0"),
        (5, 2, 6, "k=6"),
        (5.0, 2, 1, "n=5.0"),
        (5, True, 1, "c=True"),
    ],
)
def test_pass_at_k_rejects_bad_arguments(n: int, c: int, k: int, match: str) -> None:
    for fn in (pass_at_k, efficient_at_k):
        with pytest.raises(InvalidArgument, match=match):
            fn(n, c, k)


# ------------------------------------------------------------------------------------------------- eff@k
@settings(max_examples=150, deadline=None)
@given(small_scores, st.data())
def test_eff_at_k_matches_subset_enumeration(scores: list[float], data: st.DataObject) -> None:
    k = data.draw(st.integers(1, len(scores)))
    assert eff_at_k(scores, k) == pytest.approx(brute_eff_at_k(scores, k), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("k", [1, 2, 7, 50, 199, 299, 300])
def test_eff_at_k_matches_exact_rationals(k: int) -> None:
    rng = random.Random(k)
    scores = [rng.random() for _ in range(300)]
    assert eff_at_k(scores, k) == pytest.approx(float(exact_eff_at_k(scores, k)), rel=1e-12, abs=0.0)


def test_eff_at_k_for_thousands_of_samples() -> None:
    rng = random.Random(5000)
    scores = [rng.uniform(0.0, 2.0) for _ in range(5000)]
    assert eff_at_k(scores, 5000) == max(scores)
    assert eff_at_k(scores, 1) == pytest.approx(statistics.fmean(scores), rel=1e-12)
    for k in (2, 10, 1000, 2500, 4999):
        value = eff_at_k(scores, k)
        assert math.isfinite(value)
        assert statistics.fmean(scores) <= value <= max(scores)
    # binomials C(r-1, k-1) / C(n, k) overflow a float here; the recurrence must not
    assert eff_at_k(scores, 2500) == pytest.approx(max(scores), rel=1e-3)


@settings(max_examples=100, deadline=None)
@given(small_scores)
def test_eff_at_1_is_mean_and_eff_at_n_is_max(scores: list[float]) -> None:
    assert eff_at_k(scores, 1) == pytest.approx(statistics.fmean(scores), rel=1e-12, abs=1e-12)
    assert eff_at_k(scores, len(scores)) == max(scores)


@settings(max_examples=100, deadline=None)
@given(small_scores, st.randoms(use_true_random=False))
def test_eff_at_k_is_order_free_and_monotone_in_k(scores: list[float], rnd: random.Random) -> None:
    shuffled = scores[:]
    rnd.shuffle(shuffled)
    values = [eff_at_k(scores, k) for k in range(1, len(scores) + 1)]
    assert [eff_at_k(shuffled, k) for k in range(1, len(scores) + 1)] == pytest.approx(values, abs=1e-9)
    assert all(a <= b + 1e-9 for a, b in itertools.pairwise(values))


@pytest.mark.parametrize(
    ("scores", "k", "match"),
    [
        ([], 1, "scores"),
        ([1.0, 2.0], 0, "k=0"),
        ([1.0, 2.0], 3, "k=3"),
        ([1.0, math.nan], 1, r"scores\[1\]"),
        ([math.inf, 1.0], 1, r"scores\[0\]"),
        ([1.0, 2.0], 1.5, "k=1.5"),
        ("12", 1, "scores"),
    ],
)
def test_eff_at_k_rejects_bad_arguments(scores: list[float], k: int, match: str) -> None:
    with pytest.raises(InvalidArgument, match=match):
        eff_at_k(scores, k)


# --------------------------------------------------------------------------------------- ENAMEL levels
def test_level_efficiency_anchor_points() -> None:
    assert level_efficiency(2.0, 2.0, 10.0) == 1.0  # as fast as the reference
    assert level_efficiency(10.0, 2.0, 10.0) == 0.0  # at the limit
    assert level_efficiency(12.0, 2.0, 10.0) == 0.0  # past it
    assert level_efficiency(math.inf, 2.0, 10.0) == 0.0  # censored
    assert level_efficiency(6.0, 2.0, 10.0) == pytest.approx(0.5)  # linear in between
    assert level_efficiency(0.0, 2.0, 10.0) == pytest.approx(1.25)  # faster than the reference: > 1
    assert level_efficiency(0.0, 0.0, 1.0) == 1.0


@pytest.mark.parametrize(
    ("t", "t_ref", "limit", "match"),
    [
        (1.0, 10.0, 10.0, "t_ref=10.0"),  # t_ref must be below the limit
        (1.0, -1.0, 10.0, "t_ref=-1.0"),
        (1.0, 1.0, math.inf, "limit=inf"),
        (1.0, math.inf, 10.0, "t_ref=inf"),
        (-0.5, 1.0, 10.0, "t=-0.5"),
        (math.nan, 1.0, 10.0, "t=nan"),
    ],
)
def test_level_efficiency_rejects_bad_arguments(t: float, t_ref: float, limit: float, match: str) -> None:
    with pytest.raises(InvalidArgument, match=match):
        level_efficiency(t, t_ref, limit)


def test_sample_efficiency_hand_computed_with_enamel_weights() -> None:
    refs = [0.1, 1.0, 2.0, 4.0]  # limit T = 2 * 4.0 = 8.0
    # levels: 1 -> (8-1)/(8-1) = 1; 2 -> (8-5)/(8-2) = 0.5; 3 -> censored = 0
    # (3*1 + 3*0.5 + 4*0) / 10 = 0.45
    assert sample_efficiency([0.05, 1.0, 5.0, math.inf], refs, ENAMEL_WEIGHTS) == pytest.approx(0.45)
    # levels: 1 -> 7.5/7; 2 -> censored; 3 -> not reached. 3 * (7.5/7) / 10
    expected = 3 * (7.5 / 7) / 10
    assert sample_efficiency([0.1, 0.5, math.inf, None], refs, ENAMEL_WEIGHTS) == pytest.approx(expected)
    # all at the reference's time -> 1; alpha = 3 moves the limit but not the anchor
    assert sample_efficiency(refs, refs, ENAMEL_WEIGHTS) == pytest.approx(1.0)
    assert sample_efficiency(refs, refs, ENAMEL_WEIGHTS, alpha=3.0) == pytest.approx(1.0)
    # alpha = 3: T = 12; level 1 -> (12-2)/(12-1) = 10/11, others at reference -> (3*10/11 + 3 + 4)/10
    assert sample_efficiency([0.1, 2.0, 2.0, 4.0], refs, ENAMEL_WEIGHTS, alpha=3.0) == pytest.approx(
        (3 * 10 / 11 + 7) / 10
    )


def test_sample_efficiency_zero_weight_levels_neither_score_nor_set_the_limit() -> None:
    base = sample_efficiency([0.05, 1.0, 5.0, math.inf], [0.1, 1.0, 2.0, 4.0], ENAMEL_WEIGHTS)
    # a huge level-0 reference time and a censored level-0 time change nothing
    assert sample_efficiency([math.inf, 1.0, 5.0, math.inf], [100.0, 1.0, 2.0, 4.0], ENAMEL_WEIGHTS) == base


def test_sample_efficiency_unreached_scores_like_censored() -> None:
    refs = [0.1, 1.0, 2.0, 4.0]
    a = sample_efficiency([0.1, math.inf, None, None], refs, ENAMEL_WEIGHTS)
    b = sample_efficiency([0.1, math.inf, math.inf, math.inf], refs, ENAMEL_WEIGHTS)
    assert a == b == 0.0


@pytest.mark.parametrize(
    ("times", "refs", "weights", "alpha", "match"),
    [
        ([1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0], 2.0, "lengths"),
        ([1.0, 1.0], [1.0, 1.0], [0.0, 0.0], 2.0, "weights"),
        ([1.0, 1.0], [1.0, 1.0], [-1.0, 2.0], 2.0, r"weights\[0\]=-1.0"),
        ([1.0, 1.0], [1.0, 1.0], [1.0, 1.0], 1.0, "alpha=1.0"),
        ([1.0, 1.0], [1.0, 1.0], [1.0, 1.0], math.inf, "alpha=inf"),
        ([1.0, -1.0], [1.0, 1.0], [1.0, 1.0], 2.0, r"times\[1\]=-1.0"),
        ([1.0, math.nan], [1.0, 1.0], [1.0, 1.0], 2.0, r"times\[1\]"),
        ([1.0, 1.0], [1.0, math.inf], [1.0, 1.0], 2.0, r"ref_times\[1\]"),
        ([1.0, 1.0], [-1.0, 1.0], [1.0, 1.0], 2.0, r"ref_times\[0\]"),
        ([1.0, 1.0], [5.0, 0.0], [0.0, 1.0], 2.0, "ref_times"),  # weighted references all take 0
    ],
)
def test_sample_efficiency_rejects_bad_arguments(
    times: list[float | None], refs: list[float], weights: list[float], alpha: float, match: str
) -> None:
    with pytest.raises(InvalidArgument, match=match):
        sample_efficiency(times, refs, weights, alpha)


# ------------------------------------------------------------------------------------------ PIE speedups
def test_geometric_mean() -> None:
    assert geometric_mean([2.0, 0.5]) == pytest.approx(1.0)
    assert geometric_mean([1.0, 4.0]) == pytest.approx(2.0)
    assert geometric_mean([3.0]) == pytest.approx(3.0)
    assert geometric_mean([1e300] * 10) == pytest.approx(1e300)  # the product would overflow


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=1e-3, max_value=1e3), min_size=1, max_size=20))
def test_geometric_mean_lies_between_min_and_max_and_inverts(values: list[float]) -> None:
    g = geometric_mean(values)
    assert min(values) * (1 - 1e-12) <= g <= max(values) * (1 + 1e-12)
    assert geometric_mean([1.0 / v for v in values]) == pytest.approx(1.0 / g, rel=1e-9)


@pytest.mark.parametrize(
    ("values", "match"),
    [([], "values"), ([1.0, 0.0], r"values\[1\]"), ([-2.0], r"values\[0\]"), ([math.inf], r"values\[0\]")],
)
def test_geometric_mean_rejects_bad_values(values: list[float], match: str) -> None:
    with pytest.raises(InvalidArgument, match=match):
        geometric_mean(values)


def test_speedup_summary() -> None:
    s = speedup_summary([2.0, 0.5, 1.1, 1.0])
    assert s.n == 4
    assert s.geomean == pytest.approx((2.0 * 0.5 * 1.1 * 1.0) ** 0.25)
    assert s.pct_opt == 0.5  # 2.0 and exactly 1.1 count
    assert speedup_summary([2.0, 0.5, 1.1, 1.0], threshold=1.5).pct_opt == 0.25
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.n = 5  # type: ignore[misc]


def test_speedup_summary_empty_is_nan() -> None:
    s = speedup_summary([])
    assert s.n == 0
    assert math.isnan(s.geomean)
    assert math.isnan(s.pct_opt)
    assert isinstance(s, SpeedupSummary)


@pytest.mark.parametrize(
    ("speedups", "threshold", "match"),
    [
        ([1.0, math.inf], 1.1, r"speedups\[1\]"),
        ([0.0], 1.1, r"speedups\[0\]"),
        ([math.nan], 1.1, r"speedups\[0\]"),
        ([1.0], 0.0, "threshold=0.0"),
        ([1.0], math.nan, "threshold=nan"),
    ],
)
def test_speedup_summary_rejects_bad_arguments(speedups: list[float], threshold: float, match: str) -> None:
    with pytest.raises(InvalidArgument, match=match):
        speedup_summary(speedups, threshold)


# -------------------------------------------------------------------------------------------- EvalPerf DPS
SCORES = [10.0, 35.0, 70.0, 100.0]


@pytest.mark.parametrize(
    ("cost", "expected"),
    [(20.0, 0.0), (10.0, 10.0), (6.0, 10.0), (5.0, 35.0), (2.0, 70.0), (1.5, 70.0), (0.5, 100.0)],
)
def test_dpe_score_monotone_references(cost: float, expected: float) -> None:
    assert dpe_score(cost, [10.0, 5.0, 2.0, 1.0], SCORES) == expected


def test_dpe_score_non_monotone_references() -> None:
    refs = [10.0, 4.0, 5.0, 1.0]  # the 70-point reference was measured slower than the 35-point one
    assert dpe_score(4.5, refs, SCORES) == 70.0  # beats 10 and 5 (not 4): the best match wins
    assert dpe_score(4.0, refs, SCORES) == 70.0
    assert dpe_score(7.0, refs, SCORES) == 10.0
    assert dpe_score(1.0, refs, SCORES) == 100.0
    assert dpe_score(3.0, [1.0, 5.0], [100.0, 20.0]) == 20.0


def test_dpe_score_censored_and_tolerance() -> None:
    refs = [10.0, 5.0, 2.0, 1.0]
    assert dpe_score(math.inf, refs, SCORES) == 0.0
    assert dpe_score(math.inf, [1e308], [50.0], rel_tol=1.0) == 0.0  # 1e308 * 2 overflows to inf
    assert dpe_score(5.4, refs, SCORES) == 10.0
    assert dpe_score(5.4, refs, SCORES, rel_tol=0.1) == 35.0
    assert dpe_score(5.6, refs, SCORES, rel_tol=0.1) == 10.0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.0, 100.0), st.floats(0.0, 100.0)), min_size=1, max_size=6),
    st.floats(0.0, 120.0),
    st.floats(0.0, 120.0),
)
def test_dpe_score_never_rewards_being_slower(pairs: list[tuple[float, float]], a: float, b: float) -> None:
    refs = [r for r, _ in pairs]
    scores = [s for _, s in pairs]
    fast, slow = min(a, b), max(a, b)
    assert dpe_score(fast, refs, scores) >= dpe_score(slow, refs, scores)
    expected = max((s for r, s in pairs if fast <= r), default=0.0)
    assert dpe_score(fast, refs, scores) == expected


@pytest.mark.parametrize(
    ("cost", "refs", "scores", "rel_tol", "match"),
    [
        (1.0, [1.0, 2.0], [10.0], 0.0, "lengths"),
        (1.0, [], [], 0.0, "reference_costs"),
        (1.0, [1.0], [-5.0], 0.0, r"scores\[0\]"),
        (1.0, [math.inf], [5.0], 0.0, r"reference_costs\[0\]"),
        (1.0, [-1.0], [5.0], 0.0, r"reference_costs\[0\]"),
        (math.nan, [1.0], [5.0], 0.0, "cost=nan"),
        (-1.0, [1.0], [5.0], 0.0, "cost=-1.0"),
        (1.0, [1.0], [5.0], -0.1, "rel_tol=-0.1"),
    ],
)
def test_dpe_score_rejects_bad_arguments(
    cost: float, refs: list[float], scores: list[float], rel_tol: float, match: str
) -> None:
    with pytest.raises(InvalidArgument, match=match):
        dpe_score(cost, refs, scores, rel_tol)


def test_invalid_argument_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="k=0"):
        pass_at_k(3, 1, 0)
