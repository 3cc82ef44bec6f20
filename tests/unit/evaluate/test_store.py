"""The results store: WAL mode, one transaction per sample, no duplicates, first reference wins."""

from __future__ import annotations

import dataclasses
import json
import math
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from effilab.errors import InvalidArgument
from effilab.evaluate.store import LevelRow, ResultStore, SampleRow

RUN = "run-1"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "results.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[ResultStore]:
    with ResultStore(db_path) as opened:
        opened.open_run(RUN, {"metric": "time"}, {"host": "test"})
        yield opened


def _row(task_id: str = "t", sample: int = 0, **changes: object) -> SampleRow:
    row = SampleRow(
        task_id=task_id,
        sample=sample,
        line=sample + 1,
        verdict="ok",
        passed=True,
        score=0.75,
        speedup=2.5,
        beats_best=False,
        dpe=50.0,
        detail="",
        seconds=0.125,
        levels=(
            LevelRow(0, "ok", None, None),
            LevelRow(1, "ok", 1e-5, 2e-5, (1e-5, 0.9e-5)),
            LevelRow(2, "timeout", math.inf, 3e-5, (math.inf,)),
        ),
    )
    return dataclasses.replace(row, **changes)  # type: ignore[arg-type]


def _count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        count: int = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    return count


def test_wal_mode_is_on(store: ResultStore, db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_done_and_samples_round_trip(store: ResultStore) -> None:
    rows = [
        _row("b", 0),
        _row("a", 1, verdict="wrong_answer", passed=False, score=0.0, speedup=None, dpe=None,
             detail="level 0 case 1: got 1, expected 0", levels=()),
        _row("a", 0, beats_best=True, score=1.25),
    ]  # fmt: skip
    for row in rows:
        store.add_sample(RUN, row)
    assert store.done(RUN) == {("a", 0), ("a", 1), ("b", 0)}
    stored = list(store.samples(RUN))
    # Ordered by task then sample; the level rows are not read back.
    expected = sorted((dataclasses.replace(r, levels=()) for r in rows), key=lambda r: (r.task_id, r.sample))
    assert stored == expected
    assert all(type(r.passed) is bool and type(r.beats_best) is bool for r in stored)


def test_runs_are_kept_apart(store: ResultStore) -> None:
    store.add_sample(RUN, _row("t", 0))
    assert store.open_run("run-2", {}, {}) is False
    store.add_sample("run-2", _row("t", 0, score=0.5))
    assert store.done("run-2") == {("t", 0)}
    assert [r.score for r in store.samples(RUN)] == [0.75]
    assert [r.score for r in store.samples("run-2")] == [0.5]
    assert store.done("run-3") == set()


def test_level_rows_are_stored_with_infinity(store: ResultStore, db_path: Path) -> None:
    store.add_sample(RUN, _row())
    with closing(sqlite3.connect(db_path)) as db:
        levels = db.execute(
            "SELECT level, verdict, cost, reference_cost, tests FROM levels WHERE run_id = ? ORDER BY level",
            (RUN,),
        ).fetchall()
    assert [(lv, v) for lv, v, *_ in levels] == [(0, "ok"), (1, "ok"), (2, "timeout")]
    assert levels[0][2:4] == (None, None)
    assert levels[1][2:4] == (1e-5, 2e-5)
    assert levels[2][2] == math.inf
    assert json.loads(levels[1][4]) == [1e-5, 0.9e-5]
    assert json.loads(levels[2][4]) == ["inf"]


def test_add_sample_is_atomic(store: ResultStore, db_path: Path) -> None:
    # The second level row repeats the first's primary key: the insert fails half-way through.
    broken = _row(levels=(LevelRow(1, "ok", 1.0, 1.0), LevelRow(1, "ok", 1.0, 1.0)))
    with pytest.raises(sqlite3.IntegrityError):
        store.add_sample(RUN, broken)
    assert store.done(RUN) == set()
    assert _count(db_path, "samples") == 0
    assert _count(db_path, "levels") == 0
    # The store is still usable afterwards (the transaction was rolled back, not left open).
    store.add_sample(RUN, _row())
    assert store.done(RUN) == {("t", 0)}
    assert _count(db_path, "levels") == 3


def test_the_same_sample_twice_is_refused(store: ResultStore, db_path: Path) -> None:
    store.add_sample(RUN, _row())
    with pytest.raises(sqlite3.IntegrityError):
        store.add_sample(RUN, _row(score=0.1, levels=()))
    assert [r.score for r in store.samples(RUN)] == [0.75]
    assert _count(db_path, "samples") == 1
    assert _count(db_path, "levels") == 3


def test_results_survive_reopening(store: ResultStore, db_path: Path) -> None:
    store.add_sample(RUN, _row("t", 0))
    store.save_reference(RUN, "t", {"cold_s": [0.1]})
    store.close()
    with ResultStore(db_path) as again:
        assert again.open_run(RUN, {"metric": "time"}, {}) is True
        assert again.done(RUN) == {("t", 0)}
        assert again.reference(RUN, "t") == {"cold_s": [0.1]}


def test_save_reference_keeps_the_first(store: ResultStore) -> None:
    assert store.reference(RUN, "t") is None
    first = {"cold_s": [0.001, 0.002], "costs": {"naive": [1.0, "inf"]}, "limit": 2.0}
    store.save_reference(RUN, "t", first)
    store.save_reference(RUN, "t", {"cold_s": [9.0]})
    assert store.reference(RUN, "t") == first
    assert store.reference(RUN, "other") is None
    assert store.reference("run-2", "t") is None


def test_open_run_reports_a_resume(db_path: Path) -> None:
    config = {"metric": "time", "alpha": 2.0, "suite": "mini"}
    with ResultStore(db_path) as store:
        assert store.open_run(RUN, config, {"host": "a"}) is False
        assert store.open_run(RUN, {"other": True}, {"host": "b"}) is True
        assert store.run_config(RUN) == config  # the first configuration is kept
        assert store.run_config("absent") is None
        store.finish_run(RUN)
    with closing(sqlite3.connect(db_path)) as db:
        (finished,) = db.execute("SELECT finished FROM runs WHERE run_id = ?", (RUN,)).fetchone()
    assert isinstance(finished, float)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are not the results you are looking for\n" * 100)
    with pytest.raises(InvalidArgument) as info:
        ResultStore(path)
    assert "--db" in str(info.value)
    assert str(path) in str(info.value)
    assert "not a usable SQLite file" in str(info.value)
    assert path.read_text().startswith("these are not")  # left alone


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgument, match="not a file"):
        ResultStore(tmp_path)


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgument, match="does not exist"):
        ResultStore(tmp_path / "absent" / "results.sqlite")
