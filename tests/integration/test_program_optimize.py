"""``effilab optimize prog.cpp --tests DIR``: offline rewrites verified on tests, measured, patched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from effilab.cli.main import main
from effilab.programs.languages import get_language
from effilab.programs.limits import ProgramLimits
from effilab.programs.optimize import load_inputs, offline_candidates, optimize_program

pytestmark = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")

SLOW_IO = """#include <iostream>
using namespace std;
int main() {
    int n; cin >> n;
    long long s = 0;
    for (int i = 0; i < n; i++) { long long x; cin >> x; s += x; cout << s << endl; }
}
"""


def write_tests(folder: Path, n: int) -> None:
    folder.mkdir()
    for i, size in enumerate((3, n)):
        numbers = list(range(size))
        (folder / f"input.{i}.txt").write_text(f"{size}\n" + "\n".join(map(str, numbers)) + "\n")
        sums, total = [], 0
        for x in numbers:
            total += x
            sums.append(str(total))
        (folder / f"output.{i}.txt").write_text("\n".join(sums) + "\n")


def test_the_iostream_fix_is_verified_measured_and_patched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tmp_path / "prefix.cpp"
    program.write_text(SLOW_IO)
    write_tests(tmp_path / "tests", 60_000)
    status = main(["optimize", str(program), "--tests", str(tmp_path / "tests"), "--json", "--apply"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert report["accepted"]["name"].startswith("fast-iostream")
    assert all(s > 1.0 for s in report["accepted"]["round_speedups"])
    assert "+    std::ios::sync_with_stdio(false);" in report["patch"]
    assert "sync_with_stdio(false)" in program.read_text()
    assert (tmp_path / "prefix.cpp.orig").read_text() == SLOW_IO


def test_a_rewrite_that_changes_behaviour_is_rejected(tmp_path: Path) -> None:
    # Reads until EOFError: with input() bound to readline it never sees EOF and runs out of time.
    program = tmp_path / "echo.py"
    program.write_text("lines = []\nwhile True:\n    try:\n        lines.append(input())\n"
                       "    except EOFError:\n        break\nprint(len(lines))\n")  # fmt: skip
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "input.0.txt").write_text("a\nb\nc\n")
    python = get_language("python")
    report = optimize_program(
        program,
        python,
        inputs=load_inputs(tests, None, (), 0),
        candidates=lambda source: offline_candidates(python, source),
        cache_dir=tmp_path / "cache",
        rounds=2,
        limits=ProgramLimits(timeout_s=1.0),
    )
    assert [a.candidate.name for a in report.attempts] == ["fast-input"]
    assert report.attempts[0].verdict.value == "timeout"
    assert report.best is None
    assert report.patch == ""


def test_no_inputs_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = tmp_path / "p.cpp"
    program.write_text(SLOW_IO)
    assert main(["optimize", str(program)]) == 2
    assert "--tests" in capsys.readouterr().err
