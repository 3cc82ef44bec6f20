"""Finding a workload, line profiles and their condensed form, and peak memory of one call."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from effilab.optimize.inputs import InputPlan
from effilab.optimize.measuring import _next_size, find_workload, hot_lines, peak_memory, profile
from effilab.optimize.project import Project, locate_project
from effilab.optimize.target import Target, parse_target

MODULE = """\
def helper(x):
    return x + 1


def work(n):
    data = list(range(200))
    total = 0
    for i in range(n):
        total += len(sorted(data, reverse=i % 2 == 0))
    return total


def pairs(xs):
    count = 0
    for a in xs:
        for b in xs:
            if a < b:
                count += 1
    return count


def small_only(xs):
    if len(xs) > 100:
        raise ValueError("too big")
    return len(xs)


def never(xs):
    raise ValueError("always")


def build(n):
    return len([i * 2 for i in range(n)])


def nothing(n):
    return n
"""


@pytest.fixture(scope="module")
def module_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("measuring") / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    path = root / "pkg" / "mod.py"
    path.write_text(MODULE, encoding="utf-8")
    return path


def located(path: Path, name: str) -> tuple[Project, Target]:
    target = parse_target(f"{path}::{name}")
    return locate_project(target), target


class SizedLists:
    """A sized source of ``(list(range(size)),)`` that notes which sizes were asked for."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def __call__(self, size: int, seeds: Sequence[int]) -> list[tuple[object, ...]]:
        self.sizes.append(size)
        return [(list(range(size)),) for _ in seeds]


# --------------------------------------------------------------------------------------------------------
# _next_size


def test_next_size_assumes_quadratic_growth_without_a_usable_history() -> None:
    # 1 ms of 20: a quadratic function needs ×√20 ≈ 4.47, capped at ×4.
    assert _next_size(0, 0.0, 16, 0.001, 0.02) == 64
    # 5 ms of 20: ×2 for a quadratic function.
    assert _next_size(0, 0.0, 100, 0.005, 0.02) == 200
    # Timings under 0.5 ms are noise, and no growth is no information: still quadratic.
    assert _next_size(16, 0.0001, 64, 0.005, 0.02) == 128
    assert _next_size(16, 0.006, 64, 0.005, 0.02) == 128


def test_next_size_uses_the_measured_growth() -> None:
    # ×4 in size gave ×4 in time (linear): 5 → 20 ms needs ×4.
    assert _next_size(16, 0.00125, 64, 0.005, 0.02) == 256
    # ×2 in size gave ×8 in time (cubic): 4 → 32 ms needs ×2 (give or take rounding).
    assert 63 <= _next_size(16, 0.0005, 32, 0.004, 0.032) <= 64


def test_next_size_steps_at_least_a_quarter_and_stops_near_the_target() -> None:
    assert _next_size(16, 0.001, 64, 0.013, 0.02) == 80  # the prediction (×1.24) is raised to ×1.25
    assert _next_size(16, 0.001, 64, 0.015, 0.02) == 64  # within 30 % of the target: stop


@given(
    previous=st.integers(1, 1 << 20),
    factor=st.integers(2, 4),
    previous_s=st.floats(1e-9, 1.0),
    growth=st.floats(1.0, 1e4),
    headroom=st.floats(1 / 0.7 + 1e-6, 1e6),
)
def test_next_size_grows_while_well_below_the_target(
    previous: int, factor: int, previous_s: float, growth: float, headroom: float
) -> None:
    size = previous * factor
    seconds = previous_s * growth
    target = seconds * headroom
    assert size < _next_size(previous, previous_s, size, seconds, target) <= 4 * size


# --------------------------------------------------------------------------------------------------------
# hot_lines

SOURCE = "def f(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total\n"


def test_hot_lines_orders_by_time_with_shares_hits_and_code() -> None:
    report = {"lines": [[2, 1, 50], [3, 101, 300], [4, 100, 600], [5, 1, 50]], "total_ns": 1000}
    assert hot_lines(report, SOURCE).splitlines() == [
        "line    4   60.0%        100 hits  total += x",
        "line    3   30.0%        101 hits  for x in xs:",
        "line    2    5.0%          1 hits  total = 0",
        "line    5    5.0%          1 hits  return total",
    ]


def test_hot_lines_cuts_at_the_limit_and_the_minimum_share() -> None:
    report = {"lines": [[2, 1, 10], [3, 101, 300], [4, 100, 680], [5, 1, 10]]}
    assert [line.split()[1] for line in hot_lines(report, SOURCE).splitlines()] == ["4", "3"]
    assert [line.split()[1] for line in hot_lines(report, SOURCE, limit=1).splitlines()] == ["4"]
    assert hot_lines(report, SOURCE, min_share=0.0).count("\n") == 3
    assert hot_lines(report, SOURCE, min_share=0.5).splitlines() == [
        "line    4   68.0%        100 hits  total += x"
    ]


def test_hot_lines_shows_a_question_mark_for_lines_outside_the_source() -> None:
    report = {"lines": [[0, 1, 100], [99, 2, 100], [-3, 3, 100], [4, 4, 100]]}
    lines = hot_lines(report, SOURCE).splitlines()
    assert len(lines) == 4
    assert sorted(line.rsplit("  ", 1)[1] for line in lines) == ["?", "?", "?", "total += x"]


def test_hot_lines_ignores_malformed_rows_and_empty_reports() -> None:
    report = {"lines": [[4, 1], "junk", (3, 1, 500), [4, 7, 100]]}
    assert hot_lines(report, SOURCE) == "line    4  100.0%          7 hits  total += x"
    assert hot_lines(None, SOURCE) == ""
    assert hot_lines({}, SOURCE) == ""
    assert hot_lines({"lines": [[4, 1, 0]]}, SOURCE) == ""


