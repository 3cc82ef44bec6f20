"""Every store opens the results file the same way (effilab.results.connect)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from effilab.errors import InvalidArgument
from effilab.programs.store import ProgramStore
from effilab.results.connect import open_results
from effilab.results.schema import SCHEMA_VERSION

SCHEMA = "CREATE TABLE IF NOT EXISTS things (a TEXT, b INTEGER);"
EXPECTED = {"things": ["a", "b"]}


def test_a_new_file_gets_the_tables_and_the_current_version(tmp_path: Path) -> None:
    db = open_results(tmp_path / "r.sqlite", schema=SCHEMA, expected=EXPECTED)
    try:
        assert [row[1] for row in db.execute("PRAGMA table_info(things)")] == ["a", "b"]
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.close()


def test_another_programs_table_is_refused_and_the_file_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "theirs.sqlite"
    with closing(sqlite3.connect(path)) as theirs:
        theirs.execute("CREATE TABLE things (x REAL)")
        theirs.commit()
    before = path.read_bytes()
    with pytest.raises(InvalidArgument, match="table 'things' is not effilab's"):
        open_results(path, schema=SCHEMA, expected=EXPECTED)
    assert path.read_bytes() == before


def test_a_newer_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    with closing(sqlite3.connect(path)) as newer:
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(InvalidArgument, match="newer effilab"):
        open_results(path, schema=SCHEMA, expected=EXPECTED)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.mkdir(), "not a file"),
        (lambda p: p.write_bytes(b"not sqlite at all" * 100), "not a usable SQLite file"),
    ],
)
def test_bad_paths_are_one_line_errors(tmp_path: Path, make: object, words: str) -> None:
    path = tmp_path / "bad.sqlite"
    make(path)  # type: ignore[operator]
    with pytest.raises(InvalidArgument, match=words):
        open_results(path, schema=SCHEMA, expected=EXPECTED)
    with pytest.raises(InvalidArgument, match="does not exist"):
        open_results(tmp_path / "missing" / "r.sqlite", schema=SCHEMA, expected=EXPECTED)


def test_the_program_store_refuses_what_the_others_refuse(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with closing(sqlite3.connect(path)) as theirs:
        theirs.execute("CREATE TABLE program_pairs (something TEXT)")
        theirs.commit()
    with pytest.raises(InvalidArgument, match="'program_pairs' is not effilab's"):
        ProgramStore(path)
