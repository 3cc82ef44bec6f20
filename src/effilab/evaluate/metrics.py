"""Benchmark-level efficiency metrics: pass@k, eff@k, ENAMEL level scores, PIE speedups, EvalPerf DPS.

Sources:

* pass@k -- Chen et al. (2021), "Evaluating Large Language Models Trained on Code", arXiv:2107.03374, §2.1.
* eff@k, level/sample efficiency -- Qiu et al. (2024), "How Efficient is LLM-Generated Code? A Rigorous &
  High-Standard Benchmark" (ENAMEL), arXiv:2406.06647, §2.2-2.3.
* %OPT and geometric-mean speedup -- Shypula et al. (2024), "Learning Performance-Improving Code Edits"
  (PIE), ICLR 2024.
* Differential Performance Score -- Liu et al. (2024), "Evaluating Language Models for Efficient Code
  Generation" (EvalPerf), arXiv:2408.06450.

Costs are non-negative; a right-censored run (stopped at its limit) is ``math.inf``, as in
:mod:`effilab.measure.stats`. Every function is pure and validates its arguments at the edge, raising
:class:`~effilab.errors.InvalidArgument` naming the offending argument and value.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Sequence
from typing import TypeVar

from effilab.errors import InvalidArgument

__all__ = [
    "SpeedupSummary",
    "dpe_score",
    "eff_at_k",
    "efficient_at_k",
    "geometric_mean",
    "level_efficiency",
    "pass_at_k",
    "sample_efficiency",
    "speedup_summary",
]

_T = TypeVar("_T")


# --------------------------------------------------------------------------------------------- validation
def _int(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidArgument(f"{name}={value!r}: must be an integer")
    return int(value)


def _real(name: str, value: float) -> float:
    """A real number, not nan (inf is left to the caller to accept or reject)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidArgument(f"{name}={value!r}: must be a real number")
    x = float(value)
    if math.isnan(x):
        raise InvalidArgument(f"{name}={value!r}: must not be nan")
    return x


def _finite(name: str, value: float) -> float:
    x = _real(name, value)
    if not math.isfinite(x):
        raise InvalidArgument(f"{name}={value!r}: must be finite")
    return x


def _sequence(name: str, values: Sequence[_T]) -> Sequence[_T]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise InvalidArgument(f"{name}={values!r}: must be a sequence")
    return values


def _check_k(k: int, n: int) -> int:
    k = _int("k", k)
    if not 1 <= k <= n:
        raise InvalidArgument(f"k={k!r}: must satisfy 1 <= k <= n={n}")
    return k


