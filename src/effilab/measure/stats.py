"""Robust statistics for cost samples (nanoseconds or instruction counts).

Costs are non-negative. A *right-censored* sample -- a run stopped at its time limit, whose true cost is
"at least the limit" -- is represented as ``math.inf``: every function here treats it as larger than every
finite value and never as the limit itself. Order statistics (median, quantiles) remain well defined under
that convention as long as fewer than half of the samples are censored; beyond that they are ``inf``.

Everything here is a pure function of its arguments (the bootstrap takes an explicit seed).
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import random
from collections.abc import Sequence

from effilab.errors import InvalidArgument

__all__ = [
    "MAD_SCALE",
    "RatioEstimate",
    "Summary",
    "mad",
    "median",
    "ratio_of_medians",
    "sequential_confidence",
    "summarize",
]

MAD_SCALE = 1.4826
"""Scale making the MAD a consistent estimator of σ for normal data: 1 / Φ⁻¹(3/4) ≈ 1.482602.

Source: Rousseeuw & Croux (1993), "Alternatives to the Median Absolute Deviation", JASA 88(424), eq. 1.1;
Hampel (1974), "The influence curve and its role in robust estimation", JASA 69(346).
"""


# --------------------------------------------------------------------------------------------- validation
def _costs(name: str, values: Sequence[float]) -> list[float]:
    """Validate a sample of costs at the edge and return it as a list of floats."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise InvalidArgument(f"{name}={values!r}: must be a sequence of non-negative numbers")
    if len(values) == 0:
        raise InvalidArgument(f"{name}={values!r}: must not be empty")
    out: list[float] = []
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise InvalidArgument(f"{name}[{i}]={v!r}: must be a real number")
        x = float(v)
        if math.isnan(x):
            raise InvalidArgument(f"{name}[{i}]={v!r}: must not be nan (use inf for a censored sample)")
        if x < 0:
            raise InvalidArgument(f"{name}[{i}]={v!r}: must be non-negative")
        out.append(x)
    return out


def _check_confidence(confidence: float) -> float:
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, numbers.Real)
        or not 0.0 < float(confidence) < 1.0
    ):
        raise InvalidArgument(f"confidence={confidence!r}: must be in (0, 1)")
    return float(confidence)


