"""The measurement layer against real sandboxes: determinism, known ratios, integrity, censoring."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from effilab.errors import InvalidArgument
from effilab.measure import CompareVerdict, Program, compare, generate_inputs, scale
from effilab.measure.backends import CallgrindInstructionsBackend
from effilab.sandbox import Limits, Worker

PROGRAMS = Path(__file__).parent / "programs"
WORK = (PROGRAMS / "work.py").read_bytes()

needs_callgrind = pytest.mark.skipif(
    CallgrindInstructionsBackend.unavailable_reason() is not None, reason="valgrind is not installed"
)


def program(name: str, entry: str = "linear") -> Program:
    return Program((PROGRAMS / f"{name}.py").read_bytes(), entry, f"{name}.py")


@needs_callgrind
def test_two_callgrind_counts_of_the_same_call_are_identical(any_tier: str) -> None:
    runs = []
    for _ in range(2):
        with Worker(isolation=any_tier, counter="callgrind", limits=Limits(timeout_s=60)) as worker:
            worker.load(WORK, entry="quadratic")
            runs.append([worker.measure([150]).instructions for _ in range(3)])
    assert runs[0] == runs[1]
    assert all(count is not None and count > 100_000 for count in runs[0])


@needs_callgrind
def test_instruction_ratio_recovers_a_known_2x_work_difference() -> None:
    double, single = Program(WORK, "linear_twice"), Program(WORK, "linear")
    result = compare(double, single, [(20_000,), (30_000,)], metric="instructions")
    assert result.correct
    assert result.verdict is CompareVerdict.FASTER
    assert result.speedup is not None
    assert 1.95 <= result.speedup.low <= result.speedup.high <= 2.05


@needs_callgrind
def test_a_program_against_itself_is_indistinguishable_by_instructions() -> None:
    result = compare(Program(WORK, "quadratic"), Program(WORK, "quadratic"), [(200,)], metric="instructions")
    assert result.verdict is CompareVerdict.INDISTINGUISHABLE
    assert result.speedup is not None
    assert result.speedup.point == 1.0


def test_a_clearly_faster_program_is_faster_by_time() -> None:
    result = compare(program("slow_honest"), Program(WORK, "linear"), [(30_000,), (40_000,)], budget_s=20)
    assert result.verdict is CompareVerdict.FASTER, result.reason
    assert result.speedup is not None
    assert result.speedup.low > 5  # 40 loops against 1: far beyond any noise
    assert len(set(result.a.processes)) >= 2  # samples came from several fresh processes


def test_caching_across_calls_is_caught() -> None:
    result = compare(
        program("slow_honest"), program("caching"), [(30_000,), (40_000,), (50_000,)], budget_s=10
    )
    assert result.correct
    assert result.verdict is CompareVerdict.UNSTABLE
    assert any("caching across calls" in w for w in result.warnings), result.warnings
    assert all(w.startswith("B:") for w in result.warnings)


def test_wrong_output_means_incorrect_and_no_speedup() -> None:
    result = compare(Program(WORK, "linear"), program("wrong"), [(50,), (5_000,)])
    assert not result.correct
    assert result.verdict is CompareVerdict.INCORRECT
    assert result.speedup is None
    assert result.failure is not None
    assert result.failure.case == 1
    assert result.failure.expected == repr(sum(range(5_000)))
    assert result.failure.actual == repr(sum(range(5_000)) + 1)


def test_censored_samples_stay_censored() -> None:
    limits = Limits(timeout_s=0.5)
    result = compare(Program(WORK, "linear"), program("stalls"), [(1_000,)], limits=limits, budget_s=6)
    samples = result.b.samples
    assert samples
    assert all(math.isinf(s) for s in samples)  # never replaced by the limit itself
    assert result.b.summary.n_censored == len(samples)
    assert math.isinf(result.b.summary.median)
    assert result.verdict is CompareVerdict.SLOWER
    assert result.speedup is not None
    assert result.speedup.point == 0.0


def test_oracle_that_raises_is_rejected() -> None:
    with pytest.raises(InvalidArgument, match="no valid oracle"):
        compare(program("stalls"), Program(WORK, "linear"), [("not a number",)])


def test_generated_inputs_are_deterministic_and_validated() -> None:
    gen = str(PROGRAMS / "gen_n.py")
    assert generate_inputs(gen, size=100, seeds=[0, 1]) == generate_inputs(gen, size=100, seeds=[0, 1])
    for name, message in (("gen_bad", "must return a tuple"), ("gen_raises", "generator exploded"),
                          ("gen_missing", "no function generate")):  # fmt: skip
        with pytest.raises(InvalidArgument, match=message):
            generate_inputs(str(PROGRAMS / f"{name}.py"), size=10, seeds=[0])


@needs_callgrind
def test_scale_finds_linear_and_quadratic_growth() -> None:
    gen = str(PROGRAMS / "gen_n.py")
    linear = scale(Program(WORK, "linear"), gen, [2_000, 4_000, 8_000, 16_000], metric="instructions")
    quadratic = scale(Program(WORK, "quadratic"), gen, [50, 100, 200, 400], metric="instructions")
    assert linear.fit is not None
    assert linear.fit.best.label == "O(n)"
    assert quadratic.fit is not None
    assert quadratic.fit.best.label == "O(n^2)"
    assert [p.size for p in quadratic.points] == [50, 100, 200, 400]
