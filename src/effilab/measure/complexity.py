"""Empirical complexity class of a cost as a function of input size.

Each candidate class ``g`` (constant, log n, n, n log n, n², n³, 2ⁿ) is fitted as ``cost ≈ a·g(n) + b`` with
``a >= 0`` by weighted least squares on *relative* errors (weights ``1/cost²``), so that a 10 % miss at the
smallest size weighs as much as a 10 % miss at the largest. The class with the smallest relative residual
wins, except that a simpler class within 10 % of the best is preferred (Occam: with noise, neighbouring
classes fit almost equally well, and the extra growth is then not supported by the data).

Pure functions only; censored (``inf``) costs must be dealt with by the caller.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Callable, Sequence

from effilab.errors import InvalidArgument

__all__ = ["CLASSES", "ComplexityFit", "Fit", "fit_complexity"]

CLASSES: tuple[str, ...] = ("O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)", "O(n^3)", "O(2^n)")
"""Candidate classes, simplest first (the order is the Occam tie-break order)."""

_MIN_GROWTH = 0.10  # growth across the size range below which a class is not told apart from O(1)
_OCCAM_FACTOR = 1.1
"""A simpler class wins if its relative RSS is at most this many times the best one (plus _OCCAM_EPS)."""
_OCCAM_EPS = 1e-12
"""Absolute slack so that exact fits (relative RSS ≈ 0 up to rounding) also go to the simplest class."""
_MAX_EXP_SIZE = 64.0
"""O(2^n) is only considered when every size is at most this (beyond it 2^n is meaningless as a cost)."""
_MIN_LOG_SIZE = 2.0
"""O(log n) and O(n log n) need every size >= 2 (log 1 = 0 makes the basis degenerate near n = 1)."""


def _log(n: float) -> float:
    return math.log(n)


def _nlogn(n: float) -> float:
    return n * math.log(n)


def _square(n: float) -> float:
    return n * n


def _cube(n: float) -> float:
    return n * n * n


def _exp2(n: float) -> float:
    try:
        return math.ldexp(1.0, int(n)) if n == int(n) else math.pow(2.0, n)
    except OverflowError:
        return math.inf


def _identity(n: float) -> float:
    return n


_BASIS: dict[str, Callable[[float], float] | None] = {
    "O(1)": None,
    "O(log n)": _log,
    "O(n)": _identity,
    "O(n log n)": _nlogn,
    "O(n^2)": _square,
    "O(n^3)": _cube,
    "O(2^n)": _exp2,
}


@dataclasses.dataclass(frozen=True, slots=True)
class Fit:
    """One class fitted as ``cost ≈ coefficient·g(n) + intercept``."""

    label: str
    """One of :data:`CLASSES`."""
    coefficient: float
    """``a`` in ``cost ≈ a·g(n) + b``, always >= 0 (0 for O(1), or when the growth would be negative)."""
    intercept: float
    """``b``."""
    relative_rss: float
    """Mean squared relative error ``Σ((pred − cost)/cost)² / n`` -- the quantity minimised."""
    r2: float
    """Ordinary coefficient of determination of the predictions on the raw costs (1 for a perfect fit; when
    all costs are equal, 1 if the fit is exact up to rounding, else 0)."""

    def predict(self, size: float) -> float:
        """Predicted cost at ``size`` (> 0, finite); ``inf`` if the model overflows there."""
        _check_size("size", size)
        return _evaluate(self.label, self.coefficient, self.intercept, float(size))


@dataclasses.dataclass(frozen=True, slots=True)
class ComplexityFit:
    """Result of :func:`fit_complexity`."""

    best: Fit
    """The chosen class (Occam-adjusted smallest relative RSS)."""
    fits: tuple[Fit, ...]
    """Every class that could be fitted: ``best`` first, then the others by increasing relative RSS."""

    def predict(self, size: float) -> float:
        """Cost predicted by the best fit at ``size`` (> 0, finite); ``inf`` if it overflows there.

        Raises:
            InvalidArgument: ``size`` is not a positive finite number.
        """
        return self.best.predict(size)


def _check_size(name: str, value: float) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidArgument(f"{name}={value!r}: must be a positive finite number")


def _evaluate(label: str, a: float, b: float, n: float) -> float:
    g = _BASIS[label]
    if g is None or a == 0.0:
        return b
    gn = g(n)
    if math.isinf(gn):
        return math.inf
    return a * gn + b


def _weighted_fit(
    g: Sequence[float] | None, costs: Sequence[float], w: Sequence[float]
) -> tuple[float, float] | None:
    """Minimise Σ wᵢ (a·gᵢ + b − cᵢ)² subject to a >= 0; ``None`` if the basis is degenerate.

    Closed form of the two-parameter weighted least-squares line, in centred form for numerical stability
    (e.g. Draper & Smith (1998), *Applied Regression Analysis*, 3rd ed., §9.2):
        ḡ = Σwg/Σw,  c̄ = Σwc/Σw,  a = Σw(g−ḡ)(c−c̄) / Σw(g−ḡ)²,  b = c̄ − a·ḡ.
    With a constrained to >= 0, a negative unconstrained optimum means the constrained one lies on the
    boundary a = 0 (the objective is a convex quadratic), whose solution is the weighted mean b = c̄.
    """
    sw = math.fsum(w)
    c_bar = math.fsum(wi * ci for wi, ci in zip(w, costs, strict=True)) / sw
    if g is None:
        return 0.0, c_bar
    g_bar = math.fsum(wi * gi for wi, gi in zip(w, g, strict=True)) / sw
    sgg = math.fsum(wi * (gi - g_bar) ** 2 for wi, gi in zip(w, g, strict=True))
    if not sgg > 0.0 or not math.isfinite(sgg):
        return None
    sgc = math.fsum(wi * (gi - g_bar) * (ci - c_bar) for wi, gi, ci in zip(w, g, costs, strict=True))
    a = sgc / sgg
    if not math.isfinite(a):
        return None
    if a <= 0.0:
        return 0.0, c_bar
    return a, c_bar - a * g_bar


def fit_complexity(sizes: Sequence[float], costs: Sequence[float]) -> ComplexityFit:
    """Fit every complexity class in :data:`CLASSES` to ``costs`` measured at ``sizes`` and pick one.

    Each class is fitted as ``cost ≈ a·g(n) + b`` (``a >= 0``) by weighted least squares with weights
    ``1/cost²``, i.e. minimising the squared *relative* errors. O(log n) and O(n log n) are skipped unless
    every size is >= 2; O(2^n) is skipped unless every size is <= 64. The best class has the smallest
    relative RSS, but the simplest class (earliest in :data:`CLASSES`) whose relative RSS is within
    ``×1.1 + 1e-12`` of the best is preferred. Repeated sizes (several samples per size) are allowed.

    Raises:
        InvalidArgument: lengths differ; fewer than 3 distinct sizes; a size is not positive and finite;
            a cost is not positive and finite (e.g. a censored ``inf`` run -- the message names its size).
    """
    for name, seq in (("sizes", sizes), ("costs", costs)):
        if isinstance(seq, str | bytes) or not isinstance(seq, Sequence):
            raise InvalidArgument(f"{name}={seq!r}: must be a sequence of numbers")
    if len(sizes) != len(costs):
        raise InvalidArgument(
            f"costs (length {len(costs)}): must have the same length as sizes (length {len(sizes)})"
        )
    ns: list[float] = []
    for i, s in enumerate(sizes):
        _check_size(f"sizes[{i}]", s)
        ns.append(float(s))
    cs: list[float] = []
    for i, (s, c) in enumerate(zip(sizes, costs, strict=True)):
        if isinstance(c, bool) or not isinstance(c, numbers.Real) or not math.isfinite(c) or c <= 0:
            raise InvalidArgument(f"costs[{i}]={c!r} (at size {s!r}): must be a positive finite number")
        cs.append(float(c))
    distinct = len(set(ns))
    if distinct < 3:
        raise InvalidArgument(f"sizes={list(sizes)!r}: need at least 3 distinct sizes, got {distinct}")

    # Weights 1/c² rescaled by min(c)² (the solution is invariant to scaling the weights): they lie in
    # (0, 1] and cannot overflow for tiny costs.
    c_min = min(cs)
    w = [(c_min / c) ** 2 for c in cs]
    m = len(cs)
    c_mean = math.fsum(cs) / m
    ss_tot = math.fsum((c - c_mean) ** 2 for c in cs)

    fits: list[Fit] = []
    for label in CLASSES:
        basis = _BASIS[label]
        if label in ("O(log n)", "O(n log n)") and min(ns) < _MIN_LOG_SIZE:
            continue
        if label == "O(2^n)" and max(ns) > _MAX_EXP_SIZE:
            continue
        if basis is None:
            solved = _weighted_fit(None, cs, w)
            scale = 1.0
        else:
            raw = [basis(n) for n in ns]
            scale = max(raw)  # rescale g into (0, 1] so that g² cannot overflow (e.g. n³ or 2⁶⁴)
            if not (math.isfinite(scale) and scale > 0.0):
                continue
            solved = _weighted_fit([x / scale for x in raw], cs, w)
        if solved is None:
            continue
        a_scaled, b = solved
        a = a_scaled / scale
        preds = [_evaluate(label, a, b, n) for n in ns]
        if not all(math.isfinite(p) for p in preds):
            continue
        rel_rss = math.fsum(((p - c) / c) ** 2 for p, c in zip(preds, cs, strict=True)) / m
        ss_res = math.fsum((p - c) ** 2 for p, c in zip(preds, cs, strict=True))
        # R² = 1 − SS_res/SS_tot. It is undefined for constant costs (SS_tot = 0); there we follow
        # scikit-learn's r2_score (force_finite): 1 for a perfect fit (up to rounding), 0 otherwise.
        perfect = 1.0 if rel_rss <= _OCCAM_EPS**2 else 0.0
        r2 = 1.0 - ss_res / ss_tot if ss_tot > 0.0 else perfect
        fits.append(Fit(label=label, coefficient=a, intercept=b, relative_rss=rel_rss, r2=r2))

    # O(1) can always be fitted (weighted mean of positive costs), so ``fits`` is never empty.
    lowest = min(f.relative_rss for f in fits)
    threshold = lowest * _OCCAM_FACTOR + _OCCAM_EPS
    best = next(f for f in fits if f.relative_rss <= threshold)  # fits are in CLASSES order: simplest first
    if best.label != "O(1)":
        # A growing class has one parameter more than O(1) and always fits noise a little better; only
        # believe the growth when the fitted curve rises clearly over the measured range (more than
        # measurement noise of a few per cent could produce).
        low, high = best.predict(min(ns)), best.predict(max(ns))
        if math.isfinite(high) and high < low * (1.0 + _MIN_GROWTH):
            best = next(f for f in fits if f.label == "O(1)")
    rest = sorted((f for f in fits if f is not best), key=lambda f: f.relative_rss)
    return ComplexityFit(best=best, fits=(best, *rest))