def _check_int(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgument(f"{name}={value!r}: must be an integer >= {minimum}")
    return value


# ------------------------------------------------------------------------------------- order statistics
def _midpoint(lower: float, upper: float) -> float:
    """Midpoint of ``lower <= upper`` (both >= 0), exact when equal, without overflow, inf-aware."""
    if upper == math.inf:
        return math.inf  # (x + inf) / 2 = inf; also avoids inf - inf = nan when both are censored
    return lower + (upper - lower) / 2


def _median_sorted(xs: Sequence[float]) -> float:
    """Median of an already sorted, non-empty sample (inf sorts last, so censoring is handled)."""
    n = len(xs)
    mid = n // 2
    if n % 2:
        return xs[mid]
    return _midpoint(xs[mid - 1], xs[mid])


def _quantile_sorted(xs: Sequence[float], p: float) -> float:
    """Quantile ``p`` of a sorted, non-empty sample by linear interpolation between order statistics.

    Definition 7 of Hyndman & Fan (1996), "Sample Quantiles in Statistical Packages", The American
    Statistician 50(4) (the default of R and numpy): h = (m - 1)·p, Q = x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋+1] - x[⌊h⌋]).
    """
    h = (len(xs) - 1) * p
    lo = math.floor(h)
    frac = h - lo
    if frac == 0.0 or lo + 1 >= len(xs):
        return xs[lo]
    a, b = xs[lo], xs[lo + 1]
    if b == math.inf:
        return math.inf  # interpolating towards a censored value: at least as large as any finite value
    return a + frac * (b - a)


def median(values: Sequence[float]) -> float:
    """Sample median; ``inf`` (censored) samples count as larger than every finite one.

    The result is ``inf`` exactly when at least half of the samples are censored.

    Raises:
        InvalidArgument: ``values`` is empty or contains nan, a negative number or a non-number.
    """
    return _median_sorted(sorted(_costs("values", values)))


def _mad_of(xs: list[float], med: float) -> float:
    if med == math.inf:
        return math.inf
    # |inf - med| = inf: a censored sample is also a maximal deviation, which is the right ordering.
    return MAD_SCALE * _median_sorted(sorted(abs(x - med) for x in xs))


def mad(values: Sequence[float]) -> float:
    """Median absolute deviation around the median, scaled by :data:`MAD_SCALE` to estimate σ.

    MAD = 1.4826 · median(|xᵢ − median(x)|)  (Rousseeuw & Croux 1993, eq. 1.1). ``inf`` when the median is.

    Raises:
        InvalidArgument: as :func:`median`.
    """
    xs = _costs("values", values)
    return _mad_of(xs, _median_sorted(sorted(xs)))


@dataclasses.dataclass(frozen=True, slots=True)
class Summary:
    """Robust summary of one sample of costs (see :func:`summarize`)."""

    n: int
    """Number of samples, censored ones included."""
    n_censored: int
    """Number of censored (``inf``) samples."""
    median: float
    """Median; ``inf`` if at least half the samples are censored."""
    mad: float
    """Median absolute deviation around the median, scaled by 1.4826 (σ for normal data); ``inf`` if the
    median is ``inf``."""
    minimum: float
    maximum: float
    """Largest sample; ``inf`` if any is censored."""
    cv: float
    """Robust coefficient of variation ``mad / median``; nan if the median is 0 or ``inf``."""


def summarize(values: Sequence[float]) -> Summary:
    """Robust summary (median, scaled MAD, extremes, robust CV) of a sample of costs.

    Raises:
        InvalidArgument: as :func:`median`.
    """
    xs = _costs("values", values)
    xs.sort()
    med = _median_sorted(xs)
    spread = _mad_of(xs, med)
    cv = math.nan if med in (0.0, math.inf) else spread / med
    return Summary(
        n=len(xs),
        n_censored=sum(1 for x in xs if x == math.inf),
        median=med,
        mad=spread,
        minimum=xs[0],
        maximum=xs[-1],
        cv=cv,
    )


# ---------------------------------------------------------------------------------------- ratio + bootstrap
@dataclasses.dataclass(frozen=True, slots=True)
class RatioEstimate:
    """Ratio of medians with a percentile-bootstrap confidence interval (see :func:`ratio_of_medians`)."""

    point: float
    """``median(numerator) / median(denominator)`` under the censoring conventions; nan if undefined."""
    low: float
    high: float
    confidence: float


def _ratio(num: float, den: float) -> float:
    """``num / den`` for non-negative, possibly infinite (censored) medians.

    Conventions: x/inf = 0 (x finite), inf/x = inf (x finite), x/0 = inf (x > 0); inf/inf and 0/0 are
    undefined (nan) -- with censoring nothing is known about their ratio.
    """
    if den == math.inf:
        return math.nan if num == math.inf else 0.0
    if num == math.inf:
        return math.inf
    if den == 0.0:
        return math.nan if num == 0.0 else math.inf
    return num / den


def ratio_of_medians(
    numerator: Sequence[float],
    denominator: Sequence[float],
    *,
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> RatioEstimate:
    """Ratio of the medians of two independent cost samples, with a percentile-bootstrap interval.

    Each group is resampled independently with replacement (``random.Random(seed)``, so the result is
    deterministic; per resample the numerator is drawn first, then the denominator); the ratio of medians
    of each resample pair forms the bootstrap distribution, whose ``(1 - c)/2`` and ``(1 + c)/2`` quantiles
    are the interval (percentile method: Efron & Tibshirani (1993), *An Introduction to the Bootstrap*,
    ch. 13.3; two-sample resampling: ibid. ch. 8.3).

    Censoring (``inf`` samples) follows :func:`_ratio`'s conventions: x/inf = 0, inf/x = inf, x/0 = inf;
    inf/inf and 0/0 are undefined and such resamples are excluded from the quantiles. If more than half of
    the resampled ratios are undefined nothing can be concluded and the interval is ``[0, inf]``. The point
    estimate uses the same conventions (so it is nan when undefined).

    Constant samples (deterministic instruction counts) give ``point == low == high`` exactly.

    Raises:
        InvalidArgument: a sample is empty or holds nan / negative values; ``confidence`` not in (0, 1);
            ``resamples < 1``; ``seed`` not an integer.
    """
    num = _costs("numerator", numerator)
    den = _costs("denominator", denominator)
    c = _check_confidence(confidence)
    _check_int("resamples", resamples, 1)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidArgument(f"seed={seed!r}: must be an integer")

    point = _ratio(_median_sorted(sorted(num)), _median_sorted(sorted(den)))

    rng = random.Random(seed)
    choices = rng.choices
    n_num, n_den = len(num), len(den)
    ratios: list[float] = []
    undefined = 0
    for _ in range(resamples):
        # C-level resampling and sorting; only the ratio itself runs per resample in Python.
        r = _ratio(
            _median_sorted(sorted(choices(num, k=n_num))), _median_sorted(sorted(choices(den, k=n_den)))
        )
        if math.isnan(r):
            undefined += 1
        else:
            ratios.append(r)

    if 2 * undefined > resamples:
        return RatioEstimate(point=point, low=0.0, high=math.inf, confidence=c)
    ratios.sort()
    return RatioEstimate(
        point=point,
        low=_quantile_sorted(ratios, (1.0 - c) / 2.0),
        high=_quantile_sorted(ratios, (1.0 + c) / 2.0),
        confidence=c,
    )


# ---------------------------------------------------------------------------------------- sequential tests
def sequential_confidence(confidence: float, looks: int) -> float:
    """Per-look confidence level so that a test inspected ``looks`` times keeps overall ``confidence``.

    Peeking at accumulating data and stopping at the first "significant" look inflates the false-positive
    rate well above the nominal ``1 - confidence`` (Armitage, McPherson & Rowe (1969), "Repeated
    significance tests on accumulating data", JRSS A 132(2)). The Bonferroni inequality bounds the overall
    error by the sum of the per-look errors, so using ``1 - (1 - confidence) / looks`` at each look keeps the
    family-wise error at most ``1 - confidence`` (Dunn (1961), "Multiple comparisons among means", JASA
    56(293)). Conservative, but valid for any dependence between looks.

    Raises:
        InvalidArgument: ``confidence`` not in (0, 1) or ``looks`` not an integer >= 1.
    """
    c = _check_confidence(confidence)
    k = _check_int("looks", looks, 1)
    return 1.0 - (1.0 - c) / k
