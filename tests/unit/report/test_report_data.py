"""Reading what a report shows: runs, summaries, code, optimize trajectories, --json outputs."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pytest

from effilab.errors import InvalidArgument
from effilab.evaluate.summary import summarize
from effilab.report.data import (
    CompareData,
    OptimizeRun,
    ScaleData,
    json_source,
    load_eval_run,
    load_json_source,
    load_optimize_runs,
    open_read_only,
    resolve_run,
)
from fakes import report_store


@pytest.fixture
def results(tmp_path: Path) -> Path:
    return report_store.build(tmp_path)


def test_the_summary_is_evaluates_own(results: Path) -> None:
    db = open_read_only(results)
    run = load_eval_run(db, "run-a", ks=(1, 2), base=results.parent)
    rows = [s.row for s in run.samples]
    expected = summarize(
        rows,
        ks=(1, 2),
        timed=dict.fromkeys(report_store.TASKS, True),
        metric="time",
        baseline="slowest reference",
    )
    assert run.summary.metric_values() == expected.metric_values()
    assert len(run.samples) == 8
    assert all(len(s.row.levels) == (4 if s.row.passed else 1) for s in run.samples)
    # 2 of every 3 samples pass: pass@1 is the mean over problems of correct / n.
    assert run.summary.metric_values()["pass@1"] == pytest.approx(3 / 4)


def test_code_comes_back_from_the_samples_file(results: Path) -> None:
    db = open_read_only(results)
    run = load_eval_run(db, "run-a", ks=(1,), base=results.parent)
    first = next(s for s in run.samples if s.row.task_id == "coin-change-ways" and s.row.sample == 1)
    assert first.code is not None
    assert "return 1  # coin-change-ways" in first.code
    assert run.notes == ()


def test_a_changed_samples_file_shows_no_code_and_says_why(results: Path) -> None:
    (results.parent / "a.jsonl").write_text('{"task_id": "coin-change-ways", "solution": "x = 1"}\n')
    run = load_eval_run(open_read_only(results), "run-a", ks=(1,), base=results.parent)
    assert all(s.code is None for s in run.samples)
    assert any("has changed since it was evaluated" in note for note in run.notes)
    (results.parent / "a.jsonl").unlink()
    run = load_eval_run(open_read_only(results), "run-a", ks=(1,), base=results.parent)
    assert any("is gone" in note for note in run.notes)


def test_timed_ratio_sums_the_timed_levels(results: Path) -> None:
    run = load_eval_run(open_read_only(results), "run-a", ks=(1,), base=results.parent)
    sample = next(s for s in run.samples if s.row.task_id == "anagram-pair-count" and s.row.sample == 1)
    assert sample.timed_ratio == pytest.approx(0.5 + 0.4)
    failed = next(s for s in run.samples if not s.row.passed)
    assert failed.timed_ratio is None


def test_runs_are_named_by_id_or_unique_prefix(results: Path) -> None:
    db = open_read_only(results)
    assert resolve_run(db, None, results) == "run-b"  # the latest
    assert resolve_run(db, "run-a", results) == "run-a"
    with pytest.raises(InvalidArgument, match="2 evaluation runs"):
        resolve_run(db, "run", results)
    with pytest.raises(InvalidArgument, match="no evaluation run"):
        resolve_run(db, "zzz", results)


def test_the_results_file_is_only_read(tmp_path: Path) -> None:
    path = tmp_path / "only-optimize.sqlite"
    report_store.add_optimize_run(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    db = open_read_only(path)
    runs = load_optimize_runs(db, None)
    db.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    tables = {r[0] for r in open_read_only(path).execute("SELECT name FROM sqlite_master")}
    assert "runs" not in tables  # evaluate's tables were not created by reading
    assert [r.target for r in runs] == ["pkg/mod.py::slow"]


def test_optimize_attempts_keep_verdicts_speedups_and_code(results: Path) -> None:
    (run,) = load_optimize_runs(open_read_only(results), None)
    assert run.accepted is True
    assert run.speedup == 3.5
    assert [(a.index, a.verdict, a.speedup) for a in run.attempts] == [
        (1, "wrong_answer", None),
        (2, "not_faster", 1.02),
        (3, "accepted", 3.5),
    ]
    assert run.attempts[2].ci == (3.1, 3.9)
    assert run.attempts[0].failing_input == "(3,)"
    assert run.attempts[1].code == "def slow():\n    return 2\n"
    with pytest.raises(InvalidArgument, match="--optimize-run '9'"):
        load_optimize_runs(open_read_only(results), ["9"])


def test_not_a_results_file_is_one_line(tmp_path: Path) -> None:
    text = tmp_path / "x.sqlite"
    text.write_text("hello")
    with pytest.raises(InvalidArgument, match="not an SQLite results file"):
        open_read_only(text)
    with pytest.raises(InvalidArgument, match="no such file"):
        open_read_only(tmp_path / "absent.sqlite")


def test_json_outputs_are_recognised_by_their_keys(tmp_path: Path) -> None:
    assert isinstance(json_source(report_store.SCALE_JSON, "s"), ScaleData)
    assert isinstance(json_source(report_store.COMPARE_JSON, "c"), CompareData)
    optimize = {
        "target": "m.py::f",
        "accepted": False,
        "speedup": None,
        "run_id": 4,
        "attempts": [{"index": 1, "verdict": "not_faster", "speedup": 1.01, "ci": [0.9, math.inf]}],
    }
    run = json_source(optimize, "o")
    assert isinstance(run, OptimizeRun)
    assert run.run_id == "4"
    assert run.attempts[0].ci is None  # an infinite bound is not a drawable interval
    path = tmp_path / "scale.json"
    path.write_text(json.dumps(report_store.SCALE_JSON))
    assert isinstance(load_json_source(path), ScaleData)
    path.write_text('{"something": 1}')
    with pytest.raises(InvalidArgument, match="not the --json output"):
        load_json_source(path)
    path.write_text("{not json")
    with pytest.raises(InvalidArgument, match="not a results file nor a readable JSON file"):
        load_json_source(path)
