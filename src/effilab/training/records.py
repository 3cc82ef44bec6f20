"""Training records from judged candidates: SFT, DPO and RRHF, and when a preference is significant.

Pure functions over plain data (:class:`Candidate`): no store, no sandbox. :mod:`effilab.training.collect`
turns a results file into candidates; this module decides which solution a problem is taught and which
pairs are preferences.

**Significance of a preference** (a DPO pair is kept only when it holds; docs/training.md):

* *correct vs incorrect*: always significant (the verdict was decided in effilab's process on every test);
* *two correct samples of one evaluation run*: both were timed on the same inputs against the same anchor
  protocol, so their per-test costs are paired. The pair is kept when the faster one is cheaper on
  significantly many tests (one-sided sign test, ``alpha`` = 0.05 by default: with 12 timed tests that is
  at least 10 of 12) **and** its total cost is at least ``min_ratio`` times smaller (1.5 by default: in
  one run, identical copies of a program have come out up to 1.22× apart in total cost, see
  ``tests/security/test_cheats.py``; 1.5 is the margin the cheat tests admit as honest noise);
* *an optimized version vs the sample it was made from*: ``effilab optimize`` measured them interleaved with
  a bootstrap confidence interval of the speedup; the pair is kept when that interval's low end is above 1
  (the optimizer's own acceptance rule) and the optimized version also passed the problem's tests.

Any other pair (two correct candidates from different runs) is not compared: their costs were not measured
side by side.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Iterable, Sequence
from typing import Any

from effilab.errors import InvalidArgument

__all__ = [
    "Candidate",
    "OptimizedFrom",
    "Preference",
    "Prompt",
    "SignificanceRule",
    "assistant_message",
    "best_candidate",
    "dpo_records",
    "preference",
    "rrhf_record",
    "sft_record",
    "sign_test_p",
]

Message = dict[str, str]


@dataclasses.dataclass(frozen=True, slots=True)
class OptimizedFrom:
    """Where an optimized version came from, and what ``effilab optimize`` measured against it."""

    run_id: str
    """The evaluation run of the original sample."""
    sample: int
    speedup: float
    """Cost of the original / cost of this version, measured interleaved by ``effilab optimize``."""
    ci: tuple[float, float]
    """Bootstrap confidence interval of ``speedup`` (95 % by default)."""
    optimize_run: int | None = None
    """``optimize_runs.run_id`` of the trajectory in the same results file."""
    model: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Candidate:
    """One judged program for one problem."""

    task_id: str
    code: str
    passed: bool
    verdict: str
    run_id: str
    sample: int
    score: float = 0.0
    """ENAMEL efficiency score (0 when wrong)."""
    speedup: float | None = None
    """Baseline reference's cost / this program's, in its own run (None: wrong, untimed or censored)."""
    tests: tuple[float, ...] = ()
    """Cost of every timed test (``inf``: censored), in the run's order: paired with another sample's."""
    model: str | None = None
    optimized: OptimizedFrom | None = None
    """Set for a version made by ``effilab optimize`` from another candidate."""

    @property
    def source(self) -> str:
        return "sample" if self.optimized is None else "optimized"

    @property
    def digest(self) -> str:
        """Identity of the code up to surrounding whitespace (two equal programs are one response)."""
        return hashlib.sha256(self.code.strip().encode()).hexdigest()[:16]

    @property
    def verified(self) -> bool:
        """Correct on the problem's tests (and, if optimized, accepted as significantly faster)."""
        if not self.passed or not self.code.strip():
            return False
        return self.optimized is None or self.optimized.ci[0] > 1.0


@dataclasses.dataclass(frozen=True, slots=True)
class SignificanceRule:
    min_ratio: float = 1.5
    """Two correct samples of one run: the faster one's total cost must be ≥ this many times smaller."""
    alpha: float = 0.05
    """…and it must be cheaper on significantly many paired tests (one-sided sign test at this level)."""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.min_ratio) and self.min_ratio >= 1.0):
            raise InvalidArgument(f"min_ratio={self.min_ratio!r}: must be a finite number ≥ 1")
        if not (0.0 < self.alpha < 1.0):
            raise InvalidArgument(f"alpha={self.alpha!r}: must be in (0, 1)")


