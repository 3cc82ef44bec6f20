"""Robust statistics: brute-force properties, censoring, bootstrap behaviour and coverage."""

from __future__ import annotations

import math
import random
import statistics
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from effilab.errors import InvalidArgument
from effilab.measure.stats import (
    MAD_SCALE,
    RatioEstimate,
    Summary,
    mad,
    median,
    ratio_of_medians,
    sequential_confidence,
    summarize,
)

INF = math.inf

finite_costs = st.floats(min_value=0.0, max_value=1e12, allow_nan=False, allow_infinity=False)
costs_with_censoring = st.one_of(finite_costs, finite_costs, finite_costs, st.just(INF))
samples = st.lists(costs_with_censoring, min_size=1, max_size=40)


def brute_median(xs: list[float]) -> float:
    """Median by definition, O(n²): the order statistic(s) with at most half the sample on either side."""
    n = len(xs)

    def kth(k: int) -> float:  # k-th smallest (0-based): #{< x} <= k < #{<= x}
        return next(x for x in xs if sum(y < x for y in xs) <= k < sum(y <= x for y in xs))

    if n % 2:
        return kth(n // 2)
    lo, hi = kth(n // 2 - 1), kth(n // 2)
    return INF if hi == INF else (lo + hi) / 2


# ------------------------------------------------------------------------------------------------ median
@given(samples)
@settings(max_examples=200, deadline=None)
def test_median_matches_brute_force(xs: list[float]) -> None:
    assert median(xs) == pytest.approx(brute_median(xs), rel=1e-12, abs=0.0)


@given(samples)
@settings(max_examples=200, deadline=None)
def test_median_is_inf_iff_at_least_half_censored(xs: list[float]) -> None:
    assert (median(xs) == INF) == (2 * xs.count(INF) >= len(xs))


@given(st.lists(finite_costs, min_size=1, max_size=40))
@settings(max_examples=200, deadline=None)
def test_median_matches_statistics_on_finite_samples(xs: list[float]) -> None:
    assert median(xs) == pytest.approx(statistics.median(xs), rel=1e-12, abs=0.0)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.0, 2.0, INF], 2.0),
        ([1.0, INF, INF], INF),
        ([1.0, 2.0, 3.0, INF], 2.5),
        ([1.0, 2.0, INF, INF], INF),
        ([INF], INF),
        ([INF, INF], INF),
        ([7.0], 7.0),
        ([3, 1, 2], 2.0),
        ([0.0, 0.0], 0.0),
        ([1e308, 1.7e308], pytest.approx(1.35e308)),  # no overflow in the midpoint
    ],
)
def test_median_examples(values: list[float], expected: float) -> None:
    assert median(values) == expected


def test_median_ignores_order() -> None:
    assert median([INF, 5.0, 1.0]) == median([1.0, 5.0, INF]) == 5.0


# --------------------------------------------------------------------------------------------------- mad
@given(samples)
@settings(max_examples=200, deadline=None)
def test_mad_matches_brute_force(xs: list[float]) -> None:
    med = brute_median(xs)
    expected = INF if med == INF else MAD_SCALE * brute_median([abs(x - med) for x in xs])
    assert mad(xs) == pytest.approx(expected, rel=1e-12, abs=0.0)


def test_mad_examples() -> None:
    assert mad([5.0, 5.0, 5.0]) == 0.0
    assert mad([1.0, 2.0, 3.0, 4.0, 100.0]) == pytest.approx(MAD_SCALE * 1.0)  # outlier-robust
    assert mad([1.0, 2.0, INF]) == pytest.approx(MAD_SCALE * 1.0)  # deviations [1, 0, inf]
    assert mad([1.0, INF, INF]) == INF


def test_mad_scale_is_the_normal_consistency_constant() -> None:
    expected = 1.0 / statistics.NormalDist().inv_cdf(0.75)
    assert abs(MAD_SCALE - expected) < 1e-4 * expected


def test_mad_estimates_sigma_of_a_normal_sample() -> None:
    rng = random.Random(12345)
    sigma = 3.0
    xs = [max(0.0, rng.gauss(100.0, sigma)) for _ in range(20_000)]
    assert mad(xs) == pytest.approx(sigma, rel=0.05)


# --------------------------------------------------------------------------------------------- summarize
@given(samples)
@settings(max_examples=200, deadline=None)
def test_summarize_matches_brute_force(xs: list[float]) -> None:
    s = summarize(xs)
    med = brute_median(xs)
    assert s.n == len(xs)
    assert s.n_censored == xs.count(INF)
    assert s.median == pytest.approx(med, rel=1e-12, abs=0.0)
    assert s.mad == mad(xs)
    assert s.minimum == min(xs)
    assert s.maximum == max(xs)
    if med in (0.0, INF):
        assert math.isnan(s.cv)
    else:
        assert s.cv == pytest.approx(s.mad / s.median, rel=1e-12, abs=0.0)


def test_summarize_example() -> None:
    s = summarize([4.0, 1.0, 2.0, 3.0, INF])
    assert s == Summary(
        n=5, n_censored=1, median=3.0, mad=MAD_SCALE, minimum=1.0, maximum=INF, cv=MAD_SCALE / 3
    )


