"""effilab's own failures are exceptions, a candidate's are verdicts (issue 12): a sandbox that cannot be
started in the middle of a sample's timed rounds stops the run without recording anything for the sample,
and the same evaluation run again (a resume) evaluates it."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import effilab
from effilab.errors import MeasurementError, SandboxError, SandboxStartError
from effilab.evaluate import engine
from effilab.sandbox import Worker
from effilab.sandbox.lifecycle import LoadFailed, open_loaded, start_worker

MINI = Path(__file__).resolve().parents[1] / "data" / "suites" / "mini"
FAST = "def count_distinct(nums):\n    return len(set(nums))\n"


def _stored(db: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return [(row[0], row[1]) for row in conn.execute("SELECT task_id, verdict FROM samples")]


def test_a_sandbox_that_cannot_start_is_not_the_samples_crash_and_a_resume_retries_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples, db = tmp_path / "s.jsonl", tmp_path / "r.sqlite"
    samples.write_text(json.dumps({"task_id": "count-distinct", "solution": FAST}) + "\n")
    real_start, real_correctness_pass = Worker.start, engine._correctness_pass
    checked = threading.Event()

    def correctness_pass(*args: Any, **kwargs: Any) -> None:
        real_correctness_pass(*args, **kwargs)
        checked.set()

    def start(self: Worker) -> None:
        # No sandbox can be started for the sample's timed rounds: those started once it is known correct,
        # and those started ahead, in the background, for the next round.
        if checked.is_set() or threading.current_thread().name.startswith("effilab-prestart"):
            raise SandboxError("no room for another sandbox")
        real_start(self)

    monkeypatch.setattr(engine, "_correctness_pass", correctness_pass)
    monkeypatch.setattr(Worker, "start", start)
    with pytest.raises(SandboxStartError, match="no room for another sandbox"):
        effilab.evaluate(suite=MINI, samples=samples, db=db, workers=1, repetitions=1)
    assert _stored(db) == []  # not recorded as the sample's crash
    monkeypatch.undo()
    report = effilab.evaluate(suite=MINI, samples=samples, db=db, workers=1, repetitions=1)
    data = report.to_dict()
    assert data["resumed"] is True
    assert data["evaluated_now"] == 1
    assert _stored(db) == [("count-distinct", "ok")]


def test_the_lifecycle_helper_types_its_two_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    worker, load = open_loaded("def f(x):\n    return x\n", "f", "f.py")
    try:
        assert load.verdict.is_ok
        assert worker.call([3]).value == 3
    finally:
        worker.close()
    with pytest.raises(LoadFailed, match="the checker does not load"):
        open_loaded("def f(:\n", "f", "bad.py", what="the checker")
    monkeypatch.setattr(Worker, "start", lambda self: (_ for _ in ()).throw(SandboxError("no bwrap")))
    with pytest.raises(SandboxStartError, match="no bwrap"):
        start_worker(Worker())


def test_an_anchor_that_fails_while_timed_stops_the_run_and_a_resume_retries_the_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples, db = tmp_path / "s.jsonl", tmp_path / "r.sqlite"
    samples.write_text(json.dumps({"task_id": "count-distinct", "solution": FAST}) + "\n")
    real_case_timing = engine._case_timing

    def case_timing(worker: Worker, other: Worker | None, *args: Any) -> Any:
        if other is not None and worker is not other and _is_anchor(worker):
            return engine._Timing(engine.Verdict.RUNTIME_ERROR, detail="the oracle's process was killed")
        return real_case_timing(worker, other, *args)

    anchors: set[int] = set()
    real_anchor_worker = engine.ProblemContext.anchor_worker

    def anchor_worker(self: engine.ProblemContext) -> Worker:
        worker = real_anchor_worker(self)
        anchors.add(id(worker))
        return worker

    def _is_anchor(worker: Worker) -> bool:
        return id(worker) in anchors

    monkeypatch.setattr(engine.ProblemContext, "anchor_worker", anchor_worker)
    monkeypatch.setattr(engine, "_case_timing", case_timing)
    with pytest.raises(MeasurementError, match="the anchor failed while being timed"):
        effilab.evaluate(suite=MINI, samples=samples, db=db, workers=1, repetitions=1)
    assert _stored(db) == []  # effilab's failure, not recorded as the sample's crash
    monkeypatch.undo()
    report = effilab.evaluate(suite=MINI, samples=samples, db=db, workers=1, repetitions=1)
    assert report.to_dict()["evaluated_now"] == 1
    assert _stored(db) == [("count-distinct", "ok")]
