"""PIE's formats: problem JSONL, tests folders, generations files; and PIE's summary metrics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from effilab.errors import InvalidArgument
from effilab.programs.evaluate import PairResult, ProgramOutcome, summarise
from effilab.sandbox.verdict import Verdict
from effilab.suites.pie import load_generations, load_pie


def _write_suite(tmp_path: Path) -> tuple[Path, Path]:
    records = [
        {"problem_id": "p1", "language": "cpp", "input": "slow", "target": "fast",
         "submission_id_v0": "s1", "submission_id_v1": "s2", "cpu_time_v0": 100, "cpu_time_v1": 10},
        {"problem_id": "p1", "language": "cpp", "input": "slow2", "target": "fast2",
         "submission_id_v0": "s3", "submission_id_v1": "s4"},
        {"problem_id": "p2", "language": "python", "input": "print(1)"},
    ]  # fmt: skip
    path = tmp_path / "pie.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    tests = tmp_path / "tests"
    for pid in ("p1", "p2"):
        (tests / pid).mkdir(parents=True)
        for i in (1, 0, 10):
            (tests / pid / f"input.{i}.txt").write_text(f"in{i}")
            (tests / pid / f"output.{i}.txt").write_text(f"out{i}")
    (tests / "p1" / "levels.json").write_text('{"10": 3}')
    (tests / "p2" / "rule.json").write_text('{"rule": "float", "rel": 0.01}')
    return path, tests


def test_records_tests_levels_and_rules_load(tmp_path: Path) -> None:
    path, tests = _write_suite(tmp_path)
    suite = load_pie(path, tests)
    assert [p.key for p in suite] == ["p1/s1", "p1/s3", "p2"]
    first = suite.pairs[0]
    assert first.language.name == "cpp"
    assert first.slow == b"slow"
    assert first.target == b"fast"
    assert first.meta["cpu_time_v0"] == 100
    assert [t.index for t in first.tests] == [0, 1, 10]
    assert [t.level for t in first.tests] == [0, 0, 3]
    assert first.tests[2].output == b"out10"
    assert suite.pairs[2].target is None
    assert suite.pairs[2].rule.name == "float"


def test_generations_match_by_submission_or_unique_problem(tmp_path: Path) -> None:
    path, tests = _write_suite(tmp_path)
    suite = load_pie(path, tests)
    gens = tmp_path / "gens.jsonl"
    gens.write_text(
        json.dumps({"problem_id": "p1", "submission_id_v0": "s3", "generated_answers": ["a", "b"]}) + "\n"
        + json.dumps({"problem_id": "p2", "generated_answers": "c"}) + "\n"
    )  # fmt: skip
    out = load_generations(gens, suite)
    assert out == {"p1/s3": [b"a", b"b"], "p2": [b"c"]}
    ambiguous = tmp_path / "amb.jsonl"
    ambiguous.write_text(json.dumps({"problem_id": "p1", "generated_answers": "x"}) + "\n")
    with pytest.raises(InvalidArgument, match="matches no pair"):
        load_generations(ambiguous, suite)
    assert load_generations(path, suite, column="target")["p1/s1"] == [b"fast"]
    with pytest.raises(InvalidArgument, match="no record has a column"):
        load_generations(path, suite, column="nothing")


def test_malformed_input_names_file_and_line(tmp_path: Path) -> None:
    path, tests = _write_suite(tmp_path)
    path.write_text(path.read_text() + "{not json\n")
    with pytest.raises(InvalidArgument, match=r"pie.jsonl:4"):
        load_pie(path, tests)
    (tests / "p1" / "output.0.txt").unlink()
    path.write_text(json.dumps({"problem_id": "p1", "language": "cpp", "input": "x"}) + "\n")
    with pytest.raises(InvalidArgument, match=r"output\.0\.txt"):
        load_pie(path, tests)


def _outcome(role: str, costs: dict[int, float] | None, verdict: Verdict = Verdict.OK) -> ProgramOutcome:
    return ProgramOutcome(role, 0, verdict, per_test=costs or {})


def test_summary_follows_pie() -> None:
    fast = PairResult(
        "a",
        "a",
        "cpp",
        _outcome("slow", {0: 100.0}),
        _outcome("target", {0: 50.0}),
        [_outcome("candidate", {0: 25.0}), _outcome("candidate", None, Verdict.WRONG_ANSWER)],
    )
    same = PairResult(
        "b",
        "b",
        "cpp",
        _outcome("slow", {0: 100.0}),
        _outcome("target", {0: 10.0}),
        [_outcome("candidate", {0: 105.0})],
    )
    failed = PairResult(
        "c", "c", "cpp", _outcome("slow", {0: 100.0}), None, [_outcome("candidate", None, Verdict.TIMEOUT)]
    )
    broken = PairResult("d", "d", "cpp", _outcome("slow", None), None, [], broken="slow fails")  # fmt: skip
    s = summarise([fast, same, failed, broken])
    assert fast.best_speedup == 4.0
    assert s["pairs"] == 4
    assert s["pairs_broken"] == [{"key": "d", "reason": "slow fails"}]
    assert s["candidates"] == 4
    assert s["pct_correct"] == 0.5
    # PIE's mean: 4.0, max(1, 100/105) = 1.0, no correct candidate = 1.0
    assert s["speedup_mean"] == pytest.approx(2.0)
    assert s["pct_opt"] == pytest.approx(1 / 3)
    assert s["target_speedup_geomean"] == pytest.approx((2.0 * 10.0) ** 0.5)
    assert s["pct_beats_target"] == pytest.approx(0.5)
    assert s["verdicts"] == {"ok": 2, "wrong_answer": 1, "timeout": 1}


def test_eff_at_k_scores_candidates_per_level_against_the_target() -> None:
    levels = {0: 0, 1: 1, 2: 2, 3: 3}
    target = _outcome("target", {0: 1.0, 1: 10.0, 2: 20.0, 3: 40.0})
    same = _outcome("candidate", {0: 1.0, 1: 10.0, 2: 20.0, 3: 40.0})
    slow_at_top = _outcome("candidate", {0: 1.0, 1: 10.0, 2: 20.0, 3: 80.0})
    wrong = _outcome("candidate", None, Verdict.WRONG_ANSWER)
    pair = PairResult("a", "a", "cpp", _outcome("slow", {0: 1.0, 1: 50.0, 2: 90.0, 3: 200.0}), target,
                      [same, slow_at_top, wrong], levels=levels)  # fmt: skip
    scores = pair.efficiency_scores()
    assert scores is not None
    # limit = 2 * 40 = 80: at the target's times a level scores 1; at the limit 0 (weights 3, 3, 4)
    assert scores == pytest.approx([1.0, 0.6, 0.0])
    summary = summarise([pair], ks=(1, 2))
    assert summary["eff_pairs"] == 1
    assert summary["eff@1"] == pytest.approx(1.6 / 3)
    assert summary["eff@2"] == pytest.approx((1.0 + 1.0 + 0.6) / 3)
    flat = PairResult("b", "b", "cpp", _outcome("slow", {0: 1.0}), _outcome("target", {0: 1.0}),
                      [same], levels={0: 0})  # fmt: skip
    assert flat.efficiency_scores() is None


def test_stored_results_read_back_equal(tmp_path: Path) -> None:
    from effilab.programs.store import ProgramStore

    pair = PairResult("a/s1", "a", "cpp", _outcome("slow", {0: 100.0, 3: 5.0}), None,
                      [_outcome("candidate", {0: 25.0}), _outcome("candidate", None, Verdict.COMPILE_ERROR)],
                      dropped=[{"test": 2, "reason": "r"}], levels={0: 0, 3: 2})  # fmt: skip
    with ProgramStore(tmp_path / "db.sqlite") as store:
        store.save("run1", pair)
        assert store.finished("run2") == {}
        back = store.finished("run1")["a/s1"]
    assert back.as_dict() == pair.as_dict()
    assert back.levels == pair.levels
