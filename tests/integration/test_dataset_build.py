"""`effilab dataset build` end to end against the fake OpenAI server on 127.0.0.1: generate (one wrong, one
slow-correct, one fast-correct sample), evaluate, optimize (a scripted faster rewrite), verify, export, and
resume after interruptions in the middle of evaluate and of optimize without doing anything twice."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from effilab import api
from effilab.cli.main import main
from effilab.errors import InvalidArgument
from effilab.generate import runner as generate_runner
from effilab.generate.prompting import SYSTEM_PROMPT
from effilab.models import chat
from effilab.reports import ProgressEvent, ProgressKind
from effilab.training.build import DatasetReport
from fakes.openai_server import FakeOpenAI, Reply, Request

MINI = Path(__file__).parents[1] / "data" / "suites" / "mini"

WRONG = "def count_distinct(nums: list[int]) -> int:\n    return len(nums)\n"
SLOW = (
    "def count_distinct(nums: list[int]) -> int:\n"
    "    seen = []\n"
    "    for x in nums:\n"
    "        if x not in seen:\n"
    "            seen.append(x)\n"
    "    return len(seen)\n"
)
FAST = "def count_distinct(nums: list[int]) -> int:\n    return len(set(nums))\n"
FAST_VARIANT = "def count_distinct(nums: list[int]) -> int:\n    return len(frozenset(nums))\n"


def fenced(code: str) -> str:
    return f"Here is the program:\n\n```python\n{code}```\n"


class Model:
    """The scripted model: the i-th generation request gets WRONG, SLOW, FAST in turn; an optimize request
    for the slow sample gets a faster rewrite, one for the fast sample a wrong one (rejected at once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generated = 0
        self.optimize_requests: list[str] = []

    def __call__(self, request: Request) -> Reply:
        with self._lock:
            if request.message("system") == SYSTEM_PROMPT:
                code = (WRONG, SLOW, FAST)[self.generated % 3]
                self.generated += 1
                return Reply.text(fenced(code))
            user = request.message("user")
            self.optimize_requests.append(user)
        if "seen.append" in user:
            return Reply.text(fenced(FAST_VARIANT))
        return Reply.text(fenced(WRONG))


class Interrupt(Exception):
    """Stands for Ctrl-C or a kill at a chosen point of the build."""


def stop_at(stage: str, kind: ProgressKind, events: list[ProgressEvent]) -> Callable[[ProgressEvent], None]:
    def progress(event: ProgressEvent) -> None:
        events.append(event)
        if event.kind is kind and event.message.startswith(f"{stage}:"):
            raise Interrupt(event.message)

    return progress


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = chat.RetryPolicy(max_attempts=2, sleep=lambda _s: None, jitter=lambda: 0.0)
    monkeypatch.setattr(chat, "DEFAULT_RETRY", policy)
    monkeypatch.setattr(generate_runner, "DEFAULT_RETRY", policy)


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """A one-problem suite: the mini suite's count-distinct."""
    root = tmp_path / "suite"
    root.mkdir()
    shutil.copytree(
        MINI / "count-distinct", root / "count-distinct", ignore=shutil.ignore_patterns("__pycache__")
    )
    return root


def build(server: FakeOpenAI, suite: Path, tmp_path: Path, **options: Any) -> DatasetReport:
    settings: dict[str, Any] = {
        "suite": suite,
        "model": "fake-coder",
        "base_url": server.base_url,
        "api_key": "sk-test",
        "n": 3,
        "db": tmp_path / "results.sqlite",
        "out": tmp_path / "dataset",
        "workers": 2,
        "strategy": "best-of-n",
        "proposals": 1,
        "rounds": 1,
        "max_calls": 1,
        "measure_budget": 6.0,
        "request_timeout": 10.0,
    }
    settings.update(options)
    return api.build_dataset(**settings)


def _table(db: Path, query: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return conn.execute(query).fetchall()


@pytest.mark.slow
def test_build_resumes_after_interruptions_and_exports_verified_faster_code(
    suite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = Model()
    db = tmp_path / "results.sqlite"
    out = tmp_path / "dataset"
    with FakeOpenAI(default=model) as server:
        # 1. Interrupted while evaluating, after the first sample was stored.
        first: list[ProgressEvent] = []
        with pytest.raises(Interrupt):
            build(server, suite, tmp_path, progress=stop_at("evaluate", ProgressKind.ADVANCE, first))
        assert model.generated == 3
        assert len((out / "samples.jsonl").read_text().splitlines()) == 3

        # 2. Resumed: nothing is generated again, evaluate continues; interrupted after one optimization.
        second: list[ProgressEvent] = []
        with pytest.raises(Interrupt):
            build(server, suite, tmp_path, progress=stop_at("optimize", ProgressKind.ADVANCE, second))
        assert model.generated == 3
        resumed = [
            e.message for e in second if e.kind is ProgressKind.START and e.message.startswith("evaluate:")
        ]
        assert resumed == ["evaluate: resuming: 1 of 3 samples already done"]
        assert len(model.optimize_requests) == 1

        # 3. Finished: the other correct sample is optimized, the accepted version verified, records written.
        third: list[ProgressEvent] = []
        report = build(server, suite, tmp_path, progress=third.append)
        assert model.generated == 3
        assert len(model.optimize_requests) == 2  # one per correct sample, none twice
        starts = {e.message.split(":")[0]: e for e in third if e.kind is ProgressKind.START}
        assert (starts["optimize"].done, starts["optimize"].total) == (1, 2)
        assert "generate" not in starts  # nothing left to request

        # 4. Run again from the command line: everything is done, nothing is asked or recomputed.
        monkeypatch.setenv("FAKE_KEY", "sk-test")
        argv = ["dataset", "build", "--suite", str(suite), "--model", "fake-coder", "--n", "3",
                "--base-url", server.base_url, "--api-key-env", "FAKE_KEY", "--db", str(db),
                "--out", str(out), "--json", "--strategy", "best-of-n", "--proposals", "1",
                "--rounds", "1", "--max-calls", "1"]  # fmt: skip
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main(argv)
        assert status == 0, stderr.getvalue()
        again = json.loads(stdout.getvalue())
        assert model.generated == 3
        assert len(model.optimize_requests) == 2
        assert again["optimized_now"] == 0
        assert again["resumed"] is True

    assert report.complete
    assert report.resumed
    assert (report.samples, report.samples_correct) == (3, 2)
    outcomes = _table(db, "SELECT sample, status, detail FROM dataset_optimized ORDER BY sample")
    assert report.optimized.get("accepted") == 1, outcomes
    # The fast sample's rewrite is wrong ("not_accepted"); on a very busy machine the optimizer may not even
    # find a workload for a function this fast ("failed", with the reason): either way, nothing is accepted.
    assert sum(report.optimized.values()) == 2, outcomes
    assert report.verified == 1
    assert again["records"] == report.records
    assert again["usage"] == report.to_dict()["usage"]

    # Tokens: generation counted from the samples file (all three, although two runs asked for them),
    # optimization from the optimize runs; both stored.
    samples = [json.loads(line) for line in (out / "samples.jsonl").read_text().splitlines()]
    generate = report.usage["generate"]
    assert generate.model_calls == 3
    assert generate.prompt_tokens == sum(r["prompt_tokens"] for r in samples) > 0
    assert generate.completion_tokens == sum(r["completion_tokens"] for r in samples) > 0
    assert report.usage["optimize"].model_calls == 2
    assert report.usage["optimize"].prompt_tokens > 0
    stored = _table(db, "SELECT stage, model_calls FROM dataset_usage ORDER BY stage")
    assert stored == [("generate", 3), ("optimize", 2)]

    # SFT: the fastest verified version, here the optimized one, with its provenance.
    sft = [json.loads(line) for line in (out / "sft.jsonl").read_text().splitlines()]
    assert len(sft) == 1
    (record,) = sft
    assert record["verdict"] == "ok"
    assert record["messages"][-1]["content"] in {f"```python\n{c.strip()}\n```" for c in (FAST, FAST_VARIANT)}
    assert record["model"] == "fake-coder"
    optimized = [json.loads(line) for line in (out / "optimized.jsonl").read_text().splitlines()]
    assert len(optimized) == 1
    origin = optimized[0]["optimized_from"]
    assert optimized[0]["solution"].strip() == FAST_VARIANT.strip()
    assert origin["ci"][0] > 1.0
    assert origin["model"] == "fake-coder"
    slow_index = next(i for i, r in enumerate(samples) if "seen.append" in r["solution"])
    assert origin["sample"] == slow_index

    # DPO: the optimized version over its original (with the optimizer's interval), correct over wrong.
    dpo = [json.loads(line) for line in (out / "dpo.jsonl").read_text().splitlines()]
    kinds = {r["kind"] for r in dpo}
    assert {"optimization", "correctness"} <= kinds
    pair = next(r for r in dpo if r["kind"] == "optimization")
    assert pair["chosen_source"] == "optimized"
    assert pair["rejected_source"] == "sample"
    assert "seen.append" in pair["rejected"][0]["content"]
    assert pair["margin"] == pytest.approx(origin["speedup"])
    assert pair["margin_ci"] == pytest.approx(origin["ci"])
    assert pair["chosen_model"] == "fake-coder"
    for r in dpo:
        if r["kind"] == "correctness":
            assert r["rejected_verdict"] == "wrong_answer"
            assert "len(nums)" in r["rejected"][0]["content"]
    rrhf = [json.loads(line) for line in (out / "rrhf.jsonl").read_text().splitlines()]
    assert len(rrhf) == 1
    assert rrhf[0]["scores"][-1] == 0.0  # the wrong sample ranks last


def test_build_stops_incomplete_when_the_model_never_answers_and_continues_later(
    suite: Path, tmp_path: Path
) -> None:
    answered = Model()
    with FakeOpenAI(default=Reply.error(500, "overloaded")) as server:
        report = build(server, suite, tmp_path, n=2)
        assert not report.complete
        assert report.samples_run is None
        assert "could not be obtained" in report.notes[0]
        assert report.files == {}
        server.set_default(answered)
        # Generation completes now; stop before the (slow) optimize stage.
        events: list[ProgressEvent] = []
        with pytest.raises(Interrupt):
            build(server, suite, tmp_path, n=2, progress=stop_at("optimize", ProgressKind.START, events))
    assert answered.generated == 2
    assert any(e.message == "evaluate: 2 samples" for e in events)


def test_bad_arguments_are_refused_before_anything_is_asked(suite: Path, tmp_path: Path) -> None:
    with FakeOpenAI(default=Model()) as server:
        cases: list[tuple[dict[str, Any], str]] = [
            ({"n": 0}, "n=0"),
            ({"strategy": "numba"}, "strategy='numba'"),
            ({"problems": ["nope"]}, "problems: not in"),
            ({"min_ratio": 0.9}, "min_ratio=0.9"),
            ({"out": suite / "count-distinct" / "problem.toml"}, "not a folder"),
        ]
        for options, message in cases:
            with pytest.raises(InvalidArgument, match=message.replace("(", r"\(")):
                build(server, suite, tmp_path, **options)
        assert server.requests == []
