"""``evaluate --suite pie:`` end to end: compile, run, judge and score slow/fast pairs and candidates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from effilab.cli.main import main
from effilab.errors import EffilabError
from effilab.programs.evaluate import ProgramEvalConfig, evaluate_programs, summarise
from effilab.programs.limits import ProgramLimits
from effilab.sandbox.verdict import Verdict
from effilab.suites.pie import load_generations, load_pie
from effilab.suites.registry import BUILTIN_ROOT

pytestmark = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")

SLOW_CPP = r"""
#include <cstdio>
int main() { long long n; scanf("%lld", &n); long long s = 0;
  for (long long i = 0; i < n; i++) for (long long j = 0; j < 200; j++) s += (i ^ j) & 1;
  printf("%lld\n", s); }
"""
FAST_CPP = r"""
#include <cstdio>
int main() { long long n; scanf("%lld", &n); long long s = 0;
  for (long long i = 0; i < n; i++) s += (i & 1) ? 100 : 100;
  printf("%lld\n", s); }
"""
WRONG_CPP = '#include <cstdio>\nint main() { puts("0"); }\n'
SLOW_PY = (
    "n = int(input())\ntotal = 0\nfor i in range(n):\n    total += sum(1 for _ in range(50))\nprint(total)\n"
)
FAST_PY = "n = int(input())\nprint(n * 50)\n"


def write_suite(tmp_path: Path) -> tuple[Path, Path]:
    records = [
        {"problem_id": "cpp1", "language": "cpp", "input": SLOW_CPP, "target": FAST_CPP,
         "submission_id_v0": "a", "submission_id_v1": "b"},
        {"problem_id": "py1", "language": "python", "input": SLOW_PY, "target": FAST_PY},
    ]  # fmt: skip
    suite = tmp_path / "pie.jsonl"
    suite.write_text("".join(json.dumps(r) + "\n" for r in records))
    tests = tmp_path / "tests"
    for pid, sizes, per in (("cpp1", (10, 300_000), 100), ("py1", (3, 30_000), 50)):
        (tests / pid).mkdir(parents=True)
        for i, n in enumerate(sizes):
            (tests / pid / f"input.{i}.txt").write_text(f"{n}\n")
            (tests / pid / f"output.{i}.txt").write_text(f"{n * per}\n")
    # A test the slow program fails is dropped, not held against the candidates.
    (tests / "py1" / "input.2.txt").write_text("4\n")
    (tests / "py1" / "output.2.txt").write_text("not the answer\n")
    gens = tmp_path / "gens.jsonl"
    gens.write_text(
        json.dumps({"problem_id": "cpp1", "submission_id_v0": "a",
                    "generated_answers": [FAST_CPP, WRONG_CPP, "int main( {"]}) + "\n"
        + json.dumps({"problem_id": "py1", "generated_answers": [FAST_PY, "import time\nwhile True: pass\n"]})
        + "\n"
    )  # fmt: skip
    return suite, tests


def test_pairs_are_judged_and_scored(tmp_path: Path) -> None:
    suite_path, tests = write_suite(tmp_path)
    suite = load_pie(suite_path, tests)
    gens = load_generations(tmp_path / "gens.jsonl", suite)
    limits = ProgramLimits(timeout_s=2.0)
    config = ProgramEvalConfig(cache_dir=tmp_path / "cache", repetitions=2, limits=limits)
    results = {r.key: r for r in evaluate_programs(suite, gens, config)}
    cpp, py = results["cpp1/a"], results["py1"]
    assert [c.verdict for c in cpp.candidates] == [Verdict.OK, Verdict.WRONG_ANSWER, Verdict.COMPILE_ERROR]
    assert [c.verdict for c in py.candidates] == [Verdict.OK, Verdict.TIMEOUT]
    assert py.dropped == [{"test": 2, "reason": "slow program: wrong_answer test 2: wrong output"}]
    assert cpp.best_speedup is not None
    assert cpp.best_speedup > 2
    assert py.best_speedup is not None
    assert py.best_speedup > 1.5
    assert cpp.speedup(cpp.target) is not None
    summary = summarise(list(results.values()))
    assert summary["candidates"] == 5
    assert summary["candidates_correct"] == 2
    assert summary["pct_opt"] == 1.0


def test_the_cli_prints_pies_figures_and_resumes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite_path, tests = write_suite(tmp_path)
    argv = ["evaluate", "--suite", f"pie:{suite_path}", "--tests", str(tests), "--samples",
            str(tmp_path / "gens.jsonl"), "--repetitions", "1", "--program-timeout", "2",
            "--cache-dir", str(tmp_path / "cache"), "--db", str(tmp_path / "r.sqlite"), "--json"]  # fmt: skip
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pairs"] == 2
    assert report["candidates_correct"] == 2
    assert report["pct_opt"] == 1.0
    assert {p["key"] for p in report["per_pair"]} == {"cpp1/a", "py1"}
    # Run again on the same file: the finished pairs are read back, not re-measured (same costs).
    assert main(argv) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["per_pair"] == report["per_pair"]


def test_the_cli_needs_tests_for_pie(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite_path, _ = write_suite(tmp_path)
    assert main(["evaluate", "--suite", f"pie:{suite_path}", "--samples", str(suite_path)]) == 2
    assert "--tests" in capsys.readouterr().err


def test_the_shipped_suite_is_laid_out_as_pie_expects() -> None:
    suite = load_pie(BUILTIN_ROOT / "programs" / "problems.jsonl", BUILTIN_ROOT / "programs" / "tests")
    languages = [pair.language.name for pair in suite]
    assert len(suite) >= 30
    assert languages.count("cpp") >= 10
    assert all(pair.target is not None for pair in suite)
    assert all({t.level for t in pair.tests} == {0, 1, 2, 3} for pair in suite)
    assert all(pair.generator is not None and pair.generator.counts == {3: 1} for pair in suite)


@pytest.mark.slow
def test_every_shipped_fast_version_is_correct_and_faster(tmp_path: Path) -> None:
    suite = load_pie(BUILTIN_ROOT / "programs" / "problems.jsonl", BUILTIN_ROOT / "programs" / "tests")
    gens = {pair.key: [pair.target] for pair in suite if pair.target is not None}
    config = ProgramEvalConfig(cache_dir=tmp_path / "cache", repetitions=1, evaluate_target=False)
    results = evaluate_programs(suite, gens, config)
    assert not [r.key for r in results if r.broken or r.dropped]
    assert all(c.correct for r in results for c in r.candidates)
    speedups = {r.key: r.best_speedup for r in results}
    assert all(s is not None and s > 1.0 for s in speedups.values()), speedups


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_instruction_counts_score_pairs_deterministically(tmp_path: Path) -> None:
    suite_path, tests = write_suite(tmp_path)
    suite = load_pie(suite_path, tests)
    gens = {"cpp1/a": [FAST_CPP.encode()]}
    config = ProgramEvalConfig(cache_dir=tmp_path / "cache", metric="instructions")
    first, again = (evaluate_programs(suite, gens, config)[0] for _ in range(2))
    assert first.slow.per_test == again.slow.per_test
    assert first.candidates[0].per_test == again.candidates[0].per_test
    assert first.best_speedup is not None
    assert first.best_speedup > 2


def test_generated_inputs_are_added_per_level_and_judged_by_the_slow_program(tmp_path: Path) -> None:
    suite_path, tests = write_suite(tmp_path)
    (tests / "cpp1" / "generator.py").write_text(
        "def generate(level, rng):\n    return f'{rng.randint(10, 99)}\\n'\n"
    )
    (tests / "cpp1" / "generate.json").write_text('{"1": 2}')
    suite = load_pie(suite_path, tests)
    gens = {"cpp1/a": [FAST_CPP.encode(), WRONG_CPP.encode()]}
    for seed in (1, 2):
        config = ProgramEvalConfig(
            cache_dir=tmp_path / "cache", repetitions=1, seed=seed, evaluate_target=False
        )
        result = evaluate_programs(load_pie(suite_path, tests), gens, config)[0]
        generated = sorted(i for i in result.levels if i >= 100_000)
        assert generated == [100_000, 100_001]
        assert set(result.slow.per_test) == {0, 1, *generated}
        assert [c.verdict for c in result.candidates] == [Verdict.OK, Verdict.WRONG_ANSWER]
    assert suite.pairs[0].generator is not None
    assert suite.pairs[0].generator.counts == {1: 2}


def test_a_failing_generator_stops_the_run(tmp_path: Path) -> None:
    suite_path, tests = write_suite(tmp_path)
    (tests / "py1" / "generator.py").write_text("def generate(level, rng):\n    raise ValueError('broken')\n")
    config = ProgramEvalConfig(cache_dir=tmp_path / "cache", repetitions=1, seed=3)
    with pytest.raises(EffilabError, match=r"generator\.py failed"):
        evaluate_programs(load_pie(suite_path, tests), {}, config)