@dataclasses.dataclass(frozen=True, slots=True)
class Preference:
    """``chosen`` is significantly better than ``rejected``, and by how much."""

    chosen: Candidate
    rejected: Candidate
    kind: str
    """``correctness`` (rejected is wrong), ``efficiency`` (same run, paired tests) or ``optimization``."""
    margin: float | None
    """Cost of rejected / cost of chosen (None for ``correctness``)."""
    ci: tuple[float, float] | None = None
    """Confidence interval of ``margin`` (``optimization`` pairs)."""
    p_value: float | None = None
    """One-sided sign test over the paired tests (``efficiency`` pairs)."""
    wins: int | None = None
    """Paired tests on which chosen was cheaper, of ``tests``."""
    tests: int | None = None


def sign_test_p(wins: int, n: int) -> float:
    """P(X ≥ wins) for X ~ Binomial(n, 1/2): chance of so many wins if both programs cost the same."""
    if n <= 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(wins, n + 1))
    return min(1.0, tail / (1 << n))


def _total(costs: Sequence[float]) -> float:
    return math.inf if any(math.isinf(c) for c in costs) else math.fsum(costs)


def _paired(a: Candidate, b: Candidate, rule: SignificanceRule) -> Preference | None:
    """Two correct samples of one run, compared test by test."""
    if not a.tests or len(a.tests) != len(b.tests):
        return None
    total_a, total_b = _total(a.tests), _total(b.tests)
    if total_a == total_b:
        return None
    fast, slow = (a, b) if total_a < total_b else (b, a)
    total_fast, total_slow = min(total_a, total_b), max(total_a, total_b)
    if math.isinf(total_fast):
        return None  # both censored somewhere: neither cost is known
    ratio = math.inf if total_fast <= 0 else total_slow / total_fast
    wins = sum(1 for f, s in zip(fast.tests, slow.tests, strict=True) if f < s)
    losses = sum(1 for f, s in zip(fast.tests, slow.tests, strict=True) if f > s)
    p = sign_test_p(wins, wins + losses)
    if p > rule.alpha or ratio < rule.min_ratio:
        return None
    margin = None if math.isinf(ratio) else ratio
    return Preference(fast, slow, "efficiency", margin, p_value=p, wins=wins, tests=len(fast.tests))


def preference(a: Candidate, b: Candidate, rule: SignificanceRule) -> Preference | None:
    """The significant preference between two candidates of one problem, or None (see the module doc)."""
    if a.task_id != b.task_id or a.digest == b.digest:
        return None
    if a.verified != b.verified:
        good, bad = (a, b) if a.verified else (b, a)
        if not bad.passed:
            return Preference(good, bad, "correctness", None)
    if not (a.verified and b.verified):
        return None
    for new, old in ((a, b), (b, a)):
        origin = new.optimized
        made_from_old = origin is not None and (origin.run_id, origin.sample) == (old.run_id, old.sample)
        if origin is not None and old.optimized is None and made_from_old:
            return Preference(new, old, "optimization", origin.speedup, ci=origin.ci)
    if a.run_id == b.run_id and a.optimized is None and b.optimized is None:
        return _paired(a, b, rule)
    return None


def _efficiency_key(candidate: Candidate) -> tuple[float, float, int]:
    speedup = candidate.speedup if candidate.speedup is not None and math.isfinite(candidate.speedup) else 0.0
    # Optimized versions first among equals (their speedup over their original was measured significant).
    return (speedup, candidate.score, 1 if candidate.optimized else 0)


def best_candidate(candidates: Iterable[Candidate]) -> Candidate | None:
    """The most efficient verified candidate: highest speedup against the baseline reference, then
    highest ENAMEL score; None when no candidate is verified."""
    verified = [c for c in candidates if c.verified]
    return max(verified, key=_efficiency_key) if verified else None


# ------------------------------------------------------------------------------------------- records


@dataclasses.dataclass(frozen=True, slots=True)
class Prompt:
    """What the model is asked for one problem (from :func:`effilab.generate.build_messages`)."""

    task_id: str
    suite: str
    messages: tuple[Message, ...]
    """The chat messages before the answer: the user message, and the system message if asked for."""


def assistant_message(code: str) -> Message:
    """The answer as generate asks for it: one fenced Python block."""
    return {"role": "assistant", "content": f"```python\n{code.strip()}\n```"}


