"""The end of a boxed run: learned from bubblewrap's status report, not from the pipes' end (every tier)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from effilab.programs.box import BoxPool
from effilab.programs.compile import Build, compile_program
from effilab.programs.languages import get_language
from effilab.programs.limits import ProgramLimits
from effilab.programs.run import ProgramRun, run_program
from effilab.sandbox.verdict import Verdict

pytestmark = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")

LIMITS = ProgramLimits(timeout_s=10.0, memory_mb=256)
# Prints, closes stdout and stderr, then works ~0.2 s: the run is not over when the pipes end.
CLOSES_EARLY = r"""
#include <cstdio>
#include <unistd.h>
int main() {
    printf("before\n"); fflush(stdout); close(1); close(2);
    volatile unsigned long long s = 0;
    for (unsigned long long i = 0; i < 400000000ULL; i++) s += i ^ (s >> 3);
    return s == 42 ? 5 : 3;
}
"""
# More than a pipe holds, the last part written just before exiting.
BIG_OUTPUT = r"""
#include <cstdio>
int main() { for (int i = 0; i < 200000; i++) printf("%d\n", i); return 0; }
"""


def build(pool: BoxPool, cache: Path, source: str) -> Build:
    result = compile_program(get_language("cpp"), source.encode(), pool=pool, cache_dir=cache)
    assert result.verdict is Verdict.OK, result.diagnostics
    return result


def run(pool: BoxPool, b: Build) -> ProgramRun:
    return run_program(pool, b.profile(), files=b.files(), stdin=b"", limits=LIMITS, executable=b.entry)


def test_a_program_closing_its_output_early_is_measured_to_its_exit(any_tier: str, tmp_path: Path) -> None:
    with BoxPool(isolation=any_tier) as pool:
        result = run(pool, build(pool, tmp_path, CLOSES_EARLY))
    assert result.verdict is Verdict.RUNTIME_ERROR
    assert result.exit_code == 3
    assert result.stdout == b"before\n"
    assert result.cpu_ns is not None
    assert result.cpu_ns > 100_000_000
    assert result.wall_ns > 100_000_000


def test_output_written_just_before_the_exit_is_all_read(any_tier: str, tmp_path: Path) -> None:
    expected = b"".join(b"%d\n" % i for i in range(200_000))
    with BoxPool(isolation=any_tier) as pool:
        program = build(pool, tmp_path, BIG_OUTPUT)
        for _ in range(3):
            result = run(pool, program)
            assert result.verdict is Verdict.OK
            assert result.stdout == expected


def test_boxes_leave_no_descriptor_behind(any_tier: str, tmp_path: Path) -> None:
    before = set(os.listdir("/proc/self/fd"))
    with BoxPool(isolation=any_tier) as pool:
        program = build(pool, tmp_path, "int main() { return 0; }\n")
        for _ in range(10):
            assert run(pool, program).verdict is Verdict.OK
    assert set(os.listdir("/proc/self/fd")) <= before


def test_a_box_prepared_for_one_program_runs_another_when_asked(any_tier: str, tmp_path: Path) -> None:
    with BoxPool(isolation=any_tier) as pool:
        one = build(pool, tmp_path, '#include <cstdio>\nint main() { puts("one"); }\n')
        two = build(pool, tmp_path, '#include <cstdio>\nint main() { puts("two"); }\n')
        assert one.profile() == two.profile()  # the same kind of box: the spare holds the last one's files
        for program, expected in [(one, b"one\n"), (two, b"two\n"), (two, b"two\n"), (one, b"one\n")] * 2:
            assert run(pool, program).stdout == expected