# ---------------------------------------------------------------------------------------- pass@k family
def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased estimate of P(at least one of k samples is correct) from n samples of which c are correct.

    Drawing only k samples would give a high-variance estimate; averaging over all k-subsets of n samples
    gives ``1 - C(n-c, k) / C(n, k)``. The binomials overflow for n in the hundreds, so the ratio is taken
    as the product ``prod_{i=n-c+1..n} (1 - k/i)`` (Chen et al. 2021, fig. 3).
    """
    n = _int("n", n)
    c = _int("c", c)
    if n < 1:
        raise InvalidArgument(f"n={n!r}: must be >= 1")
    if not 0 <= c <= n:
        raise InvalidArgument(f"c={c!r}: must satisfy 0 <= c <= n={n}")
    k = _check_k(k, n)
    if n - c < k:
        return 1.0  # every k-subset contains a correct sample
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


def efficient_at_k(n: int, c: int, k: int) -> float:
    """P(at least one of k samples beats the best reference), from n samples of which c beat it.

    "Beats the reference" is just another binary success criterion, so the unbiased estimator is exactly
    pass@k's (this delegates to :func:`pass_at_k`); only the meaning of ``c`` differs.
    """
    return pass_at_k(n, c, k)


def eff_at_k(scores: Sequence[float], k: int) -> float:
    """Unbiased estimate of E[max of k scores drawn without replacement] from all n scores (ENAMEL eff@k).

    With e sorted ascending, the r-th smallest is the maximum of a random k-subset with probability
    ``λ_r = C(r-1, k-1) / C(n, k)``. Those binomials overflow near n≈1000, so the weights come from the
    ratio ``λ_r / λ_{r+1} = 1 - (k-1)/r`` starting at ``λ_n = k/n``, which stays in [0, 1] throughout (small
    weights underflow harmlessly to 0). ENAMEL scores incorrect samples 0 before calling this.
    """
    values = _sequence("scores", scores)
    n = len(values)
    if n == 0:
        raise InvalidArgument(f"scores={scores!r}: must not be empty")
    e = sorted(_finite(f"scores[{i}]", v) for i, v in enumerate(values))
    k = _check_k(k, n)
    if k == n:
        return e[-1]  # exact: the only subset is all of them
    weight = k / n  # λ_n
    terms = [weight * e[n - 1]]
    for r in range(n - 1, k - 1, -1):  # r is 1-based: e_(r) = e[r - 1]
        weight *= 1.0 - (k - 1) / r
        if weight == 0.0:
            break  # underflowed: every smaller rank's weight is 0 too
        terms.append(weight * e[r - 1])
    return math.fsum(terms)


# ------------------------------------------------------------------------------------- ENAMEL efficiency
def level_efficiency(t: float, t_ref: float, limit: float) -> float:
    """ENAMEL's score of one level: ``max(0, limit - t) / (limit - t_ref)``.

    It is linear in the time saved before the limit, 1 at the reference's time and 0 at (or past) the
    limit, so a censored run (``t = inf``) scores 0. It is deliberately not clipped above: beating the
    reference must be rewarded, as in ENAMEL.
    """
    limit = _finite("limit", limit)
    t_ref = _finite("t_ref", t_ref)
    if not 0.0 <= t_ref < limit:
        raise InvalidArgument(f"t_ref={t_ref!r}: must satisfy 0 <= t_ref < limit={limit!r}")
    t = _real("t", t)
    if t < 0.0:
        raise InvalidArgument(f"t={t!r}: must be >= 0 (inf for a censored run)")
    if t >= limit:
        return 0.0
    return (limit - t) / (limit - t_ref)


def sample_efficiency(
    times: Sequence[float | None],
    ref_times: Sequence[float],
    weights: Sequence[float],
    alpha: float = 2.0,
) -> float:
    """ENAMEL's efficiency score of one correct sample: the weighted mean of its per-level scores.

    Levels get harder in order and a run stops at the first censored level, so a level it never reached
    (``None``) scores 0 like the censored one. All weighted levels share one limit, ``alpha`` times the
    slowest weighted reference time, so that a level is not scored against a limit its own reference nearly
    hits. Zero-weight levels (ENAMEL's level 0) only gate correctness and neither score nor set the limit.
    """
    times_ = _sequence("times", times)
    refs_ = _sequence("ref_times", ref_times)
    weights_ = _sequence("weights", weights)
    if not len(times_) == len(refs_) == len(weights_):
        raise InvalidArgument(
            f"times, ref_times, weights: lengths must match, got {len(times_)}, {len(refs_)}, {len(weights_)}"
        )
    alpha = _finite("alpha", alpha)
    if alpha <= 1.0:
        raise InvalidArgument(f"alpha={alpha!r}: must be > 1")
    w = [_finite(f"weights[{i}]", v) for i, v in enumerate(weights_)]
    for i, x in enumerate(w):
        if x < 0.0:
            raise InvalidArgument(f"weights[{i}]={x!r}: must be >= 0")
    if not any(x > 0.0 for x in w):
        raise InvalidArgument(f"weights={weights!r}: at least one must be positive")
    refs = [_finite(f"ref_times[{i}]", v) for i, v in enumerate(refs_)]
    for i, x in enumerate(refs):
        if x < 0.0:
            raise InvalidArgument(f"ref_times[{i}]={x!r}: must be >= 0")
    ts: list[float | None] = []
    for i, v in enumerate(times_):
        if v is None:
            ts.append(None)
            continue
        x = _real(f"times[{i}]", v)
        if x < 0.0:
            raise InvalidArgument(f"times[{i}]={x!r}: must be >= 0, inf if censored or None if not reached")
        ts.append(x)

    limit = alpha * max(r for r, x in zip(refs, w, strict=True) if x > 0.0)
    if limit <= 0.0:
        raise InvalidArgument(f"ref_times={ref_times!r}: the weighted levels' slowest time must be positive")
    total = 0.0
    weighted: list[float] = []
    for t, r, x in zip(ts, refs, w, strict=True):
        if x == 0.0:
            continue
        total += x
        if t is not None:
            weighted.append(x * level_efficiency(t, r, limit))
    return math.fsum(weighted) / total


# ------------------------------------------------------------------------------------------- PIE speedups
@dataclasses.dataclass(frozen=True, slots=True)
class SpeedupSummary:
    """Per-problem speedups summarised the way PIE reports them."""

    geomean: float
    """Geometric mean speedup; nan when there are no problems."""
    pct_opt: float
    """Share in [0, 1] of problems sped up by at least the threshold (PIE's %OPT); nan when none."""
    n: int
    """Number of problems."""


def _speedups(name: str, values: Sequence[float]) -> list[float]:
    seq = _sequence(name, values)
    out: list[float] = []
    for i, v in enumerate(seq):
        x = _real(f"{name}[{i}]", v)
        if not (math.isfinite(x) and x > 0.0):
            raise InvalidArgument(f"{name}[{i}]={v!r}: must be finite and > 0")
        out.append(x)
    return out


def geometric_mean(values: Sequence[float]) -> float:
    """Geometric mean of positive finite values, the right average for ratios (a 2x and a 0.5x cancel).

    Computed as exp of the mean log, so that products of many ratios cannot overflow.
    """
    xs = _speedups("values", values)
    if not xs:
        raise InvalidArgument(f"values={values!r}: must not be empty")
    return math.exp(math.fsum(math.log(x) for x in xs) / len(xs))


def speedup_summary(speedups: Sequence[float], threshold: float = 1.1) -> SpeedupSummary:
    """Geometric-mean speedup and %OPT over problems; speedup is time(baseline) / time(candidate).

    An empty input yields nan for both figures (and n = 0) rather than an error, so that an empty slice of
    a report stays representable; a censored or failed candidate has no speedup and must be left out (or
    counted separately) by the caller, since inf or 0 would make the geometric mean meaningless.
    """
    xs = _speedups("speedups", speedups)
    threshold = _finite("threshold", threshold)
    if threshold <= 0.0:
        raise InvalidArgument(f"threshold={threshold!r}: must be > 0")
    if not xs:
        return SpeedupSummary(geomean=math.nan, pct_opt=math.nan, n=0)
    return SpeedupSummary(
        geomean=geometric_mean(xs),
        pct_opt=sum(1 for x in xs if x >= threshold) / len(xs),
        n=len(xs),
    )


# -------------------------------------------------------------------------------------------- EvalPerf DPS
def dpe_score(
    cost: float,
    reference_costs: Sequence[float],
    scores: Sequence[float],
    rel_tol: float = 0.0,
) -> float:
    """EvalPerf's Differential Performance score: the best score among references the candidate matches.

    A candidate matches a reference when ``cost <= reference_cost * (1 + rel_tol)``; it scores the highest
    such reference's score, or 0 if it is slower than all of them (a censored ``inf`` cost always is).
    The maximum is taken over all matches rather than assuming costs fall as scores rise, because
    reference costs are measurements and need not be monotone.
    """
    refs_ = _sequence("reference_costs", reference_costs)
    scores_ = _sequence("scores", scores)
    if len(refs_) != len(scores_):
        raise InvalidArgument(
            f"reference_costs, scores: lengths must match, got {len(refs_)} and {len(scores_)}"
        )
    if not refs_:
        raise InvalidArgument(f"reference_costs={reference_costs!r}: must not be empty")
    refs = [_finite(f"reference_costs[{i}]", v) for i, v in enumerate(refs_)]
    for i, x in enumerate(refs):
        if x < 0.0:
            raise InvalidArgument(f"reference_costs[{i}]={x!r}: must be >= 0")
    ss = [_finite(f"scores[{i}]", v) for i, v in enumerate(scores_)]
    for i, x in enumerate(ss):
        if x < 0.0:
            raise InvalidArgument(f"scores[{i}]={x!r}: must be >= 0")
    cost = _real("cost", cost)
    if cost < 0.0:
        raise InvalidArgument(f"cost={cost!r}: must be >= 0 (inf if censored)")
    rel_tol = _finite("rel_tol", rel_tol)
    if rel_tol < 0.0:
        raise InvalidArgument(f"rel_tol={rel_tol!r}: must be >= 0")
    if cost == math.inf:
        return 0.0  # explicit: r * (1 + rel_tol) may itself overflow to inf
    return max((s for r, s in zip(refs, ss, strict=True) if cost <= r * (1.0 + rel_tol)), default=0.0)