def test_hot_lines_numbers_lines_as_python_does() -> None:
    source = "import os\n\x0c\ndef f(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n"
    assert ast.parse(source).body[1].lineno == 3  # for Python, `def f` is line 3
    report = {"lines": [[6, 10, 900], [5, 11, 100]]}
    assert hot_lines(report, source).splitlines()[0].endswith("s += i")


# --------------------------------------------------------------------------------------------------------
# profile and peak_memory, in the sandbox


def test_profile_counts_hits_on_the_targets_lines(module_path: Path) -> None:
    project, target = located(module_path, "work")
    report = profile(project, target, target.module_source, [(50,), (30,)], isolation="auto", memory_mb=1024)
    assert report is not None
    assert report["available"] is True
    assert report["total_ns"] > 0
    hits = {lineno: count for lineno, count, _ in report["lines"]}
    assert set(hits) <= set(range(target.start_line, target.end_line + 1))  # not helper's lines
    text = MODULE.splitlines()
    by_code = {text[lineno - 1].strip(): count for lineno, count in hits.items()}
    assert by_code["data = list(range(200))"] == 2
    assert by_code["for i in range(n):"] == 82  # n + 1 per call
    assert by_code["total += len(sorted(data, reverse=i % 2 == 0))"] == 80
    hottest = max(report["lines"], key=lambda row: row[2])
    assert text[hottest[0] - 1].strip().startswith("total += len(sorted(")
    assert (
        hot_lines(report, target.module_source)
        .splitlines()[0]
        .endswith("total += len(sorted(data, reverse=i % 2 == 0))")
    )


def test_peak_memory_is_larger_for_a_call_that_builds_a_big_list(module_path: Path) -> None:
    peaks = {}
    for name in ("build", "nothing"):
        project, target = located(module_path, name)
        peaks[name] = peak_memory(
            project, target, target.module_source, (200_000,), isolation="auto", memory_mb=1024, timeout_s=20
        )
    assert peaks["build"] is not None
    assert peaks["nothing"] is not None
    assert peaks["build"] > 200_000 * 8  # at least the list's pointer array
    assert peaks["nothing"] < peaks["build"] / 10


def test_peak_memory_is_none_when_the_call_fails(module_path: Path) -> None:
    project, target = located(module_path, "never")
    result = peak_memory(
        project, target, target.module_source, ([1],), isolation="auto", memory_mb=1024, timeout_s=20
    )
    assert result is None


# --------------------------------------------------------------------------------------------------------
# find_workload


def test_find_workload_grows_the_size_until_a_call_takes_the_target_time(module_path: Path) -> None:
    project, target = located(module_path, "pairs")
    sized = SizedLists()
    messages: list[str] = []
    plan = InputPlan(examples=(), sized=sized, sources=())
    workload = find_workload(
        project, target, plan, examples=(), target_call_s=0.002, progress=messages.append
    )
    assert workload.size is not None
    assert workload.call_s >= 0.7 * 0.002  # the search stops within 30 % of the target
    searched = sized.sizes[: len(messages)]
    assert searched[0] == 16
    assert searched == sorted(set(searched))  # strictly growing
    assert searched[-1] == workload.size
    assert all(b <= 4 * a for a, b in itertools.pairwise(searched))
    assert messages[-1].startswith(f"workload: size {workload.size} takes ")
    # Then the workload itself (three seeds) and the smaller size for the report.
    assert sized.sizes[len(messages) :] == [workload.size, workload.size // 8]
    assert len(workload.inputs) == 3
    assert all(args == (list(range(workload.size)),) for args in workload.inputs)
    assert all(args == (list(range(workload.size // 8)),) for args in workload.smaller)
    assert f"size {workload.size}" in workload.describe()


def test_find_workload_keeps_the_largest_size_the_original_handles(module_path: Path) -> None:
    project, target = located(module_path, "small_only")
    sized = SizedLists()
    plan = InputPlan(examples=(), sized=sized, sources=())
    # One call is O(1): far below the target time at every size, so only the failure stops the search.
    workload = find_workload(project, target, plan, examples=(), target_call_s=0.5)
    assert workload.size is not None
    assert 64 <= workload.size <= 100
    assert max(sized.sizes) > 100  # it tried a larger size, on which the original raised
    assert workload.call_s < 0.5
    assert all(len(args[0]) == workload.size for args in workload.inputs)  # type: ignore[arg-type]


def test_find_workload_falls_back_to_known_inputs_when_generated_ones_fail(module_path: Path) -> None:
    project, target = located(module_path, "never")
    plan = InputPlan(examples=(), sized=SizedLists(), sources=())
    workload = find_workload(project, target, plan, examples=[(([7],), 0.003)], target_call_s=0.002)
    assert workload.size is None
    assert workload.inputs == (([7],),)
    with pytest.raises(RuntimeError, match="nothing to measure"):
        find_workload(project, target, plan, examples=(), target_call_s=0.002)


def test_without_a_sized_source_the_costliest_examples_are_the_workload(module_path: Path) -> None:
    project, target = located(module_path, "pairs")
    plan = InputPlan(examples=(), sized=None, sources=())
    costs = [(([1],), 0.001), (([2],), 0.5), (([3],), 0.01), (([4],), 0.2), (([5],), 0.0)]
    workload = find_workload(project, target, plan, examples=costs, cases=2)
    assert workload.size is None
    assert workload.inputs == (([2],), ([4],))
    assert workload.smaller == ()
    assert workload.call_s == 0.5
    assert "costliest" in workload.describe()
    with pytest.raises(RuntimeError, match="nothing to measure"):
        find_workload(project, target, plan, examples=[])
