"""A reference that cannot answer some inputs never aborts a run: `effilab evaluate` and `suite validate` on a
small EvalPlus-format suite whose canonical solution fails on single inputs (an exception, memory, a crash,
the time limit), fails on every input of one task, and returns one output too large to decode."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from effilab.cli.main import main

CANONICAL = """
def pick(n):
    if n == 13:
        raise ValueError("unlucky")
    if n == 14:
        return bytearray(1 << 34)
    if n == 15:
        import os
        os._exit(3)
    if n == 16:
        while True:
            pass
    if n == 17:
        return list(range(3_000_000))
    return n * 2
"""
BASE = [[1], [13], [2]]
PLUS = [[14], [15], [16], [17], [3]]
# (level, case) of each failing input, in base+plus order, and a word its reason must hold.
DROPPED = {(0, 1): "runtime_error: ValueError", (0, 3): "memory_limit", (0, 4): "exited", (0, 5): "timeout"}

BIG_WRONG = CANONICAL.replace("list(range(3_000_000))", "list(range(3_000_001))")
BIG_FLOATS = CANONICAL.replace("list(range(3_000_000))", "[float(i) for i in range(3_000_000)]")
SMALL_WRONG = CANONICAL.replace("return n * 2", "return n * 2 + (n == 3)")


def _task(number: int, entry: str, canonical: str, base: list[Any], plus: list[Any]) -> dict[str, Any]:
    return {"task_id": f"Mbpp/{number}", "prompt": "", "entry_point": entry, "canonical_solution": canonical,
            "base_input": base, "plus_input": plus, "atol": 0}  # fmt: skip


def _suite(tmp_path: Path) -> Path:
    tasks = [
        _task(9001, "pick", CANONICAL, BASE, PLUS),
        _task(9002, "boom", "def boom(n):\n    raise RuntimeError('never works')\n", [[1], [2]], []),
        _task(9003, "double", "def double(n):\n    return 2 * n\n", [[1], [2]], [[3]]),
    ]
    path = tmp_path / "suite.jsonl"
    path.write_text("".join(json.dumps(task) + "\n" for task in tasks))
    return path


def _samples(tmp_path: Path) -> Path:
    samples = [
        ("Mbpp/9001", CANONICAL),  # 0: right wherever the oracle answered, big output included
        ("Mbpp/9001", BIG_WRONG),  # 1: its big output is one element longer
        ("Mbpp/9001", BIG_FLOATS),  # 2: its big output has the same numbers as floats
        ("Mbpp/9001", SMALL_WRONG),  # 3: wrong on a small output after the big one
        ("Mbpp/9002", "def boom(n):\n    return n\n"),
        ("Mbpp/9003", "def double(n):\n    return n + n\n"),
    ]
    path = tmp_path / "samples.jsonl"
    path.write_text("".join(json.dumps({"task_id": t, "solution": s}) + "\n" for t, s in samples))
    return path


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("oracle-failures")
    return _suite(tmp), _samples(tmp), tmp / "results.sqlite"


def _evaluate(files: tuple[Path, Path, Path], *extra: str) -> tuple[int, str, str]:
    suite, samples, db = files
    limits = ["--oracle-memory-mb", "1024", "--oracle-timeout", "1"]
    return _run(["evaluate", "--suite", f"evalplus:{suite}", "--samples", str(samples), "--db", str(db),
                 "--workers", "2", *limits, *extra])  # fmt: skip


@pytest.fixture(scope="module")
def report(files: tuple[Path, Path, Path]) -> dict[str, Any]:
    status, out, err = _evaluate(files, "--json")
    assert status == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def test_the_run_finishes_and_says_which_cases_were_dropped_and_why(report: dict[str, Any]) -> None:
    dropped = {(d["task_id"], d["level"], d["case"]): d["reason"] for d in report["dropped"]}
    assert {key for key in dropped if key[0] == "Mbpp/9001"} == {("Mbpp/9001", *k) for k in DROPPED}
    for (level, case), word in DROPPED.items():
        assert word in dropped[("Mbpp/9001", level, case)], dropped
    assert report["cases_dropped"] == len(dropped)


def test_a_problem_without_any_usable_case_is_broken_and_left_out(report: dict[str, Any]) -> None:
    [broken] = report["problems_broken"]
    assert broken["task_id"] == "Mbpp/9002"
    assert broken["samples_not_evaluated"] == 1
    assert "no usable case" in broken["reason"]
    assert "never works" in broken["reason"]
    assert [p["task_id"] for p in report["per_problem"]] == ["Mbpp/9001", "Mbpp/9003"]
    assert report["samples"] == 5


def test_samples_are_judged_on_the_remaining_cases_including_a_streamed_output(
    report: dict[str, Any], files: tuple[Path, Path, Path]
) -> None:
    with closing(sqlite3.connect(f"file:{files[2]}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT task_id, sample, verdict, detail FROM samples").fetchall()
    verdicts = {(task, sample): (verdict, detail) for task, sample, verdict, detail in rows}
    assert verdicts[("Mbpp/9001", 0)][0] == "ok"
    for sample in (1, 2):  # only the streamed (digest) comparison can tell these from the canonical
        verdict, detail = verdicts[("Mbpp/9001", sample)]
        assert verdict == "wrong_answer"
        assert "level 0 case 6" in detail
        assert "streamed output" in detail
    assert verdicts[("Mbpp/9001", 3)][0] == "wrong_answer"
    assert "level 0 case 7" in verdicts[("Mbpp/9001", 3)][1]
    assert verdicts[("Mbpp/9003", 0)][0] == "ok"
    assert ("Mbpp/9002", 0) not in verdicts


def test_the_store_keeps_what_was_dropped_and_a_resume_reports_the_same(
    report: dict[str, Any], files: tuple[Path, Path, Path]
) -> None:
    with closing(sqlite3.connect(f"file:{files[2]}?mode=ro", uri=True)) as conn:
        stored = dict(conn.execute("SELECT task_id, reference FROM problems").fetchall())
    assert "broken" in json.loads(stored["Mbpp/9002"])
    assert len(json.loads(stored["Mbpp/9001"])["dropped"]) == len(DROPPED)
    status, out, err = _evaluate(files, "--json")
    assert status == 0, err
    again = json.loads(out)
    assert again["resumed"] is True
    assert again["evaluated_now"] == 0
    for key in ("dropped", "problems_broken", "verdicts", "per_problem"):
        assert again[key] == report[key]


def test_the_human_report_names_the_broken_problem_and_the_dropped_cases(
    report: dict[str, Any], files: tuple[Path, Path, Path]
) -> None:
    status, out, err = _evaluate(files)
    assert status == 0, err
    assert "broken: Mbpp/9002 (1 samples not evaluated)" in out
    assert "dropped 6 cases the oracle could not answer, on 2 problems" in out
    assert (
        "Mbpp/9001 level 0 case 1: the oracle (canonical) failed: runtime_error: ValueError: unlucky" in out
    )


def test_suite_validate_reports_dropped_inputs_and_fails_only_the_broken_problem(
    files: tuple[Path, Path, Path],
) -> None:
    status, out, err = _run(["suite", "validate", f"evalplus:{files[0]}", "--json", "--oracle-memory-mb",
                             "1024", "--oracle-timeout", "1", "--min-share", "0"])  # fmt: skip
    assert status == 1, err
    problems = {p["id"]: p for p in json.loads(out)["problems"]}
    assert problems["Mbpp/9001"]["ok"] is True
    assert len(problems["Mbpp/9001"]["dropped"]) == len(DROPPED)
    assert problems["Mbpp/9003"]["ok"] is True
    assert problems["Mbpp/9002"]["ok"] is False
    assert any("no usable input" in error for error in problems["Mbpp/9002"]["errors"])
