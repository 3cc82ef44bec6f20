"""Inputs that used to print a Python traceback (issue 12): each now ends in one line naming the bad
value, a non-zero exit status, and no change to results already stored."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import sys
from pathlib import Path

import pytest

from effilab.cli.main import main
from effilab.generate import runner
from effilab.generate.runner import RetryPolicy

ROOT = Path(__file__).resolve().parents[2]
PRIMES = str(ROOT / "examples" / "primes.py")
MINI = str(ROOT / "tests" / "data" / "suites" / "mini")
DEEP = "[" * 100_000 + "]" * 100_000
LONG_INT = "9" * (sys.get_int_max_str_digits() + 10)


def _fails_in_one_line(argv: list[str], *named: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    lines = [line for line in err.getvalue().splitlines() if line.startswith("error:")]
    assert status != 0
    assert "Traceback" not in err.getvalue()
    assert "internal error" not in err.getvalue()
    assert len(lines) == 1, err.getvalue()
    for word in named:
        assert word in lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--args", DEEP], ("--args", "nested")),
        (["--args", f"[{LONG_INT}]"], ("--args", "digits")),
        (["--args", "[" * 300 + "]" * 300], ("args", "nested")),  # parses, but deeper than a call takes
        (["--timeout", "1e308"], ("--timeout", "1e+308")),
        (["--timeout", "nan"], ("--timeout",)),
        (["--memory-mb", "1000000000000000"], ("--memory-mb", "1000000000000000")),
    ],
)
def test_exec(extra: list[str], named: tuple[str, ...]) -> None:
    _fails_in_one_line(["exec", PRIMES, "--entry", "count_primes", *extra], *named)


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """A results file that already holds a finished run (one fast sample of the mini suite)."""
    samples = tmp_path / "ok.jsonl"
    fast = "def count_distinct(nums):\n    return len(set(nums))\n"
    samples.write_text(json.dumps({"task_id": "count-distinct", "solution": fast}) + "\n")
    db = tmp_path / "r.sqlite"
    argv = ["evaluate", "--suite", MINI, "--samples", str(samples), "--db", str(db), "--workers", "1",
            "--repetitions", "1", "--json"]  # fmt: skip
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(argv) == 0
    return db


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--alpha", "1e308"], ("--alpha", "1e+308")),
        (["--alpha", "inf"], ("--alpha",)),
        (["--oracle-timeout", "1e308"], ("--oracle-timeout",)),
        (["--memory-mb", "1000000000000000"], ("--memory-mb",)),
        (["--oracle-memory-mb", "1000000000000000"], ("--oracle-memory-mb",)),
        (["--repetitions", "1000000000000"], ("--repetitions",)),
        (["--seed", LONG_INT], ("--seed",)),
        (["--k", "1," + LONG_INT], ("--k",)),
        (["--workers", "1000000000000"], ("--workers",)),
    ],
)
def test_evaluate_options_leave_the_store_untouched(
    stored: Path, tmp_path: Path, extra: list[str], named: tuple[str, ...]
) -> None:
    before = stored.read_bytes()
    samples = tmp_path / "ok.jsonl"
    _fails_in_one_line(["evaluate", "--suite", MINI, "--samples", str(samples), "--db", str(stored), *extra],
                       *named)  # fmt: skip
    assert stored.read_bytes() == before


@pytest.mark.parametrize("bad", [DEEP, f'{{"task_id": "count-distinct", "solution": {LONG_INT}}}'])
def test_evaluate_sample_file_lines(stored: Path, tmp_path: Path, bad: str) -> None:
    samples = tmp_path / "bad.jsonl"
    samples.write_text(json.dumps({"task_id": "count-distinct", "solution": "x = 1\n"}) + "\n" + bad + "\n")
    before = stored.read_bytes()
    _fails_in_one_line(["evaluate", "--suite", MINI, "--samples", str(samples), "--db", str(stored)],
                       f"{samples}:2")  # fmt: skip
    assert stored.read_bytes() == before


def test_suite_files(tmp_path: Path) -> None:
    problem = tmp_path / "suite" / "p1"
    problem.mkdir(parents=True)
    (problem / "problem.toml").write_text("entry = " + "[" * 5000 + "]" * 5000 + "\n")
    _fails_in_one_line(["suite", "validate", str(tmp_path / "suite")], "problem.toml", "nested")
    (problem / "problem.toml").write_text(f"alpha = {LONG_INT}\n")
    _fails_in_one_line(["suite", "validate", str(tmp_path / "suite")], "problem.toml", "digits")


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "DEFAULT_RETRY", RetryPolicy(sleep=lambda _s: None, jitter=lambda: 0.0))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def _closed_port() -> int:
    """A local port nobody listens on (bound, then released): connections to it are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_generate_out_file_with_deep_nesting(no_sleep: None, tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    out.write_text(DEEP + "\n" + json.dumps({"task_id": "count-distinct", "sample": 0}) + "\n")
    before = out.read_bytes()
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    _fails_in_one_line(["generate", "--suite", MINI, "--model", "m", "--base-url", url, "--out", str(out)],
                       f"{out}:1")  # fmt: skip
    assert out.read_bytes() == before


def test_generate_against_an_unreachable_endpoint_names_the_cause(no_sleep: None, tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    argv = ["generate", "--suite", MINI, "--model", "m", "--base-url", url, "--out", str(out)]
    line = _fails_in_one_line(argv)
    assert "connection" in line.lower()
    assert "could not be generated" in line
