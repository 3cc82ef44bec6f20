"""Plausible-but-wrong rewrites, each beside its original: what optimize's verification must reject.

Pure data, shared by tests/integration/test_optimize_wrong_rewrites.py and
benchmarks/optimize_wrong_rewrites.py. Every rewrite agrees with its original on most random inputs and is
wrong on a structured neighbourhood (equal values, a threshold hit exactly, ties, the empty input, negative
numbers, extremes, upper case, ...). Each is checked with the project's tests off, so the structured probes
alone must find the bug. ``generator`` (``generate(size, rng)``) is given where the issue's own scenario
had one; the others get their inputs from the type hints.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from effilab.optimize.attempt import Attempt


@dataclasses.dataclass(frozen=True)
class WrongRewrite:
    name: str
    kind: str
    original: str
    """The whole module; the target is the function called ``name``."""
    rewrite: str
    """The replacement function (imports inside it, as a model's rewrite may have them)."""
    generator: str | None = None


CATALOGUE = (
    WrongRewrite(
        "pair_sums",
        "duplicates (the issue's Counter rewrite)",
        "def pair_sums(xs: list[int], target: int) -> int:\n"
        "    count = 0\n"
        "    for i in range(len(xs)):\n"
        "        for j in range(i + 1, len(xs)):\n"
        "            if xs[i] + xs[j] == target:\n"
        "                count += 1\n"
        "    return count\n",
        "def pair_sums(xs: list[int], target: int) -> int:\n"
        "    from collections import Counter\n"
        "    c = Counter(xs)\n"
        "    return sum(c[x] * c[target - x] for x in c) // 2\n",
        generator="def generate(size, rng):\n"
        "    return ([rng.randint(-1000, 1000) for _ in range(size)], rng.randint(-1000, 1000))\n",
    ),
    WrongRewrite(
        "count_below",
        "off-by-one (bisect_right for <)",
        "def count_below(xs: list[int], k: int) -> int:\n    return sum(1 for x in xs if x < k)\n",
        "def count_below(xs: list[int], k: int) -> int:\n"
        "    import bisect\n"
        "    return bisect.bisect_right(sorted(xs), k)\n",
        generator="def generate(size, rng):\n"
        "    return ([rng.randint(-10**6, 10**6) for _ in range(size)], rng.randint(-10**6, 10**6))\n",
    ),
    WrongRewrite(
        "longest_increasing_run",
        "off-by-one (>= for >)",
        "def longest_increasing_run(xs: list[int]) -> int:\n"
        "    best = 0\n"
        "    for i in range(len(xs)):\n"
        "        j = i\n"
        "        while j + 1 < len(xs) and xs[j + 1] > xs[j]:\n"
        "            j += 1\n"
        "        best = max(best, j - i + 1)\n"
        "    return best\n",
        "def longest_increasing_run(xs: list[int]) -> int:\n"
        "    best = run = 0\n"
        "    for i, x in enumerate(xs):\n"
        "        run = run + 1 if i and x >= xs[i - 1] else 1\n"
        "        best = max(best, run)\n"
        "    return best\n",
        generator="def generate(size, rng):\n"
        "    return ([rng.randint(-10**6, 10**6) for _ in range(size)],)\n",
    ),
    WrongRewrite(
        "to_cents",
        "float rounding (int(x + 0.5) for round)",
        "def to_cents(amounts: list[float]) -> list[float]:\n    return [round(a, 2) for a in amounts]\n",
        "def to_cents(amounts: list[float]) -> list[float]:\n"
        "    return [int(a * 100 + 0.5) / 100 for a in amounts]\n",
        generator="def generate(size, rng):\n"
        "    return ([round(rng.uniform(0, 1000), 4) for _ in range(size)],)\n",
    ),
    WrongRewrite(
        "median",
        "mutates its argument (sorts in place)",
        "def median(xs: list[float]) -> float:\n"
        "    if not xs:\n"
        "        return 0.0\n"
        "    s = sorted(xs)\n"
        "    n = len(s)\n"
        "    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2\n",
        "def median(xs: list[float]) -> float:\n"
        "    if not xs:\n"
        "        return 0.0\n"
        "    xs.sort()\n"
        "    n = len(xs)\n"
        "    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2\n",
    ),
    WrongRewrite(
        "largest",
        "wrong on empty input (0 for None)",
        "def largest(xs: list[int]) -> int | None:\n"
        "    best = None\n"
        "    for x in xs:\n"
        "        if best is None or x > best:\n"
        "            best = x\n"
        "    return best\n",
        "def largest(xs: list[int]) -> int | None:\n    return max(xs, default=0)\n",
        generator="def generate(size, rng):\n    return ([rng.randint(-99, 99) for _ in range(size)],)\n",
    ),
    WrongRewrite(
        "divide_all",
        "negative numbers (int(x / d) for x // d)",
        "def divide_all(xs: list[int], d: int) -> list[int]:\n    return [x // d for x in xs]\n",
        "def divide_all(xs: list[int], d: int) -> list[int]:\n    return [int(x / d) for x in xs]\n",
        generator="def generate(size, rng):\n"
        "    return ([rng.randint(0, 10**6) for _ in range(size)], rng.randint(1, 100))\n",
    ),
    WrongRewrite(
        "root_sum",
        "extremes (float sqrt for isqrt)",
        "import math\n\n\n"
        "def root_sum(xs: list[int]) -> int:\n"
        "    return sum(math.isqrt(x) for x in xs if x >= 0)\n",
        "def root_sum(xs: list[int]) -> int:\n"
        "    import math\n"
        "    return sum(int(math.sqrt(x)) for x in xs if x >= 0)\n",
        generator="def generate(size, rng):\n    return ([rng.randint(0, 10**6) for _ in range(size)],)\n",
    ),
    WrongRewrite(
        "by_length",
        "ties (sort no longer stable)",
        "def by_length(words: list[str]) -> list[str]:\n    return sorted(words, key=len)\n",
        "def by_length(words: list[str]) -> list[str]:\n"
        "    return sorted(words, key=lambda w: (len(w), w))\n",
        generator="def generate(size, rng):\n"
        "    letters = 'abcdefghijklmnopqrstuvwxyz'\n"
        "    return ([''.join(rng.choice(letters) for _ in range(rng.randint(size, 2 * size)))"
        " for _ in range(size)],)\n",
    ),
    WrongRewrite(
        "most_common",
        "ties (set order instead of first occurrence)",
        "def most_common(xs: list[int]) -> int | None:\n"
        "    best, best_count = None, 0\n"
        "    for x in xs:\n"
        "        c = xs.count(x)\n"
        "        if c > best_count:\n"
        "            best, best_count = x, c\n"
        "    return best\n",
        "def most_common(xs: list[int]) -> int | None:\n"
        "    if not xs:\n"
        "        return None\n"
        "    return max(set(xs), key=xs.count)\n",
        generator="def generate(size, rng):\n    return ([rng.randint(0, size) for _ in range(size)],)\n",
    ),
    WrongRewrite(
        "row_sums",
        "state across calls (memoized on the wrong key)",
        "def row_sums(grid: list[list[int]]) -> list[int]:\n"
        "    out = []\n"
        "    for row in grid:\n"
        "        total = 0\n"
        "        for x in row:\n"
        "            total += x\n"
        "        out.append(total)\n"
        "    return out\n",
        "_MEMO: dict[int, list[int]] = {}\n\n\n"
        "def row_sums(grid: list[list[int]]) -> list[int]:\n"
        "    key = len(grid)\n"
        "    if key not in _MEMO:\n"
        "        _MEMO[key] = [sum(row) for row in grid]\n"
        "    return list(_MEMO[key])\n",
        generator="def generate(size, rng):\n"
        "    return ([[rng.randint(-9, 9) for _ in range(size)] for _ in range(size)],)\n",
    ),
    WrongRewrite(
        "scale_to_unit",
        "sign handling (max for max of abs)",
        "def scale_to_unit(xs: list[float]) -> list[float]:\n"
        "    m = max((abs(x) for x in xs), default=0.0)\n"
        "    return [x / m for x in xs] if m else list(xs)\n",
        "def scale_to_unit(xs: list[float]) -> list[float]:\n"
        "    m = max(xs, default=0.0)\n"
        "    return [x / m for x in xs] if m else list(xs)\n",
        generator="def generate(size, rng):\n    return ([rng.uniform(0.0, 100.0) for _ in range(size)],)\n",
    ),
    WrongRewrite(
        "count_vowels",
        "letter case (forgets lower())",
        "def count_vowels(text: str) -> int:\n    return sum(1 for c in text.lower() if c in 'aeiou')\n",
        "def count_vowels(text: str) -> int:\n    return sum(text.count(v) for v in 'aeiou')\n",
        generator="def generate(size, rng):\n"
        "    return (''.join(rng.choice('abcdefghijklmnopqrstuvwxyz ') for _ in range(size)),)\n",
    ),
)


def write_project(case: WrongRewrite, root: Path) -> Path:
    """A one-module project for ``case`` under ``root`` (no tests); returns the module's path."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "{case.name}"\nversion = "0"\n')
    module = root / f"{case.name}_mod.py"
    module.write_text(case.original)
    if case.generator is not None:
        (root / "gen.py").write_text(case.generator)
    return module


def verify(case: WrongRewrite, root: Path, *, seed: int, isolation: str = "auto") -> Attempt:
    """Run optimize's verification of ``case.rewrite`` (inputs and probes from ``seed``; no project tests).

    The same steps as ``optimize`` up to measurement: the plan of inputs, the oracle, the structured
    probes, the candidate's own fresh inputs. Returns the attempt with its outcome.
    """
    from effilab.optimize import session
    from effilab.optimize.attempt import Attempt
    from effilab.optimize.inputs import plan_inputs
    from effilab.optimize.probes import structured_inputs
    from effilab.optimize.project import locate_project
    from effilab.optimize.target import parse_target, replace_function
    from effilab.optimize.verify import Oracle, Verifier
    from effilab.sandbox import Limits

    module = write_project(case, root)
    target = parse_target(f"{module}::{case.name}")
    project = locate_project(target)
    generator = str(root / "gen.py") if case.generator is not None else None
    plan = plan_inputs(target, generator=generator, isolation=isolation, seed=seed)
    limits = Limits(timeout_s=30.0, load_timeout_s=60.0, memory_mb=2048)
    with Oracle(project, target, limits=limits, isolation=isolation) as oracle:
        verifier = Verifier(
            oracle,
            examples=plan.examples,
            probes=structured_inputs(plan.examples, count=session.PROBES, seed=seed),
            shown_count=3,
            float_tol=1e-9,
            baseline_tests=None,
            memory_mb=2048,
            test_timeout_s=60.0,
            min_checked=50,
            seed=seed,
        )
        attempt = Attempt(index=1, strategy="scripted", round=1, parent=None)
        attempt.module_source = replace_function(target, case.rewrite)
        own = seed + 7919
        fresh = plan.fresh(session.FRESH_INPUTS, seed=own)
        fresh += structured_inputs(plan.examples, count=session.FRESH_PROBES, seed=own)
        verifier.check(attempt, fresh)
    return attempt
