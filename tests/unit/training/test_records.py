"""Training records: which solution is taught, which pairs are significant preferences, record layouts."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from effilab.errors import InvalidArgument
from effilab.training.export import write_records
from effilab.training.records import (
    Candidate,
    OptimizedFrom,
    Prompt,
    SignificanceRule,
    best_candidate,
    dpo_records,
    preference,
    rrhf_record,
    sft_record,
    sign_test_p,
)

PROMPT = Prompt("t", "suite", ({"role": "user", "content": "Write f."},))
RULE = SignificanceRule()


def cand(code: str, *, passed: bool = True, tests: tuple[float, ...] = (), run: str = "r", sample: int = 0,
         speedup: float | None = None, **fields: Any) -> Candidate:  # fmt: skip
    return Candidate(task_id="t", code=code, passed=passed, verdict="ok" if passed else "wrong_answer",
                     run_id=run, sample=sample, speedup=speedup, tests=tests, **fields)  # fmt: skip


def test_sign_test_p_matches_the_binomial_tail() -> None:
    assert sign_test_p(6, 6) == pytest.approx(1 / 64)
    assert sign_test_p(10, 12) == pytest.approx((math.comb(12, 10) + 12 + 1) / 4096)
    assert sign_test_p(0, 5) == 1.0
    assert sign_test_p(0, 0) == 1.0
    assert sign_test_p(1000, 1000) > 0.0  # large n: exact integers, no overflow


def test_correct_beats_wrong_always() -> None:
    good, bad = cand("a", sample=0), cand("b", passed=False, sample=1, run="other")
    pref = preference(bad, good, RULE)
    assert pref is not None
    assert (pref.chosen, pref.rejected, pref.kind, pref.margin) == (good, bad, "correctness", None)


def test_two_wrong_or_identical_programs_are_no_pair() -> None:
    assert preference(cand("a", passed=False), cand("b", passed=False, sample=1), RULE) is None
    same = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    assert (
        preference(cand("a", tests=same), cand(" a\n", tests=tuple(3 * x for x in same), sample=1), RULE)
        is None
    )


def test_a_faster_sample_of_the_same_run_needs_the_sign_test_and_the_ratio() -> None:
    fast = cand("fast", tests=(1.0,) * 6, sample=0)
    slow = cand("slow", tests=(2.0,) * 6, sample=1)
    pref = preference(slow, fast, RULE)
    assert pref is not None
    assert pref.kind == "efficiency"
    assert pref.chosen is fast
    assert pref.margin == pytest.approx(2.0)
    assert (pref.wins, pref.tests) == (6, 6)
    assert pref.p_value == pytest.approx(1 / 64)
    # Within the noise margin: 1.3x cheaper on every test is not enough.
    assert preference(cand("x", tests=(1.0,) * 6), cand("y", tests=(1.3,) * 6, sample=1), RULE) is None
    # 2x cheaper in total, but only on one test of six (one outlier): the sign test refuses it.
    mixed = cand("m", tests=(1.0, 1.0, 1.0, 1.0, 1.0, 20.0), sample=2)
    flat = cand("f", tests=(1.1, 1.1, 1.1, 1.1, 1.1, 1.0), sample=3)
    assert preference(mixed, flat, RULE) is None
    # A looser rule keeps the 1.3x pair.
    assert preference(cand("x", tests=(1.0,) * 6), cand("y", tests=(1.3,) * 6, sample=1),
                      SignificanceRule(min_ratio=1.2)) is not None  # fmt: skip


def test_censored_tests_count_as_slower_and_samples_of_other_runs_are_not_paired() -> None:
    fast = cand("fast", tests=(1.0,) * 6)
    censored = cand("slow", tests=(1.5, 1.5, 3.0, 3.0, math.inf, math.inf), sample=1)
    pref = preference(fast, censored, RULE)
    assert pref is not None
    assert pref.chosen is fast
    assert pref.margin is None
    other_run = cand("slow", tests=(9.0,) * 6, run="r2")
    assert preference(fast, other_run, RULE) is None


def test_an_optimized_version_is_preferred_to_its_original_only_with_an_interval_above_one() -> None:
    original = cand("orig", run="samples", sample=3, speedup=2.0, model="m")
    made = OptimizedFrom("samples", 3, speedup=4.0, ci=(3.1, 5.2), optimize_run=7)
    optimized = cand("opt", run="verify", sample=0, speedup=8.0, optimized=made)
    pref = preference(original, optimized, RULE)
    assert pref is not None
    assert pref.kind == "optimization"
    assert (pref.chosen, pref.margin, pref.ci) == (optimized, 4.0, (3.1, 5.2))
    unproven = cand("opt2", run="verify", sample=1,
                    optimized=OptimizedFrom("samples", 3, speedup=1.4, ci=(0.9, 2.0)))  # fmt: skip
    assert not unproven.verified
    assert preference(original, unproven, RULE) is None
    # An optimized version is not compared with samples it was not made from.
    stranger = cand("other", run="samples", sample=4, speedup=1.0)
    assert preference(stranger, optimized, RULE) is None


def test_best_candidate_is_the_fastest_verified_one() -> None:
    wrong = cand("w", passed=False, speedup=None)
    slow = cand("s", speedup=1.5, sample=1)
    fast = cand("f", speedup=6.0, sample=2)
    empty = cand("   ", speedup=50.0, sample=3)  # an empty answer is never taught
    assert best_candidate([wrong, slow, fast, empty]) is fast
    assert best_candidate([wrong]) is None
    record = sft_record(PROMPT, fast)
    assert record["messages"] == [
        {"role": "user", "content": "Write f."},
        {"role": "assistant", "content": "```python\nf\n```"},
    ]
    assert (record["task_id"], record["speedup"], record["source"]) == ("t", 6.0, "sample")


def test_dpo_records_put_efficiency_pairs_first_and_respect_the_limit() -> None:
    fast = cand("fast", tests=(1.0,) * 6, speedup=4.0)
    slow = cand("slow", tests=(3.0,) * 6, speedup=1.3, sample=1)
    wrong = cand("wrong", passed=False, sample=2)
    records = dpo_records(PROMPT, [wrong, slow, fast], RULE)
    assert [r["kind"] for r in records] == ["efficiency", "correctness", "correctness"]
    first = records[0]
    assert first["chosen"][0]["content"] == "```python\nfast\n```"
    assert first["rejected"][0]["content"] == "```python\nslow\n```"
    assert first["margin"] == pytest.approx(3.0)
    assert records[1]["chosen_speedup"] == 4.0  # the best verified one against the wrong one first
    assert len(dpo_records(PROMPT, [wrong, slow, fast], RULE, limit=1)) == 1


def test_rrhf_ranks_wrong_below_slow_below_fast_and_merges_duplicates() -> None:
    responses = [cand("w", passed=False), cand("s", speedup=1.2, sample=1),
                 cand("f", speedup=5.0, sample=2), cand("f\n", speedup=4.0, sample=3)]  # fmt: skip
    records = rrhf_record(PROMPT, responses)
    assert records is not None
    assert records["scores"] == [5.0, 1.2, 0.0]
    assert records["verdicts"] == ["ok", "ok", "wrong_answer"]
    assert rrhf_record(PROMPT, [cand("only")]) is None


def test_rule_bounds() -> None:
    with pytest.raises(InvalidArgument, match="min_ratio"):
        SignificanceRule(min_ratio=0.5)
    with pytest.raises(InvalidArgument, match="alpha"):
        SignificanceRule(alpha=1.0)


def test_write_records_jsonl_is_atomic_and_refuses_a_missing_folder(tmp_path: Path) -> None:
    out = tmp_path / "d.jsonl"
    write_records([{"a": 1}, {"a": 2}], out)
    assert [json.loads(line) for line in out.read_text().splitlines()] == [{"a": 1}, {"a": 2}]
    assert [p.name for p in tmp_path.iterdir()] == ["d.jsonl"]  # no temporary file left
    with pytest.raises(InvalidArgument, match="does not exist"):
        write_records([], tmp_path / "missing" / "d.jsonl")


def test_parquet_without_pyarrow_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(InvalidArgument, match=r"Parquet needs pyarrow: pip install 'effilab\[parquet\]'"):
        write_records([{"a": 1}], tmp_path / "d.parquet")
    assert not list(tmp_path.iterdir())
