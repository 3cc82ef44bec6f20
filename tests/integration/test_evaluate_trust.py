"""The timed pass trusts nothing the sample's process says (issue 11), seen end to end on the mini suite.

Values returned under measurement are checked; a sample censored on one level is still checked on the
later ones (outside ENAMEL's suites); generated inputs come from a secret seed per run, kept on resume.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

from effilab.cli.main import main

DATA = Path(__file__).parents[1] / "data"
MINI = DATA / "suites" / "mini"

HONEST = "def count_distinct(nums):\n    return len(set(nums))\n"
# Right whenever the harness's plain call path runs it, wrong (and instant) when the measurement path
# does: it tells them apart by its caller, as a program may.
TIMING_AWARE = (
    "import sys\n\n\n"
    "def count_distinct(nums):\n"
    "    names = set()\n"
    "    frame = sys._getframe(1)\n"
    "    while frame is not None:\n"
    "        names.add(frame.f_code.co_name)\n"
    "        frame = frame.f_back\n"
    "    if 'run' in names and 'call' not in names:\n"
    "        return 0\n"
    "    return len(set(nums))\n"
)
# Too slow on level 1 (size 40: it spins), so censored there; wrong on level 2 (size 80).
CENSORED_THEN_WRONG = (
    "def count_distinct(nums):\n"
    "    if len(nums) == 40:\n"
    "        while True:\n"
    "            pass\n"
    "    if len(nums) == 80:\n"
    "        return -1\n"
    "    return len(set(nums))\n"
)


def evaluate(tmp_path: Path, db: str, *solutions: str, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    samples = tmp_path / "samples.jsonl"
    samples.write_text(
        "".join(json.dumps({"task_id": "count-distinct", "solution": s}) + "\n" for s in solutions)
    )
    suite = tmp_path / "mini"
    if not suite.exists():
        shutil.copytree(MINI / "count-distinct", suite / "count-distinct")
    out, err = io.StringIO(), io.StringIO()
    argv = ["evaluate", "--suite", str(suite), "--samples", str(samples), "--db", str(tmp_path / db),
            "--json", "--workers", "1", *extra]  # fmt: skip
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    assert status == 0, err.getvalue()
    report: dict[str, Any] = json.loads(out.getvalue())
    return report


def test_a_sample_that_answers_wrongly_only_under_measurement_is_wrong(tmp_path: Path) -> None:
    report = evaluate(tmp_path, "r.sqlite", HONEST, TIMING_AWARE)
    assert report["verdicts"] == {"ok": 1, "wrong_answer": 1}
    [problem] = report["per_problem"]
    assert problem["correct"] == 1


def test_a_censored_sample_is_still_checked_on_later_levels(tmp_path: Path) -> None:
    report = evaluate(tmp_path, "r.sqlite", CENSORED_THEN_WRONG)
    assert report["verdicts"] == {"wrong_answer": 1}
    assert report["pass@1"] == 0


def test_each_run_draws_a_secret_seed_that_a_resume_keeps(tmp_path: Path) -> None:
    first = evaluate(tmp_path, "a.sqlite", HONEST)
    resumed = evaluate(tmp_path, "a.sqlite", HONEST)
    other = evaluate(tmp_path, "b.sqlite", HONEST)
    fixed = evaluate(tmp_path, "c.sqlite", HONEST, extra=("--seed", "1234"))
    assert isinstance(first["seed"], int)
    assert resumed["seed"] == first["seed"]
    assert resumed["evaluated_now"] == 0
    assert other["seed"] != first["seed"]
    assert fixed["seed"] == 1234


# On level 1 (size 40): stalls when the input's sum is even, is wrong when it is odd. With --seed 3 the
# level's first case has an even sum and its second an odd one (the generator's inputs are fixed by it).
STALL_THEN_WRONG_SAME_LEVEL = (
    "def count_distinct(nums):\n"
    "    if len(nums) == 40:\n"
    "        if sum(nums) % 2 == 0:\n"
    "            while True:\n"
    "                pass\n"
    "        return -1\n"
    "    return len(set(nums))\n"
)


def test_stalling_on_one_case_does_not_hide_wrong_answers_on_the_rest_of_its_level(tmp_path: Path) -> None:
    report = evaluate(tmp_path, "r.sqlite", STALL_THEN_WRONG_SAME_LEVEL, extra=("--seed", "3"))
    assert report["verdicts"] == {"wrong_answer": 1}
