"""The results file's schema version: stamped on new files, unversioned files migrated with their rows
kept, a newer file refused in one line and left byte for byte as it was (both stores)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from effilab.cli.main import main
from effilab.errors import InvalidArgument
from effilab.evaluate.store import ResultStore
from effilab.optimize.store import TrajectoryStore
from effilab.results import SCHEMA_VERSION

MINI = Path(__file__).resolve().parents[2] / "data" / "suites" / "mini"


def _version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def test_a_new_file_is_stamped_with_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with ResultStore(path):
        pass
    assert _version(path) == SCHEMA_VERSION
    TrajectoryStore(tmp_path / "o.sqlite", target="m.py::f", config={}).close()
    assert _version(tmp_path / "o.sqlite") == SCHEMA_VERSION


def test_a_file_from_before_versioning_is_migrated_and_keeps_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with ResultStore(path) as store:
        store.open_run("run-1", {"metric": "time"}, {"host": "h"})
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 0")  # what every file written before versioning holds
        db.commit()
    with ResultStore(path) as store:
        assert store.run_config("run-1") == {"metric": "time"}
    assert _version(path) == SCHEMA_VERSION


@pytest.mark.parametrize("opener", ["evaluate", "optimize"])
def test_a_newer_file_is_refused_and_left_untouched(tmp_path: Path, opener: str) -> None:
    path = tmp_path / "r.sqlite"
    with ResultStore(path) as store:
        store.open_run("run-1", {"metric": "time"}, {"host": "h"})
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        db.execute("PRAGMA journal_mode = DELETE")
        db.commit()
    before = path.read_bytes()

    def open_it() -> object:
        if opener == "evaluate":
            return ResultStore(path)
        return TrajectoryStore(path, target="m.py::f", config={})

    with pytest.raises(InvalidArgument, match=f"newer effilab.*version {SCHEMA_VERSION + 1}"):
        open_it()
    assert path.read_bytes() == before


def test_the_cli_refuses_a_newer_file_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.sqlite"
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
        db.commit()
    samples = tmp_path / "s.jsonl"
    samples.write_text(
        '{"task_id": "count-distinct", "solution": "def count_distinct(n):\\n    return 0\\n"}\n'
    )
    status = main(["evaluate", "--suite", str(MINI), "--samples", str(samples), "--db", str(path)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1
    assert "newer effilab" in err
