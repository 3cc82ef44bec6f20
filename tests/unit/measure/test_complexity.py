"""Empirical complexity classes: recovery from noisy synthetic data, Occam preference, validation."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from effilab.errors import InvalidArgument
from effilab.measure.complexity import CLASSES, ComplexityFit, fit_complexity

GROWTH: dict[str, Callable[[float], float]] = {
    "O(1)": lambda n: 0.0,
    "O(log n)": math.log,
    "O(n)": lambda n: n,
    "O(n log n)": lambda n: n * math.log(n),
    "O(n^2)": lambda n: n * n,
    "O(n^3)": lambda n: n**3,
    "O(2^n)": lambda n: 2.0**n,
}

POW2_10_16 = [2.0**k for k in range(10, 17)]
POW2_8_18 = [2.0**k for k in range(8, 19)]
SMALL = [float(n) for n in range(1, 21)]


def synthetic(
    label: str, sizes: list[float], a: float, b: float, seed: int, *, noise: float = 0.03
) -> list[float]:
    """``a·g(n) + b`` with multiplicative lognormal noise of relative size ``noise``."""
    rng = random.Random(seed)
    return [(a * GROWTH[label](n) + b) * math.exp(rng.gauss(0.0, noise)) for n in sizes]


def test_classes_are_simplest_first() -> None:
    assert CLASSES == ("O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)", "O(n^3)", "O(2^n)")


@pytest.mark.parametrize(
    ("label", "sizes", "a", "b"),
    [
        ("O(log n)", POW2_10_16, 50.0, 20.0),
        ("O(n)", POW2_10_16, 3.0, 500.0),
        ("O(n log n)", POW2_10_16, 3.0, 500.0),
        ("O(n^2)", POW2_10_16, 0.5, 1e4),
        ("O(n^3)", POW2_10_16, 0.01, 1e5),
        ("O(2^n)", SMALL, 2.0, 100.0),
        ("O(n^2)", SMALL, 5.0, 10.0),
        ("O(n^3)", SMALL, 1.0, 1.0),
    ],
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_recovers_class_from_noisy_data(
    label: str, sizes: list[float], a: float, b: float, seed: int
) -> None:
    costs = synthetic(label, sizes, a, b, seed)
    result = fit_complexity(sizes, costs)
    assert result.best.label == label, [(f.label, f.relative_rss) for f in result.fits]
    # a and b are correlated over a finite range (log n barely varies), so a is only roughly identified;
    # the fitted curve itself must be close to the true one everywhere in the range.
    assert result.best.coefficient == pytest.approx(a, rel=0.3)
    for n in sizes:
        assert result.predict(n) == pytest.approx(a * GROWTH[label](n) + b, rel=0.08)
    assert result.best.r2 > 0.95
    assert result.best.relative_rss < 0.03**2 * 3


@pytest.mark.parametrize("label", ["O(n)", "O(n log n)"])
@pytest.mark.parametrize("seed", range(5))
def test_linear_and_linearithmic_are_distinguished_over_a_wide_range(label: str, seed: int) -> None:
    costs = synthetic(label, POW2_8_18, 7.0, 1000.0, seed)
    assert fit_complexity(POW2_8_18, costs).best.label == label


def test_pure_constant_is_constant() -> None:
    result = fit_complexity(POW2_10_16, [1234.5] * len(POW2_10_16))
    assert result.best.label == "O(1)"
    assert result.best.coefficient == 0.0
    assert result.best.intercept == pytest.approx(1234.5, rel=1e-12)
    assert result.best.r2 == 1.0
    assert result.predict(1e9) == pytest.approx(1234.5, rel=1e-12)


def test_exact_data_is_fitted_exactly() -> None:
    sizes = [2.0**k for k in range(4, 12)]
    costs = [3.0 * n * n + 7.0 for n in sizes]
    best = fit_complexity(sizes, costs).best
    assert best.label == "O(n^2)"
    assert best.coefficient == pytest.approx(3.0, rel=1e-9)
    assert best.intercept == pytest.approx(7.0, rel=1e-6)
    assert best.relative_rss < 1e-20
    assert best.r2 == pytest.approx(1.0, abs=1e-12)


def test_occam_prefers_the_simpler_class_on_near_ties() -> None:
    # Constant data with a tiny relative wobble: every class fits to within rounding, O(1) must win.
    sizes = [float(n) for n in range(2, 40)]
    costs = [1000.0 * (1.0 + 1e-9 * ((-1) ** i)) for i in range(len(sizes))]
    result = fit_complexity(sizes, costs)
    assert result.best.label == "O(1)"
    rss = {f.label: f.relative_rss for f in result.fits}
    assert min(rss.values()) <= rss["O(1)"] <= min(rss.values()) * 1.1 + 1e-12


@pytest.mark.parametrize("seed", [0, 13])
def test_occam_prefers_constant_over_a_slightly_better_noise_fit(seed: int) -> None:
    # Constant costs with 3 % noise where, by chance, a growing class fits a few per cent better.
    costs = synthetic("O(1)", POW2_10_16, 0.0, 1000.0, seed)
    result = fit_complexity(POW2_10_16, costs)
    rss = {f.label: f.relative_rss for f in result.fits}
    assert min(rss.values()) < rss["O(1)"] <= 1.1 * min(rss.values())
    assert result.best.label == "O(1)"


def test_noisy_constant_costs_are_constant() -> None:
    """The growth guard: an extra parameter fitting 3 % noise must not turn O(1) into a growing class."""
    sizes = [2.0**k for k in range(10, 17)]
    wrong = 0
    for seed in range(100):
        rng = random.Random(seed)
        costs = [1000.0 * (1 + rng.gauss(0, 0.03)) for _ in sizes]
        wrong += fit_complexity(sizes, costs).best.label != "O(1)"
    assert wrong <= 2


@given(
    label=st.sampled_from(CLASSES),
    seed=st.integers(0, 2**32),
    noise=st.floats(0.0, 0.3),
    b=st.floats(1.0, 1e4),
)
@settings(max_examples=100, deadline=None)
def test_selection_rule(label: str, seed: int, noise: float, b: float) -> None:
    """best = the simplest class whose relative RSS is within ×1.1 + 1e-12 of the lowest, unless its curve
    grows by less than 10 % over the sizes (then O(1)); the rest sorted."""
    costs = synthetic(label, SMALL[1:], 1.0, b, seed, noise=noise)
    result = fit_complexity(SMALL[1:], costs)
    lowest = min(f.relative_rss for f in result.fits)
    eligible = [f for f in result.fits if f.relative_rss <= lowest * 1.1 + 1e-12]
    expected = min(eligible, key=lambda f: CLASSES.index(f.label))
    low, high = expected.predict(min(SMALL[1:])), expected.predict(max(SMALL[1:]))
    if high < low * 1.10:
        expected = next(f for f in result.fits if f.label == "O(1)")
    assert result.best == expected
    assert {f.label for f in result.fits} == set(CLASSES)
    assert all(f.coefficient >= 0.0 for f in result.fits)
    m = len(costs)
    for f in result.fits:
        rel = sum(((f.predict(n) - c) / c) ** 2 for n, c in zip(SMALL[1:], costs, strict=True)) / m
        assert f.relative_rss == pytest.approx(rel, rel=1e-6, abs=1e-15)


def test_decreasing_costs_are_fitted_as_constant_not_negative_growth() -> None:
    sizes = [10.0, 20.0, 40.0, 80.0, 160.0]
    costs = [500.0, 400.0, 300.0, 200.0, 100.0]
    result = fit_complexity(sizes, costs)
    assert all(f.coefficient >= 0.0 for f in result.fits)
    assert result.best.label == "O(1)"
    sizes = [1.0, 2.0, 3.0, 4.0]
    flat = fit_complexity(sizes, [9.0, 7.0, 5.0, 3.0])
    exp = next(f for f in flat.fits if f.label == "O(2^n)")
    assert exp.coefficient == 0.0
    assert exp.predict(1e6) == exp.intercept  # 0·2^(10^6) is the intercept, not nan


def test_fits_list_every_fittable_class_best_first() -> None:
    costs = synthetic("O(n)", POW2_10_16, 2.0, 10.0, 0)
    result = fit_complexity(POW2_10_16, costs)
    labels = [f.label for f in result.fits]
    assert sorted(labels, key=CLASSES.index) == list(CLASSES[:-1])  # 2^n skipped: sizes > 64
    assert result.fits[0] is result.best
    rest = [f.relative_rss for f in result.fits[1:]]
    assert rest == sorted(rest)


def test_log_classes_skipped_when_a_size_is_below_two() -> None:
    sizes = [1.0, 2.0, 3.0, 4.0, 5.0]
    labels = {f.label for f in fit_complexity(sizes, synthetic("O(n)", sizes, 1.0, 1.0, 0)).fits}
    assert labels == {"O(1)", "O(n)", "O(n^2)", "O(n^3)", "O(2^n)"}


def test_exponential_skipped_above_64() -> None:
    sizes = [16.0, 32.0, 64.0]
    assert "O(2^n)" in {f.label for f in fit_complexity(sizes, [1.0, 2.0, 4.0]).fits}
    sizes = [16.0, 32.0, 65.0]
    assert "O(2^n)" not in {f.label for f in fit_complexity(sizes, [1.0, 2.0, 4.0]).fits}


def test_repeated_sizes_are_allowed() -> None:
    sizes = [s for s in POW2_10_16 for _ in range(3)]
    costs = synthetic("O(n log n)", sizes, 1.0, 50.0, 4)
    assert fit_complexity(sizes, costs).best.label == "O(n log n)"


def test_predict() -> None:
    sizes = [2.0**k for k in range(4, 12)]
    result = fit_complexity(sizes, [5.0 * n + 2.0 for n in sizes])
    assert isinstance(result, ComplexityFit)
    assert result.predict(1000) == pytest.approx(5002.0, rel=1e-9)
    assert result.predict(0.5) == pytest.approx(4.5, rel=1e-6)
    exp = fit_complexity(SMALL, [2.0**n + 1.0 for n in SMALL])
    assert exp.best.label == "O(2^n)"
    assert exp.predict(30) == pytest.approx(2.0**30 + 1.0, rel=1e-6)
    assert exp.predict(1e6) == math.inf  # overflow is reported as inf, not an exception
    with pytest.raises(InvalidArgument, match="size=0"):
        result.predict(0)
    with pytest.raises(InvalidArgument, match="size=inf"):
        result.predict(math.inf)


def test_scale_invariance() -> None:
    sizes = POW2_10_16
    costs = synthetic("O(n^2)", sizes, 1.0, 100.0, 9)
    base = fit_complexity(sizes, costs).best
    scaled = fit_complexity(sizes, [c * 1e-9 for c in costs]).best
    assert scaled.label == base.label
    assert scaled.coefficient == pytest.approx(base.coefficient * 1e-9, rel=1e-9)
    assert scaled.relative_rss == pytest.approx(base.relative_rss, rel=1e-9)


def test_huge_sizes_do_not_overflow() -> None:
    sizes = [1e100, 2e100, 4e100, 8e100]
    result = fit_complexity(sizes, [n * 1e-100 for n in sizes])
    assert result.best.label == "O(n)"


@pytest.mark.parametrize(
    ("sizes", "costs", "fragment"),
    [
        ([1.0, 2.0, 3.0], [1.0, 2.0], r"costs \(length 2\).*sizes \(length 3\)"),
        ([1.0, 2.0, 2.0, 1.0], [1.0, 2.0, 3.0, 4.0], "at least 3 distinct sizes, got 2"),
        ([1.0, 0.0, 3.0], [1.0, 2.0, 3.0], r"sizes\[1\]=0.0"),
        ([1.0, -2.0, 3.0], [1.0, 2.0, 3.0], r"sizes\[1\]=-2.0"),
        ([1.0, math.inf, 3.0], [1.0, 2.0, 3.0], r"sizes\[1\]=inf"),
        ([1.0, math.nan, 3.0], [1.0, 2.0, 3.0], r"sizes\[1\]=nan"),
        ([1.0, 2.0, 3.0], [1.0, math.inf, 3.0], r"costs\[1\]=inf \(at size 2.0\)"),
        ([1.0, 2.0, 3.0], [1.0, 2.0, 0.0], r"costs\[2\]=0.0 \(at size 3.0\)"),
        ([1.0, 2.0, 3.0], [-1.0, 2.0, 3.0], r"costs\[0\]=-1.0 \(at size 1.0\)"),
        ([1.0, 2.0, 3.0], [1.0, math.nan, 3.0], r"costs\[1\]=nan"),
        ([1.0, 2.0, 3.0], [1.0, "2", 3.0], r"costs\[1\]='2'"),
        ("abc", [1.0, 2.0, 3.0], "sizes='abc'"),
    ],
)
def test_validation_names_the_argument(sizes: list[float], costs: list[float], fragment: str) -> None:
    with pytest.raises(InvalidArgument, match=fragment):
        fit_complexity(sizes, costs)
