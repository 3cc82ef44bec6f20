"""The public Python API: every function called, results typed, ``to_dict()`` the object ``--json`` prints,
progress only through the callback, bad arguments refused before anything is opened."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import effilab
from effilab import api
from effilab.cli.main import main
from effilab.measure import CompareVerdict
from effilab.reports import ProgressEvent, ProgressKind
from effilab.sandbox import Verdict
from effilab.suites.model import Suite
from fakes.openai_server import FakeOpenAI, Reply

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = Path(__file__).parent / "programs"
WORK = PROGRAMS / "work.py"
GEN = PROGRAMS / "gen_n.py"
MINI = ROOT / "tests" / "data" / "suites" / "mini"
PRIMES = ROOT / "examples" / "primes.py"
FAST = "def count_distinct(nums):\n    return len(set(nums))\n"
WRONG = "def count_distinct(nums):\n    return len(nums)\n"


def _nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


def _cli_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, Any]:
    assert main(argv) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def test_the_functions_are_reexported_from_the_package() -> None:
    for name in ("evaluate", "compare", "scale", "optimize", "run", "load_suite", "doctor"):
        assert getattr(effilab, name) is getattr(api, name)
        assert name in effilab.__all__
    with pytest.raises(AttributeError):
        _ = effilab.no_such_function  # type: ignore[attr-defined]


def test_run_returns_the_verdict_and_the_exec_json(capsys: pytest.CaptureFixture[str]) -> None:
    report = effilab.run(PRIMES, entry="count_primes", args=[100])
    assert report.verdict is Verdict.OK
    assert report.output == 25
    cli = _cli_json(capsys, ["exec", str(PRIMES), "--entry", "count_primes", "--args", "[100]", "--json"])
    mine = report.to_dict()
    assert mine.keys() == cli.keys()
    for key in ("verdict", "output", "output_tagged", "error", "isolation", "isolation_tier", "python"):
        assert mine[key] == cli[key], key


def test_a_candidate_failure_is_a_verdict_not_an_exception() -> None:
    report = effilab.run(ROOT / "examples" / "hostile.py", entry="spin", timeout=0.5)
    assert report.verdict is Verdict.TIMEOUT
    assert report.output is None
    assert report.to_dict()["censored"] is True


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: effilab.run(PRIMES, entry="count_primes", timeout=1e308), "timeout=1e+308"),
        (lambda: effilab.run(PRIMES, entry="count_primes", timeout=float("nan")), "timeout=nan"),
        (lambda: effilab.run(PRIMES, entry="count_primes", memory_mb=10**15), "memory_mb=1000000000000000"),
        (lambda: effilab.run(PRIMES, entry="count_primes", args=[_nested(300)]),
         "nested"),
        (lambda: effilab.run(PRIMES, entry="count_primes", args="[1]"), "args"),  # type: ignore[arg-type]
        (lambda: effilab.run(PRIMES, entry="count_primes", isolation="docker"), "isolation='docker'"),
        (lambda: effilab.compare(WORK, WORK, entry="linear", inputs=GEN, confidence=1.5), "confidence=1.5"),
        (lambda: effilab.compare(WORK, WORK, entry="linear", inputs=GEN, budget=-1), "budget=-1"),
        (lambda: effilab.compare(WORK, WORK, entry="linear", inputs=GEN, cases=0), "cases=0"),
        (lambda: effilab.compare(WORK, WORK, entry="linear", inputs=GEN, metric="x"), "metric='x'"),
        (lambda: effilab.scale(WORK, entry="linear", inputs=GEN, sizes=[1, 2, 10**30]), "sizes="),
        (lambda: effilab.scale(WORK, entry="linear", inputs=GEN, sizes="1,2,3"), "sizes="),  # type: ignore[arg-type]
        (lambda: effilab.scale(WORK, entry="linear", inputs=GEN, sizes=[1, 2, 3], samples=0), "samples=0"),
        (lambda: effilab.load_suite("no-such-suite"), "no-such-suite"),
        (lambda: effilab.optimize(f"{WORK}::linear", strategy="refine"), "--model"),
        (lambda: effilab.optimize(f"{WORK}::linear", time_budget=1e308), "time_budget=1e+308"),
        (lambda: effilab.optimize(f"{WORK}::linear", n=0), "n=0"),
    ],
)  # fmt: skip
def test_bad_arguments_raise_invalid_argument_naming_the_value(call: Any, named: str) -> None:
    with pytest.raises(effilab.InvalidArgument, match=re.escape(named)):
        call()


def _samples(tmp_path: Path, *programs: str) -> Path:
    path = tmp_path / "samples.jsonl"
    path.write_text(
        "".join(json.dumps({"task_id": "count-distinct", "solution": p}) + "\n" for p in programs)
    )
    return path


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("alpha", 1e308),
        ("alpha", 1.0),
        ("repetitions", 0),
        ("oracle_timeout", 1e308),
        ("memory_mb", 10**15),
        ("oracle_memory_mb", 10**15),
        ("seed", -1),
        ("workers", 0),
        ("k", 0),
        ("k", ()),
        ("metric", "speed"),
        ("baseline", "nobody"),
    ],
)
def test_evaluate_refuses_bad_arguments_before_opening_the_store(
    tmp_path: Path, option: str, value: object
) -> None:
    db = tmp_path / "r.sqlite"
    with pytest.raises(effilab.InvalidArgument, match=re.escape(f"{option}=")):
        effilab.evaluate(suite=MINI, samples=_samples(tmp_path, FAST), db=db, **{option: value})  # type: ignore[arg-type]
    assert not db.exists()


def test_evaluate_scores_reports_progress_and_matches_the_cli_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    samples, db = _samples(tmp_path, FAST, WRONG), tmp_path / "r.sqlite"
    events: list[ProgressEvent] = []
    report = effilab.evaluate(suite=str(MINI), samples=samples, k=1, db=db, workers=1, repetitions=1,
                              progress=events.append)  # fmt: skip
    assert capsys.readouterr() == ("", "")  # nothing printed by the library
    assert report.metric("pass@1") == pytest.approx(0.5)
    assert report.suite == "mini"
    assert report.summary.ks == (1,)
    assert [e.kind for e in events][:1] == [ProgressKind.START]
    assert sum(e.kind is ProgressKind.ADVANCE for e in events) == 2
    assert events[-1].done == events[-1].total == 2
    mine = report.to_dict()
    assert mine["evaluated_now"] == 2
    # The same command again resumes the same run: the CLI's JSON has the same keys and scores.
    argv = ["evaluate", "--suite", str(MINI), "--samples", str(samples), "--db", str(db), "--k", "1",
            "--workers", "1", "--repetitions", "1", "--json"]  # fmt: skip
    cli = _cli_json(capsys, argv)
    assert cli.keys() == mine.keys()
    assert cli["run_id"] == mine["run_id"]
    assert cli["already_done"] == 2
    for key in ("pass@1", "eff@1", "verdicts", "per_problem", "samples", "problems"):
        assert cli[key] == mine[key], key


def test_compare_and_scale_return_typed_results_and_report_progress(
    capsys: pytest.CaptureFixture[str],
) -> None:
    events: list[ProgressEvent] = []
    compared = effilab.compare(WORK, WORK, entry="linear", inputs=GEN, size=2000, cases=2, budget=2,
                               progress=events.append)  # fmt: skip
    assert isinstance(compared.verdict, CompareVerdict)
    assert compared.verdict is not CompareVerdict.INCORRECT
    data = compared.to_dict()
    assert {"metric", "a", "b", "speedup", "ci", "verdict", "correct", "warnings", "metadata"} <= data.keys()
    assert data["verdict"] == compared.verdict.value
    assert all(e.kind is ProgressKind.ADVANCE for e in events)
    scaled = effilab.scale(WORK, entry="quadratic", inputs=GEN, sizes=[50, 100, 200], samples=2,
                           progress=events.append)  # fmt: skip
    assert [e.done for e in events if e.message.startswith("(size")] == [50, 100, 200]
    assert len(scaled.to_dict()["points"]) == 3
    assert scaled.complexity is not None
    assert capsys.readouterr() == ("", "")


def test_load_suite_and_doctor(capsys: pytest.CaptureFixture[str]) -> None:
    suite = effilab.load_suite(MINI)
    assert isinstance(suite, Suite)
    assert sorted(p.id for p in suite) == ["count-distinct", "topo-order"]
    report = effilab.doctor()
    assert [tier.name for tier in report.capabilities.tiers] == ["bwrap", "process"]
    cli = _cli_json(capsys, ["doctor", "--json"])
    mine = report.to_dict()
    assert mine.keys() == cli.keys()
    assert mine["cost_backends"] == cli["cost_backends"]
    assert [t["available"] for t in mine["tiers"]] == [t["available"] for t in cli["tiers"]]


MODULE = "def count_distinct(items: list[int]) -> int:\n    seen = []\n    for item in items:\n" \
    "        if item not in seen:\n            seen.append(item)\n    return len(seen)\n"  # fmt: skip


def test_optimize_with_a_model_that_only_answers_wrongly_accepts_nothing(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / "shop").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "shop"\nversion = "0"\n')
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "stock.py").write_text(MODULE)
    wrong = "```python\ndef count_distinct(items: list[int]) -> int:\n    return len(items)\n```\n"
    events: list[ProgressEvent] = []
    with FakeOpenAI([Reply.text(wrong)]) as server:
        report = effilab.optimize(f"{root / 'shop' / 'stock.py'}::count_distinct", strategy="best-of-n",
                                  model="fake", base_url=server.base_url, api_key="sk-test", n=1,
                                  max_calls=1, run_tests=False, measure_budget=5, db=tmp_path / "r.sqlite",
                                  progress=events.append)  # fmt: skip
    assert report.accepted is False
    assert report.speedup is None
    data = report.to_dict()
    assert data["accepted"] is False
    assert data["attempts"][0]["verdict"] == "wrong_answer"
    assert events
    assert all(e.kind is ProgressKind.NOTE for e in events)
    assert (root / "shop" / "stock.py").read_text() == MODULE
