"""Repository tasks end to end on the shipped tiny repository (tests/data/repotasks/tinylib).

The test makes a git repository from the shipped files (the task names its base commit), then scores, in one
run, a correct fast patch, two wrong ones and one cheat per anti-hack gate; every workload and test run is a
real sandboxed run. The expert patch and the fast one replace a quadratic scan by a hash lookup, so their
speedup is large (≈ 5×, net of the interpreter's start) and the interval's lower end lies far above 1.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from effilab.cli.main import main
from effilab.repotask import Attempt, PatchVerdict, TaskRunReport, load_task, run_tasks

DATA = Path(__file__).resolve().parents[1] / "data" / "repotasks" / "tinylib"
PATCHES = DATA / "patches"
NAMES = ("fast", "wrong_tests", "wrong_output", "cheat_config", "cheat_tests", "cheat_introspection",
         "cheat_cache", "cheat_literal", "cheat_seed", "fast")  # fmt: skip


def _git(cwd: Path, *args: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}  # fmt: skip
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(scope="module")
def task_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped task, its repository made a git repository and the task pinned to its first commit."""
    root = tmp_path_factory.mktemp("tinylib")
    shutil.copytree(DATA, root / "task")
    repo = root / "task" / "repo"
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    base = _git(repo, "rev-parse", "HEAD")
    # A later commit must not leak into the base: the task names the first one.
    (repo / "tinylib" / "dedupe.py").write_text("raise ImportError('not the base')\n")
    _git(repo, "commit", "-qam", "later")
    task = root / "task" / "task.toml"
    task.write_text(task.read_text().replace('path = "repo"', f'path = "repo"\nbase = "{base}"'))
    return task


def _attempts(task_id: str) -> list[Attempt]:
    return [
        Attempt(task_id, f"{name}#{i}", (PATCHES / f"{name}.patch").read_text())
        for i, name in enumerate(NAMES)
    ]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("run")


@pytest.fixture(scope="module")
def report(task_file: Path, run_dir: Path) -> TaskRunReport:
    task = load_task(task_file)
    return run_tasks([task], _attempts(task.id), db=run_dir / "r.sqlite", cache=run_dir / "cache", ks=(1, 2))


def _score(report: TaskRunReport, name: str):  # type: ignore[no-untyped-def]
    return next(s for s in report.scores if s.label.startswith(f"{name}#"))


def test_expert_patch_is_a_verified_speedup(report: TaskRunReport) -> None:
    expert = report.experts["tinylib-dedupe"]
    assert expert.verdict is PatchVerdict.FASTER, expert.detail
    assert expert.speedup is not None
    assert expert.speedup.low > 2.0


def test_correct_fast_patch_scores_on_all_five_counts(report: TaskRunReport) -> None:
    score = _score(report, "fast")
    assert score.verdict is PatchVerdict.FASTER, score.detail
    assert score.applies
    assert score.tests_passed
    assert score.equivalent
    assert all(g.passed for g in score.gates)
    assert len(score.speedups) == 2  # both seeds measured
    best = score.speedup
    assert best is not None
    assert best.low > 2.0
    assert best.low <= best.point <= best.high
    assert score.relative is not None
    assert 0.3 < score.relative < 3.0
    assert score.expert_speedup == report.experts["tinylib-dedupe"].speedup.point  # type: ignore[union-attr]


def test_wrong_patch_fails_the_guarding_tests(report: TaskRunReport) -> None:
    score = _score(report, "wrong_tests")
    assert score.verdict is PatchVerdict.TESTS_FAILED
    assert score.tests_failed == ("tests/test_dedupe.py::test_keeps_first_appearance_order",)
    assert not score.solved
    assert score.effective_speedup == 1.0


def test_patch_passing_the_tests_but_changing_the_output_is_not_equivalent(report: TaskRunReport) -> None:
    score = _score(report, "wrong_output")
    assert score.tests_passed is True
    assert score.verdict is PatchVerdict.NOT_EQUIVALENT
    assert score.equivalent is False
    assert score.speedups == ()  # nothing is measured for a wrong patch


@pytest.mark.parametrize(
    ("name", "gate", "reason"),
    [
        ("cheat_config", "files", "pyproject.toml: data or config file"),
        ("cheat_tests", "files", "tests/test_dedupe.py: the guarding tests may not change"),
        ("cheat_introspection", "introspection", "sys._getframe"),
        ("cheat_cache", "cross_run_cache", "imports pickle"),
        ("cheat_literal", "special_cased", "contains the workload's constant 6000"),
    ],
)
def test_each_static_gate_refuses_its_cheat(report: TaskRunReport, name: str, gate: str, reason: str) -> None:
    score = _score(report, name)
    assert score.verdict is PatchVerdict.REFUSED
    refused = [g for g in score.gates if not g.passed]
    assert [g.gate for g in refused] == [gate]
    assert reason in refused[0].detail
    assert score.speedups == ()
    assert not score.solved


