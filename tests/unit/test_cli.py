"""The command line contract: one JSON object with --json, exit 0 whatever the candidate did, one-line
errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from effilab.cli.main import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REQUIRED_KEYS = {"verdict", "output", "error", "wall_ns", "cpu_ns", "peak_rss_kib", "isolation"}


def _exec_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["exec", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1, "exactly one JSON object on one line"
    report: dict[str, object] = json.loads(out)
    assert report.keys() >= REQUIRED_KEYS
    return report


def test_exec_json_reports_output_and_layers(capsys: pytest.CaptureFixture[str]) -> None:
    report = _exec_json(capsys, str(EXAMPLES / "primes.py"), "--entry", "count_primes", "--args", "[100]")
    assert report["verdict"] == "ok"
    assert report["output"] == 25
    assert report["error"] is None
    assert isinstance(report["wall_ns"], int)
    assert isinstance(report["isolation"], list)
    assert "rlimits" in report["isolation"]


def test_exec_json_arrays_become_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    candidate = tmp_path / "c.py"
    candidate.write_text("def f(xs, d):\n    return [type(xs).__name__, type(d).__name__, xs, d]\n")
    report = _exec_json(capsys, str(candidate), "--entry", "f", "--args", '[[1, 2], {"a": [3]}]')
    assert report["output"] == ["list", "dict", [1, 2], {"a": [3]}]


def test_candidate_failure_is_data_with_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    report = _exec_json(capsys, str(EXAMPLES / "hostile.py"), "--entry", "spin", "--timeout", "0.5")
    assert report["verdict"] == "timeout"
    assert report["output"] is None
    assert report["censored"] is True


def test_human_output_names_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exec", str(EXAMPLES / "primes.py"), "--entry", "count_primes", "--args", "[10]"]) == 0
    out = capsys.readouterr().out
    assert "verdict" in out
    assert "ok" in out
    assert "4" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["exec", "/nonexistent/x.py", "--entry", "f"], "does not exist"),
        (["exec", "{examples}/primes.py", "--entry", "count_primes", "--args", "[1,"], "invalid JSON"),
        (["exec", "{examples}/primes.py", "--entry", "count_primes", "--args", '{"n": 1}'], "JSON array"),
        (["exec", "{examples}/primes.py", "--entry", "count_primes", "--bogus"], "unrecognized arguments"),
        (["exec", "{examples}/primes.py"], "--entry"),
        (["exec", "{examples}/primes.py", "--entry", "count_primes", "--timeout", "-1"], "--timeout"),
        (["exec", "{examples}/primes.py", "--entry", "count_primes", "--memory-mb", "1"], "--memory-mb"),
        (["exec", "{examples}", "--entry", "f"], "not a regular file"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_usage_is_one_line_and_non_zero(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([arg.replace("{examples}", str(EXAMPLES)) for arg in argv])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err
    assert "Traceback" not in captured.err


def test_doctor_json_lists_tiers_counters_and_pythons(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    names = [tier["name"] for tier in report["tiers"]]
    assert names == ["bwrap", "process"]
    assert any(tier["available"] for tier in report["tiers"])
    for tier in report["tiers"]:
        assert tier["available"] == bool(tier["layers"])
    assert {"seccomp", "landlock_abi", "perf_instructions", "valgrind", "pythons"} <= report.keys()
    assert any(version == sys.version.split()[0] for _, version in report["pythons"])


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("effilab")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("effilab ")
