"""Is a candidate equivalent to the original? The oracle, and each check's verdict on a bad candidate."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from effilab.optimize.attempt import Attempt, Outcome
from effilab.optimize.project import Project, locate_project, run_tests
from effilab.optimize.project import TestRun as UserTestRun
from effilab.optimize.target import Target, parse_target, replace_function
from effilab.optimize.verify import Oracle, Verifier
from effilab.sandbox import Limits, Verdict

LIMITS = Limits(timeout_s=10.0, load_timeout_s=30.0, memory_mb=1024)

MODULE = '''\
"""Arithmetic."""


def total(xs: list[int]) -> int:
    s = 0
    for x in xs:
        s += x
    return s


def inv(x):
    return 1 / x


def tri(n: int) -> int:
    return n * (n + 1) // 2
'''

USER_TESTS = """\
from pkg.mod import total


def test_empty():
    assert total([]) == 0


def test_some():
    assert total([1, 2]) == 3
"""

EXAMPLES: list[tuple[object, ...]] = [([1, 2, 3],), ([5],), ([],), ([4, 4],)]
SHOWN: list[tuple[object, ...]] = [([1, 2, 3],), ([5],)]


@pytest.fixture(scope="module")
def module_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("verify") / "proj"
    for relative, text in {
        "pyproject.toml": "",
        "pkg/__init__.py": "",
        "pkg/mod.py": MODULE,
        "tests/test_mod.py": USER_TESTS,
    }.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg" / "mod.py"


def located(path: Path, name: str) -> tuple[Project, Target]:
    target = parse_target(f"{path}::{name}")
    return locate_project(target), target


@pytest.fixture(scope="module")
def total_oracle(module_path: Path) -> Iterator[Oracle]:
    project, target = located(module_path, "total")
    with Oracle(project, target, limits=LIMITS, isolation="auto") as oracle:
        yield oracle


def verifier(
    oracle: Oracle,
    examples: Sequence[tuple[object, ...]] = EXAMPLES,
    shown: Sequence[tuple[object, ...]] = SHOWN,
    baseline: UserTestRun | None = None,
) -> Verifier:
    assert list(examples[: len(shown)]) == list(shown)  # a session shows the model its first examples
    return Verifier(
        oracle,
        examples=examples,
        shown_count=len(shown),
        float_tol=1e-9,
        baseline_tests=baseline,
        memory_mb=1024,
        test_timeout_s=120.0,
    )


def candidate(target: Target, function: str, *, helpers: Sequence[str] = ()) -> Attempt:
    attempt = Attempt(index=1, strategy="t", round=1, parent=None)
    attempt.function_source = function
    attempt.module_source = replace_function(target, function, new_helpers=helpers)
    return attempt


# --------------------------------------------------------------------------------------------------------
# Oracle


def test_the_oracle_drops_inputs_on_which_the_original_raises(module_path: Path) -> None:
    project, target = located(module_path, "inv")
    with Oracle(project, target, limits=LIMITS, isolation="auto") as oracle:
        assert oracle.load_error() is None
        kept = oracle.observe([(2,), (0,), (4,)])
        assert [args for args, _ in kept] == [(2,), (4,)]
        assert [obs.result for _, obs in kept] == [0.5, 0.25]
        assert [obs.args_after for _, obs in kept] == [(2,), (4,)]
        assert all(obs.wall_s > 0 for _, obs in kept)
        assert len(oracle.dropped) == 1
        assert oracle.dropped[0].startswith("(0,): ZeroDivisionError")
        # Observations are cached: asking again neither calls nor drops anything twice.
        assert [args for args, _ in oracle.observe([(0,), (2,)])] == [(2,)]
        assert len(oracle.dropped) == 1


def test_the_oracle_reports_an_original_that_does_not_load(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    path = tmp_path / "broken.py"
    path.write_text(
        "def f(x):\n    return x\n\n\nraise RuntimeError('no import for you')\n", encoding="utf-8"
    )
    project, target = located(path, "f")
    with Oracle(project, target, limits=LIMITS, isolation="auto") as oracle:
        error = oracle.load_error()
    assert error is not None
    assert "does not load" in error
    assert "no import for you" in error


# --------------------------------------------------------------------------------------------------------
# Verifier


@pytest.fixture(scope="module")
def baseline(module_path: Path) -> UserTestRun:
    project, target = located(module_path, "total")
    run = run_tests(project, target, target.module_source)
    assert run.passed == {"tests/test_mod.py::test_empty", "tests/test_mod.py::test_some"}
    return run


def test_a_correct_candidate_passes_every_check(total_oracle: Oracle, baseline: UserTestRun) -> None:
    attempt = candidate(total_oracle.target, "def total(xs: list[int]) -> int:\n    return sum(xs)\n")
    assert verifier(total_oracle, baseline=baseline).check(attempt, fresh=[([7, 7, 7],), ([],)]) is True
    assert attempt.outcome is None
    assert attempt.detail == ""


def test_a_wrong_candidate_is_rejected_with_the_input_and_both_results(total_oracle: Oracle) -> None:
    attempt = candidate(total_oracle.target, "def total(xs: list[int]) -> int:\n    return sum(xs) + 1\n")
    assert verifier(total_oracle).check(attempt, fresh=[]) is False
    assert attempt.outcome is Outcome.WRONG_ANSWER
    assert attempt.failing_input == "([1, 2, 3],)"
    assert attempt.expected == "6"
    assert attempt.actual == "7"
    assert attempt.detail == "wrong result on input ([1, 2, 3],)"


def test_right_on_the_shown_inputs_only_is_a_wrong_answer(total_oracle: Oracle) -> None:
    function = "def total(xs: list[int]) -> int:\n    return {(1, 2, 3): 6, (5,): 5}.get(tuple(xs), -1)\n"
    attempt = candidate(total_oracle.target, function)
    assert verifier(total_oracle).check(attempt, fresh=[]) is False
    assert attempt.outcome is Outcome.WRONG_ANSWER
    assert attempt.failing_input == "([],)"  # the first example that was not shown
    assert (attempt.expected, attempt.actual) == ("0", "-1")


def test_wrong_only_on_fresh_inputs_is_special_cased(total_oracle: Oracle) -> None:
    table = "{(1, 2, 3): 6, (5,): 5, (): 0, (4, 4): 8}"
    function = f"def total(xs: list[int]) -> int:\n    return {table}.get(tuple(xs), -1)\n"
    attempt = candidate(total_oracle.target, function)
    check = verifier(total_oracle)
    assert check.check(attempt, fresh=[([4, 4],), ([9, 1],)]) is False
    assert attempt.outcome is Outcome.SPECIAL_CASED
    assert attempt.failing_input == "([9, 1],)"
    assert (attempt.expected, attempt.actual) == ("10", "-1")
    assert "fresh input it was never shown" in attempt.detail


def test_mutating_an_argument_the_original_leaves_alone_is_a_wrong_answer(total_oracle: Oracle) -> None:
    function = "def total(xs: list[int]) -> int:\n    xs.append(0)\n    return sum(xs)\n"
    attempt = candidate(total_oracle.target, function)
    assert verifier(total_oracle).check(attempt, fresh=[]) is False
    assert attempt.outcome is Outcome.WRONG_ANSWER
    assert "leaves its arguments different" in attempt.detail
    assert attempt.expected == "([1, 2, 3],)"
    assert attempt.actual == "([1, 2, 3, 0],)"


def test_results_that_depend_on_earlier_calls_are_stateful(module_path: Path) -> None:
    project, target = located(module_path, "tri")
    # A cache that is only right while calls come in increasing order, as they do in the first pass
    # (1, 2, 5); the spot check's fresh process asks 5 first, then 2, and gets the cached 15.
    function = (
        "def tri(n: int) -> int:\n"
        "    while len(_CACHE) <= n:\n"
        "        _CACHE.append(_CACHE[-1] + len(_CACHE))\n"
        "    return _CACHE[-1]\n"
    )
    attempt = candidate(target, function, helpers=["_CACHE = [0]"])
    with Oracle(project, target, limits=LIMITS, isolation="auto") as oracle:
        check = verifier(oracle, examples=[(1,), (2,), (5,)], shown=[(1,)])
        assert check.check(attempt, fresh=[]) is False
    assert attempt.outcome is Outcome.STATEFUL
    assert attempt.detail.startswith("depends on earlier calls (fresh process, other order)")
    assert attempt.failing_input == "(2,)"
    assert (attempt.expected, attempt.actual) == ("3", "15")


def test_a_raising_candidate_is_a_runtime_error(total_oracle: Oracle) -> None:
    function = "def total(xs: list[int]) -> int:\n    raise ValueError('boom')\n"
    attempt = candidate(total_oracle.target, function)
    assert verifier(total_oracle).check(attempt, fresh=[]) is False
    assert attempt.outcome is Outcome.RUNTIME_ERROR
    assert "ValueError: boom" in attempt.detail
    assert attempt.failing_input == "([1, 2, 3],)"
    assert attempt.expected == "6"


def test_a_candidate_that_never_returns_times_out(total_oracle: Oracle) -> None:
    function = "def total(xs: list[int]) -> int:\n    while True:\n        pass\n"
    attempt = candidate(total_oracle.target, function)
    check = verifier(total_oracle)
    check.call_timeout_s = 1.0
    assert check.check(attempt, fresh=[]) is False
    assert attempt.outcome is Outcome.TIMEOUT
    assert attempt.detail.startswith(f"{Verdict.TIMEOUT.value} on input ([1, 2, 3],)")


def test_a_module_that_no_longer_imports_is_a_load_error(total_oracle: Oracle) -> None:
    attempt = candidate(
        total_oracle.target, "import no_such_module_anywhere\n\n\ndef total(xs):\n    return 0\n"
    )
    assert verifier(total_oracle).check(attempt, fresh=[]) is False
    assert attempt.outcome is Outcome.LOAD_ERROR
    assert "no_such_module_anywhere" in attempt.detail


def test_a_candidate_that_breaks_a_user_test_is_rejected_naming_it(
    total_oracle: Oracle, baseline: UserTestRun
) -> None:
    # Right on every differential input (none is empty), wrong on the test's empty list.
    function = "def total(xs: list[int]) -> int:\n    return xs[0] + sum(xs[1:])\n"
    attempt = candidate(total_oracle.target, function)
    check = verifier(total_oracle, examples=[([1, 2, 3],), ([5],)], baseline=baseline)
    assert check.check(attempt, fresh=[([8, 9],)]) is False
    assert attempt.outcome is Outcome.TESTS_FAILED
    assert attempt.detail == "tests that pass with the original fail: tests/test_mod.py::test_empty"