def test_summarize_mostly_censored() -> None:
    s = summarize([1.0, INF, INF])
    assert (s.median, s.mad, s.n_censored) == (INF, INF, 2)
    assert math.isnan(s.cv)


def test_summarize_zero_median_gives_nan_cv() -> None:
    assert math.isnan(summarize([0.0, 0.0, 1.0]).cv)


# ---------------------------------------------------------------------------------------------- validation
@pytest.mark.parametrize("func", [median, mad, summarize])
@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ([], "values=[]"),
        ([1.0, math.nan], "values[1]=nan"),
        ([1.0, -2.0], "values[1]=-2.0"),
        ([1.0, "2"], "values[1]='2'"),
        ([True], "values[0]=True"),
        ("123", "values='123'"),
    ],
)
def test_invalid_samples_are_rejected(func: object, values: list[float], fragment: str) -> None:
    with pytest.raises(InvalidArgument, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        func(values)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"numerator": []}, r"numerator=\[\]"),
        ({"denominator": [1.0, math.nan]}, r"denominator\[1\]=nan"),
        ({"confidence": 1.5}, r"confidence=1.5: must be in \(0, 1\)"),
        ({"confidence": 0.0}, "confidence=0.0"),
        ({"confidence": 1.0}, "confidence=1.0"),
        ({"confidence": math.nan}, "confidence=nan"),
        ({"resamples": 0}, "resamples=0"),
        ({"resamples": 10.5}, "resamples=10.5"),
        ({"seed": "x"}, "seed='x'"),
    ],
)
def test_ratio_of_medians_validation(kwargs: dict[str, object], fragment: str) -> None:
    args: dict[str, object] = {"numerator": [1.0, 2.0], "denominator": [1.0, 2.0], **kwargs}
    with pytest.raises(InvalidArgument, match=fragment):
        ratio_of_medians(**args)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ ratio: exact
def test_constant_groups_give_an_exact_degenerate_interval() -> None:
    est = ratio_of_medians([300.0] * 20, [100.0] * 15)
    assert est == RatioEstimate(point=3.0, low=3.0, high=3.0, confidence=0.95)
    odd = ratio_of_medians([1.0] * 7, [3.0] * 5, confidence=0.9, resamples=57)
    assert odd.point == odd.low == odd.high == 1.0 / 3.0


@pytest.mark.parametrize(("confidence", "n_cut"), [(0.95, 40), (0.9, 20), (0.5, 4)])
def test_interval_matches_a_reference_percentile_bootstrap(confidence: float, n_cut: int) -> None:
    """Independent re-implementation: same documented resampling order (numerator, then denominator, per
    resample), ``statistics`` medians, and the inclusive (Hyndman-Fan type 7) quantiles."""
    rng = random.Random(8)
    num = [rng.uniform(10.0, 30.0) for _ in range(25)]
    den = [rng.uniform(5.0, 15.0) for _ in range(24)]
    boot = random.Random(17)
    ratios = [
        statistics.median(boot.choices(num, k=len(num))) / statistics.median(boot.choices(den, k=len(den)))
        for _ in range(999)
    ]
    cuts = statistics.quantiles(ratios, n=n_cut, method="inclusive")  # cut k is quantile k / n_cut
    est = ratio_of_medians(num, den, confidence=confidence, resamples=999, seed=17)
    assert est.point == pytest.approx(statistics.median(num) / statistics.median(den), rel=1e-12)
    assert est.low == pytest.approx(cuts[0], rel=1e-12)
    assert est.high == pytest.approx(cuts[-1], rel=1e-12)
    assert est.confidence == confidence


def test_ratio_is_deterministic_for_a_seed() -> None:
    rng = random.Random(3)
    a = [rng.random() for _ in range(30)]
    b = [rng.random() for _ in range(30)]
    assert ratio_of_medians(a, b, seed=7) == ratio_of_medians(a, b, seed=7)
    assert ratio_of_medians(a, b, seed=7) != ratio_of_medians(a, b, seed=8)


def _lognormal(rng: random.Random, median_: float, sigma: float, n: int) -> list[float]:
    return [median_ * rng.lognormvariate(0.0, sigma) for _ in range(n)]


def test_known_ratio_is_covered_by_a_narrow_interval() -> None:
    rng = random.Random(2024)
    num = _lognormal(rng, 2000.0, 0.05, 100)
    den = _lognormal(rng, 1000.0, 0.05, 100)
    est = ratio_of_medians(num, den)
    assert est.low <= est.point <= est.high
    assert est.low <= 2.0 <= est.high
    assert (est.high - est.low) / 2.0 < 0.10
    assert est.point == pytest.approx(2.0, rel=0.03)


def test_a_versus_a_covers_one() -> None:
    rng = random.Random(99)
    a1 = _lognormal(rng, 500.0, 0.2, 60)
    a2 = _lognormal(rng, 500.0, 0.2, 60)
    est = ratio_of_medians(a1, a2, seed=1)
    assert est.low <= 1.0 <= est.high
    assert est.low > 0.8
    assert est.high < 1.25


