"""The run summary from stored rows: pass@k and eff@k per problem and overall, as the metric functions say."""

from __future__ import annotations

import math

import pytest

from effilab.evaluate import metrics
from effilab.evaluate.store import SampleRow
from effilab.evaluate.summary import summarize


def _row(task_id: str, sample: int, *, passed: bool, score: float = 0.0, speedup: float | None = None,
         beats: bool = False, dpe: float | None = None, verdict: str | None = None) -> SampleRow:  # fmt: skip
    return SampleRow(
        task_id=task_id,
        sample=sample,
        line=sample + 1,
        verdict=verdict or ("ok" if passed else "wrong_answer"),
        passed=passed,
        score=score,
        speedup=speedup,
        beats_best=beats,
        dpe=dpe,
        detail="",
        seconds=0.01,
    )


# "fast": timed, 4 samples; "quick": timed, 1 sample; "plain": correctness-only, 3 samples.
ROWS = [
    _row("fast", 0, passed=True, score=0.9, speedup=4.0, beats=True, dpe=100.0),
    _row("fast", 1, passed=False, verdict="timeout"),
    _row("fast", 2, passed=True, score=0.2, speedup=1.5, dpe=50.0),
    _row("fast", 3, passed=False, speedup=9.0, beats=True, dpe=100.0, verdict="runtime_error"),
    _row("plain", 0, passed=True),
    _row("plain", 1, passed=True),
    _row("plain", 2, passed=False),
    _row("quick", 0, passed=True, score=1.1, speedup=2.0, dpe=100.0),
]
TIMED = {"fast": True, "quick": True, "plain": False}


def _summary(ks: tuple[int, ...] = (1, 2)) -> dict[str, object]:
    summary = summarize(ROWS, ks=ks, timed=TIMED, metric="time", baseline="naive", missing=["absent"])
    return summary.to_json()


def test_per_problem_values_match_the_metric_functions() -> None:
    data = _summary()
    rows = {row["task_id"]: row for row in data["per_problem"]}  # type: ignore[attr-defined]
    assert list(rows) == ["fast", "plain", "quick"]
    fast = rows["fast"]
    assert (fast["n"], fast["correct"]) == (4, 2)
    for k in (1, 2):
        assert fast[f"pass@{k}"] == metrics.pass_at_k(4, 2, k)
        assert fast[f"eff@{k}"] == metrics.eff_at_k([0.9, 0.0, 0.2, 0.0], k)
    assert fast["pass@1"] == pytest.approx(0.5)
    assert fast["eff@1"] == pytest.approx(1.1 / 4)
    # Only passed samples count for speedups; a failed one's dpe counts as 0.
    assert fast["best_speedup"] == 4.0
    assert fast["dpe"] == pytest.approx((100.0 + 0 + 50.0 + 0) / 4)
    assert fast["verdicts"] == {"ok": 2, "timeout": 1, "runtime_error": 1}


def test_correctness_only_problems_have_no_efficiency() -> None:
    rows = {row["task_id"]: row for row in _summary()["per_problem"]}  # type: ignore[attr-defined]
    plain = rows["plain"]
    assert plain["pass@1"] == pytest.approx(2 / 3)
    assert plain["pass@2"] == metrics.pass_at_k(3, 2, 2)
    assert plain["eff@1"] is None
    assert plain["eff@2"] is None
    assert plain["best_speedup"] is None
    assert plain["dpe"] is None


def test_problems_with_fewer_samples_than_k_are_left_out_of_that_k() -> None:
    data = _summary()
    quick = {row["task_id"]: row for row in data["per_problem"]}["quick"]  # type: ignore[attr-defined]
    assert quick["pass@1"] == 1.0
    assert quick["eff@1"] == 1.1
    assert "pass@2" not in quick
    assert "eff@2" not in quick
    # k = 1: all three problems (eff: the two timed ones); k = 2: "quick" has one sample only.
    assert data["pass@1"] == pytest.approx((0.5 + 2 / 3 + 1.0) / 3)
    assert data["eff@1"] == pytest.approx((metrics.eff_at_k([0.9, 0.0, 0.2, 0.0], 1) + 1.1) / 2)
    assert data["pass@2"] == pytest.approx((metrics.pass_at_k(4, 2, 2) + metrics.pass_at_k(3, 2, 2)) / 2)
    assert data["eff@2"] == pytest.approx(metrics.eff_at_k([0.9, 0.0, 0.2, 0.0], 2))


def test_overall_efficiency_figures() -> None:
    data = _summary()
    assert data["efficient@1"] == pytest.approx((metrics.efficient_at_k(4, 1, 1) + 0.0) / 2)
    assert data["efficient@2"] == pytest.approx(metrics.efficient_at_k(4, 1, 2))
    assert data["speedup_geomean"] == pytest.approx(math.sqrt(4.0 * 2.0))
    assert data["pct_opt"] == 1.0
    assert data["dpe"] == pytest.approx((75.0 / 2 + 100.0) / 2)


def test_run_level_facts() -> None:
    data = _summary()
    assert data["metric"] == "time"
    assert data["speedup_baseline"] == "naive"
    assert data["problems"] == 3
    assert data["samples"] == 8
    assert data["verdicts"] == {"ok": 5, "runtime_error": 1, "timeout": 1, "wrong_answer": 1}
    assert data["problems_without_samples"] == ["absent"]


def test_k_larger_than_every_problem_gives_none() -> None:
    data = _summary(ks=(5,))
    assert data["pass@5"] is None
    assert data["eff@5"] is None
    assert data["efficient@5"] is None
    assert all("pass@5" not in row for row in data["per_problem"])  # type: ignore[attr-defined]


def test_only_correctness_problems_give_no_efficiency() -> None:
    rows = [r for r in ROWS if r.task_id == "plain"]
    data = summarize(rows, ks=(1,), timed=TIMED, metric="time", baseline="naive").to_json()
    assert data["pass@1"] == pytest.approx(2 / 3)
    assert data["eff@1"] is None
    assert data["speedup_geomean"] is None
    assert data["pct_opt"] is None
    assert data["dpe"] is None


def test_no_rows() -> None:
    summary = summarize([], ks=(1,), timed={}, metric="time", baseline="naive", missing=["a", "b"])
    assert summary.problems == ()
    data = summary.to_json()
    assert data["pass@1"] is None
    assert data["samples"] == 0
    assert data["problems_without_samples"] == ["a", "b"]


def test_unknown_task_is_treated_as_untimed() -> None:
    rows = [_row("mystery", 0, passed=True, score=0.7)]
    data = summarize(rows, ks=(1,), timed={}, metric="time", baseline="naive").to_json()
    assert data["per_problem"][0]["eff@1"] is None
    assert data["pass@1"] == 1.0