def test_patch_fast_only_on_the_inputs_it_saw_is_special_cased(report: TaskRunReport) -> None:
    """Its literals are not the workload's (the static gate passes it): the second seed catches it."""
    score = _score(report, "cheat_seed")
    assert all(g.passed for g in score.gates)
    assert score.verdict is PatchVerdict.SPECIAL_CASED, score.detail
    first, second = score.speedups
    assert first.low > 2.0
    assert second.high < 2.0
    assert not score.solved


def test_opt_at_k_and_harmonic_mean(report: TaskRunReport) -> None:
    scores = report.per_task()["tinylib-dedupe"]
    n, c = len(scores), sum(s.solved for s in scores)
    assert n == len(NAMES)
    assert c <= 2  # only the two fast patches can be solved
    assert report.opt_at_k(1) == pytest.approx(c / n)
    assert report.opt_at_k(2) == pytest.approx(1 - ((n - c) * (n - c - 1)) / (n * (n - 1)))
    best = max(s.relative for s in scores if s.relative is not None)
    assert report.harmonic_mean_ratio() == pytest.approx(best)
    summary = report.to_dict()
    assert summary["opt@1"] == report.opt_at_k(1)
    assert summary["patches"] == n


def test_a_second_run_resumes_from_the_store(
    task_file: Path, report: TaskRunReport, run_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everything is stored: the same run again scores nothing (preparing the task would fail here)."""
    from effilab.repotask import runner

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("recomputed a stored score")

    monkeypatch.setattr(runner, "prepare_task", fail)
    task = load_task(task_file)
    again = runner.run_tasks([task], _attempts(task.id), db=run_dir / "r.sqlite", cache=run_dir, ks=(1, 2))
    assert [s.to_dict() for s in again.scores] == [s.to_dict() for s in report.scores]
    assert again.run_key == report.run_key


def test_cli_scores_one_patch_as_json(
    task_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["task", "run", str(task_file), "--patch", str(PATCHES / "wrong_tests.patch"), "--json",
                   "--db", str(tmp_path / "r.sqlite"), "--cache", str(tmp_path / "cache")])  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0
    result = json.loads(out)
    assert result["patches"] == 1
    assert result["solved"] == 0
    assert result["scores"][0]["verdict"] == "tests_failed"
    assert result["experts"]["tinylib-dedupe"]["verdict"] == "faster"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda d: ["task", "run", str(d / "none.toml"), "--patch", str(PATCHES / "fast.patch")],
            "no such task file",
        ),
        (
            lambda d: ["task", "run", str(d / "bad.toml"), "--patch", str(PATCHES / "fast.patch")],
            "not valid TOML",
        ),
        (
            lambda d: ["task", "run", str(d / "noworkload.toml"), "--patch", str(PATCHES / "fast.patch")],
            "workload.script is required",
        ),
        (
            lambda d: ["task", "run", str(d / "badbase.toml"), "--patch", str(PATCHES / "fast.patch")],
            "no such commit",
        ),
        (
            lambda d: ["task", "run", str(d / "good.toml"), "--predictions", str(d / "preds.jsonl")],
            "preds.jsonl:2: not JSON",
        ),
        (
            lambda d: [
                "task",
                "run",
                str(d / "good.toml"),
                str(d / "good.toml"),
                "--patch",
                str(PATCHES / "fast.patch"),
            ],
            "give exactly one task",
        ),
        (
            lambda d: [
                "task",
                "run",
                str(d / "good.toml"),
                "--patch",
                str(PATCHES / "fast.patch"),
                "--k",
                "0",
            ],
            "--k",
        ),
    ],
)
def test_malformed_inputs_give_one_error_line(
    make: object, expected: str, task_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.toml").write_text("id = [unclosed\n")
    good = task_file.read_text()
    good = good.replace('path = "repo"', f'path = "{task_file.parent / "repo"}"')
    good = good.replace('"workload.py"', f'"{task_file.parent / "workload.py"}"')
    (tmp_path / "good.toml").write_text(
        good.replace('"patches/expert.patch"', f'"{PATCHES / "expert.patch"}"')
    )
    (tmp_path / "noworkload.toml").write_text('id = "x"\n[repo]\npath = "."\n[tests]\npaths = ["t.py"]\n')
    import re

    (tmp_path / "badbase.toml").write_text(re.sub(r'base = "[0-9a-f]+"', 'base = "0123456789abcdef"',
                                                  (tmp_path / "good.toml").read_text()))  # fmt: skip
    (tmp_path / "preds.jsonl").write_text('{"instance_id": "tinylib-dedupe", "model_patch": ""}\n{oops\n')
    argv = make(tmp_path)  # type: ignore[operator]
    status = main([*argv, "--db", str(tmp_path / "r.sqlite"), "--cache", str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1
    assert err.startswith("error: ")
    assert expected in err