def test_percentile_bootstrap_coverage() -> None:
    """Over 200 independent experiments the 90 % interval covers the true ratio 80-97 % of the time.

    (Small groups make the percentile interval for medians somewhat conservative; it tends to the nominal
    level as the groups grow, which is why the upper bound is 97 % rather than 90 %.)
    """
    true_ratio = 1.5
    covered = 0
    for seed in range(200):
        rng = random.Random(10_000 + seed)
        num = _lognormal(rng, true_ratio * 40.0, 0.3, 21)
        den = _lognormal(rng, 40.0, 0.3, 21)
        est = ratio_of_medians(num, den, confidence=0.9, resamples=250, seed=seed)
        covered += est.low <= true_ratio <= est.high
    assert 160 <= covered <= 194


def test_bootstrap_is_fast() -> None:
    rng = random.Random(5)
    num = _lognormal(rng, 2.0, 0.1, 200)
    den = _lognormal(rng, 1.0, 0.1, 200)
    start = time.process_time()
    ratio_of_medians(num, den, resamples=2000)
    assert time.process_time() - start < 1.0


def test_wider_confidence_gives_wider_interval() -> None:
    rng = random.Random(11)
    num = _lognormal(rng, 3.0, 0.2, 40)
    den = _lognormal(rng, 1.0, 0.2, 40)
    narrow = ratio_of_medians(num, den, confidence=0.5)
    wide = ratio_of_medians(num, den, confidence=0.99)
    assert wide.low <= narrow.low <= narrow.high <= wide.high
    assert (wide.low, wide.high) != (narrow.low, narrow.high)


# --------------------------------------------------------------------------------------- ratio: censoring
def test_numerator_all_censored() -> None:
    est = ratio_of_medians([INF] * 10, [1.0, 2.0, 3.0])
    assert (est.point, est.low, est.high) == (INF, INF, INF)


def test_denominator_all_censored() -> None:
    est = ratio_of_medians([1.0, 2.0, 3.0], [INF] * 10)
    assert (est.point, est.low, est.high) == (0.0, 0.0, 0.0)


def test_both_all_censored_concludes_nothing() -> None:
    est = ratio_of_medians([INF] * 5, [INF] * 5)
    assert math.isnan(est.point)
    assert (est.low, est.high) == (0.0, INF)


def test_mixed_censoring_pushes_only_the_upper_bound_to_inf() -> None:
    # 4 of 11 numerator runs censored: the median is finite, but many resamples have >= half censored.
    num = [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, INF, INF, INF, INF]
    den = [10.0] * 11
    est = ratio_of_medians(num, den, seed=3)
    assert est.point == pytest.approx(1.5)
    assert 1.0 <= est.low <= 1.5
    assert est.high == INF


def test_light_censoring_keeps_a_finite_interval() -> None:
    num = [20.0 + i * 0.1 for i in range(40)] + [INF]
    den = [10.0 + i * 0.05 for i in range(40)]
    est = ratio_of_medians(num, den)
    assert math.isfinite(est.high)
    assert est.low <= 2.0 <= est.high


def test_censored_denominator_in_a_fraction_of_resamples_gives_zero_low() -> None:
    num = [5.0] * 11
    den = [1.0] * 6 + [INF] * 5  # median finite (1), but many resamples have a censored median
    est = ratio_of_medians(num, den, seed=2)
    assert est.point == 5.0
    assert est.low == 0.0
    assert est.high == 5.0


def test_zero_costs() -> None:
    est = ratio_of_medians([0.0] * 3, [0.0] * 3)
    assert math.isnan(est.point)
    assert (est.low, est.high) == (0.0, INF)
    assert ratio_of_medians([1.0] * 3, [0.0] * 3) == RatioEstimate(INF, INF, INF, 0.95)
    assert ratio_of_medians([0.0] * 3, [1.0] * 3) == RatioEstimate(0.0, 0.0, 0.0, 0.95)


# ------------------------------------------------------------------------------------ sequential confidence
@pytest.mark.parametrize(
    ("confidence", "looks", "expected"),
    [(0.95, 1, 0.95), (0.95, 5, 0.99), (0.9, 10, 0.99), (0.99, 2, 0.995), (0.5, 4, 0.875)],
)
def test_sequential_confidence(confidence: float, looks: int, expected: float) -> None:
    assert sequential_confidence(confidence, looks) == pytest.approx(expected, abs=1e-15)


def test_sequential_confidence_increases_with_looks() -> None:
    values = [sequential_confidence(0.95, k) for k in range(1, 50)]
    assert values == sorted(values)
    assert all(0.95 <= v < 1.0 for v in values)


@pytest.mark.parametrize(
    ("confidence", "looks", "fragment"),
    [(1.5, 3, "confidence=1.5"), (0.0, 3, "confidence=0.0"), (0.9, 0, "looks=0"), (0.9, 2.0, "looks=2.0")],
)
def test_sequential_confidence_validation(confidence: float, looks: int, fragment: str) -> None:
    with pytest.raises(InvalidArgument, match=fragment):
        sequential_confidence(confidence, looks)