def _ci(ci: tuple[float, float] | None) -> list[float] | None:
    return None if ci is None else [float(ci[0]), float(ci[1])]


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _provenance(candidate: Candidate, prefix: str = "") -> dict[str, Any]:
    origin = candidate.optimized
    return {
        f"{prefix}source": candidate.source,
        f"{prefix}model": candidate.model if origin is None else (origin.model or candidate.model),
        f"{prefix}run_id": candidate.run_id,
        f"{prefix}sample": candidate.sample,
        f"{prefix}verdict": candidate.verdict,
        f"{prefix}speedup": _finite(candidate.speedup),
        f"{prefix}eff": candidate.score,
        f"{prefix}optimize_speedup": None if origin is None else origin.speedup,
        f"{prefix}optimize_ci": None if origin is None else _ci(origin.ci),
        f"{prefix}optimize_run": None if origin is None else origin.optimize_run,
    }


def sft_record(prompt: Prompt, best: Candidate) -> dict[str, Any]:
    """Problem → its most efficient verified solution, as chat messages, with provenance."""
    return {
        "messages": [*prompt.messages, assistant_message(best.code)],
        "task_id": prompt.task_id,
        "suite": prompt.suite,
        **_provenance(best),
    }


def dpo_records(
    prompt: Prompt,
    candidates: Sequence[Candidate],
    rule: SignificanceRule,
    *,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Significant preference pairs of one problem (conversational: prompt, chosen, rejected).

    Efficiency and optimization pairs come first, largest margin first, then correctness pairs (the best
    verified candidate against each wrong one first); ``limit`` caps the pairs per problem.
    """
    found: list[Preference] = []
    seen: set[tuple[str, str]] = set()
    for i, a in enumerate(candidates):
        for b in candidates[i + 1 :]:
            pref = preference(a, b, rule)
            if pref is None:
                continue
            key = (pref.chosen.digest, pref.rejected.digest)
            if key not in seen:
                seen.add(key)
                found.append(pref)

    def order(pref: Preference) -> tuple[int, float, float, float]:
        margin = pref.margin if pref.margin is not None else math.inf
        speedup, score, _ = _efficiency_key(pref.chosen)
        return (0 if pref.kind != "correctness" else 1, -margin, -speedup, -score)

    found.sort(key=order)
    if limit is not None:
        found = found[:limit]
    return [_dpo_record(prompt, pref) for pref in found]


def _dpo_record(prompt: Prompt, pref: Preference) -> dict[str, Any]:
    return {
        "prompt": list(prompt.messages),
        "chosen": [assistant_message(pref.chosen.code)],
        "rejected": [assistant_message(pref.rejected.code)],
        "task_id": prompt.task_id,
        "suite": prompt.suite,
        "kind": pref.kind,
        "margin": pref.margin,
        "margin_ci": _ci(pref.ci),
        "p_value": pref.p_value,
        "paired_wins": pref.wins,
        "paired_tests": pref.tests,
        **_provenance(pref.chosen, "chosen_"),
        **_provenance(pref.rejected, "rejected_"),
    }


def response_score(candidate: Candidate) -> float:
    """RRHF's score: 0 for a wrong program; a correct one scores its speedup against the baseline
    reference (1.0 when the problem is not timed or the sample was censored), so the ranking is
    wrong < slower < faster."""
    if not candidate.verified:
        return 0.0
    speedup = _finite(candidate.speedup)
    return speedup if speedup is not None and speedup > 0 else 1.0


def rrhf_record(prompt: Prompt, candidates: Sequence[Candidate]) -> dict[str, Any] | None:
    """The prompt, its distinct responses (best scored first) and their scores; None with fewer than two."""
    best: dict[str, Candidate] = {}
    for candidate in candidates:
        if not candidate.code.strip():
            continue
        kept = best.get(candidate.digest)
        if kept is None or response_score(candidate) > response_score(kept):
            best[candidate.digest] = candidate
    ranked = sorted(best.values(), key=lambda c: (-response_score(c), c.run_id, c.sample))
    if len(ranked) < 2:
        return None
    return {
        "prompt": list(prompt.messages),
        "responses": [assistant_message(c.code)["content"] for c in ranked],
        "scores": [response_score(c) for c in ranked],
        "verdicts": [c.verdict for c in ranked],
        "sources": [c.source for c in ranked],
        "models": [c.model for c in ranked],
        "task_id": prompt.task_id,
        "suite": prompt.suite,
    }
