"""optimize's verification rejects plausible-but-wrong rewrites on its structured probes alone.

Each case of :mod:`fakes.wrong_rewrites` is verified with the project's tests off and inputs that, left to
random generation, mostly miss the bug. Two seeds each here; benchmarks/optimize_wrong_rewrites.py runs
50 per case, quiet and under a CPU hog. Correct rewrites of the same functions must still pass, or the
probes would only be rejecting everything.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from effilab.optimize.attempt import Outcome
from fakes.wrong_rewrites import CATALOGUE, WrongRewrite, verify

CORRECT = {
    "pair_sums": "def pair_sums(xs: list[int], target: int) -> int:\n"
    "    from collections import Counter\n"
    "    c = Counter(xs)\n"
    "    same = c[target // 2] * (c[target // 2] - 1) // 2 if target % 2 == 0 else 0\n"
    "    return sum(c[x] * c[target - x] for x in c if x < target - x) + same\n",
    "count_below": "def count_below(xs: list[int], k: int) -> int:\n"
    "    import bisect\n"
    "    return bisect.bisect_left(sorted(xs), k)\n",
    "longest_increasing_run": "def longest_increasing_run(xs: list[int]) -> int:\n"
    "    best = run = 0\n"
    "    for i, x in enumerate(xs):\n"
    "        run = run + 1 if i and x > xs[i - 1] else 1\n"
    "        best = max(best, run)\n"
    "    return best\n",
    "median": "def median(xs: list[float]) -> float:\n"
    "    if not xs:\n"
    "        return 0.0\n"
    "    s = sorted(xs)\n"
    "    h = len(s) // 2\n"
    "    return s[h] if len(s) % 2 else (s[h - 1] + s[h]) / 2\n",
    "largest": "def largest(xs: list[int]) -> int | None:\n    return max(xs, default=None)\n",
    "most_common": "def most_common(xs: list[int]) -> int | None:\n"
    "    from collections import Counter\n"
    "    if not xs:\n"
    "        return None\n"
    "    counts = Counter(xs)\n"
    "    top = max(counts.values())\n"
    "    return next(x for x in xs if counts[x] == top)\n",
    "count_vowels": "def count_vowels(text: str) -> int:\n"
    "    low = text.lower()\n"
    "    return sum(low.count(v) for v in 'aeiou')\n",
}


@pytest.mark.parametrize("seed", [11, 12345])
@pytest.mark.parametrize("case", CATALOGUE, ids=[c.name for c in CATALOGUE])
def test_wrong_rewrite_is_rejected_without_the_projects_tests(
    case: WrongRewrite, seed: int, tmp_path: Path
) -> None:
    attempt = verify(case, tmp_path / "proj", seed=seed)
    assert attempt.outcome is not None, f"{case.name} ({case.kind}) was verified"
    assert not attempt.outcome.verified
    assert attempt.outcome in (Outcome.WRONG_ANSWER, Outcome.SPECIAL_CASED, Outcome.RUNTIME_ERROR)
    assert attempt.failing_input  # the report names the input that shows the bug


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_rewrite_of_the_same_function_is_verified_on_enough_inputs(name: str, tmp_path: Path) -> None:
    case = next(c for c in CATALOGUE if c.name == name)
    honest = WrongRewrite(case.name, "correct", case.original, CORRECT[name], case.generator)
    attempt = verify(honest, tmp_path / "proj", seed=7)
    assert attempt.outcome is None, attempt.detail  # no check rejected it
    assert attempt.checked >= 100  # examples + probes + its own fresh inputs, all matched
