"""Does optimize ever accept a plausible-but-wrong rewrite? Many seeds, quiet or under a CPU hog.

    .venv/bin/python benchmarks/optimize_wrong_rewrites.py [--runs 50] [--hog] [--pipeline-runs 50]

Two parts, each printed as a table:

1. **The catalogue** (tests/fakes/wrong_rewrites.py: 13 wrong rewrites of different kinds, each beside its
   original). Each is verified ``--runs`` times with a different secret-style seed, the project's tests
   off, so the structured probes alone must reject it. Columns: how many runs rejected it, the verdicts,
   the median number of inputs it passed before the one that exposed it, and the time per run.
2. **The issue's exact case, end to end**: ``optimize slowmod.py::pair_sums --inputs gen.py`` with a
   scripted model (a chat-completions server on 127.0.0.1) offering the ``Counter`` rewrite, in a project
   whose test ``pair_sums([5, 5, 5], 10) == 3`` fails on it; ``--pipeline-runs`` runs with different
   seeds. Any acceptance is a failure.

``--hog`` keeps one extra process spinning on the CPU for the whole run (the issue saw its failure
"under load"). The exit status is 1 if any wrong rewrite was accepted or verified, else 0.
"""

from __future__ import annotations

import argparse
import multiprocessing
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS_DIR))  # the catalogue and the scripted chat server live with the tests

from effilab.optimize.session import OptimizeConfig, optimize  # noqa: E402
from fakes.openai_server import FakeOpenAI, Reply  # type: ignore[import-not-found]  # noqa: E402
from fakes.wrong_rewrites import CATALOGUE, verify  # type: ignore[import-not-found]  # noqa: E402

SLOWMOD = (
    "def pair_sums(xs: list[int], target: int) -> int:\n"
    "    count = 0\n"
    "    for i in range(len(xs)):\n"
    "        for j in range(i + 1, len(xs)):\n"
    "            if xs[i] + xs[j] == target:\n"
    "                count += 1\n"
    "    return count\n"
)
TEST = "from slowmod import pair_sums\n\n\ndef test_pair_sums():\n    assert pair_sums([5, 5, 5], 10) == 3\n"
GEN = (
    "def generate(size, rng):\n"
    "    return ([rng.randint(-1000, 1000) for _ in range(size)], rng.randint(-1000, 1000))\n"
)
COUNTER = (
    "```python\nfrom collections import Counter\n\n\ndef pair_sums(xs: list[int], target: int) -> int:\n"
    "    c = Counter(xs)\n    return sum(c[x] * c[target - x] for x in c) // 2\n```\n"
)


def _spin() -> None:  # pragma: no cover - runs in the hog process
    while True:
        pass


def catalogue(runs: int) -> bool:
    print("| rewrite | kind | rejected | verdicts | inputs passed before the bug (median) | s/run |")
    print("|---|---|---|---|---|---|")
    clean = True
    for case in CATALOGUE:
        verdicts: Counter[str] = Counter()
        passed: list[int] = []
        started = time.monotonic()
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as folder:
                attempt = verify(case, Path(folder) / "proj", seed=secrets.randbits(63))
            verdict = attempt.outcome.value if attempt.outcome else "VERIFIED"
            verdicts[verdict] += 1
            passed.append(attempt.checked)
        per_run = (time.monotonic() - started) / runs
        rejected = runs - verdicts["VERIFIED"]
        clean &= rejected == runs
        shown = ", ".join(f"{v} {n}" for v, n in verdicts.most_common())
        print(
            f"| {case.name} | {case.kind} | {rejected}/{runs} | {shown} | "
            f"{statistics.median(passed):g} | {per_run:.2f} |",
            flush=True,
        )
    return clean


def pipeline(runs: int) -> bool:
    verdicts: Counter[str] = Counter()
    accepted = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "pairs"
        (root / "tests").mkdir(parents=True)
        (root / "pyproject.toml").write_text('[project]\nname = "pairs"\nversion = "0"\n')
        (root / "slowmod.py").write_text(SLOWMOD)
        (root / "tests" / "test_slowmod.py").write_text(TEST)
        (root / "gen.py").write_text(GEN)
        with FakeOpenAI([], default=Reply.text(COUNTER)) as server:
            for _ in range(runs):
                config = OptimizeConfig(
                    strategy="best-of-n",
                    model="scripted",
                    base_url=server.base_url,
                    api_key="sk-none",
                    n=1,
                    inputs=str(root / "gen.py"),
                    measure_budget_s=6.0,
                )
                result = optimize(f"{root / 'slowmod.py'}::pair_sums", config)
                accepted += result.accepted
                for attempt in result.attempts:
                    verdicts[attempt.outcome.value if attempt.outcome else "?"] += 1
                if result.inputs.tests.ran != 1:
                    print(f"the project's test did not run: {result.inputs.tests}", flush=True)
                    return False
    elapsed = time.monotonic() - started
    shown = ", ".join(f"{v} {n}" for v, n in verdicts.most_common())
    print("\n| case | runs | accepted | verdicts | s/run |\n|---|---|---|---|---|")
    name = "pair_sums, Counter rewrite (full optimize)"
    print(f"| {name} | {runs} | {accepted} | {shown} | {elapsed / runs:.1f} |")
    return accepted == 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=50, help="seeds per catalogue case (50)")
    parser.add_argument("--pipeline-runs", type=int, default=50, help="full optimize runs (50)")
    parser.add_argument("--hog", action="store_true", help="keep one CPU busy throughout")
    args = parser.parse_args()
    hog = None
    if args.hog:
        hog = multiprocessing.Process(target=_spin, daemon=True)
        hog.start()
    try:
        print(f"condition: {'one CPU hog' if hog else 'quiet'}\n")
        clean = catalogue(args.runs) if args.runs else True
        clean &= pipeline(args.pipeline_runs) if args.pipeline_runs else True
    finally:
        if hog is not None:
            hog.terminate()
    print("\nno wrong rewrite was ever verified" if clean else "\nA WRONG REWRITE WAS VERIFIED OR ACCEPTED")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
