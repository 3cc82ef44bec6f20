"""Pieces of `dataset build`: the optimizer's inputs over a suite generator, prefixes, the build tables."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from effilab.errors import InvalidArgument
from effilab.results.schema import SCHEMA_VERSION
from effilab.suites.registry import load_suite
from effilab.training.solution import inputs_source, strip_prefix
from effilab.training.store import BuildStore, OptimizedRow, Usage

MINI = Path(__file__).parents[2] / "data" / "suites" / "mini"


def test_inputs_wrap_the_problem_generator_at_its_largest_level_without_name_clashes() -> None:
    problem = load_suite(str(MINI)).get("count-distinct")
    assert problem is not None
    source = inputs_source(problem)
    assert source is not None
    scope: dict[str, object] = {}
    exec(compile(source, "inputs.py", "exec"), scope)  # the suite's own (trusted) generator, in the test
    generate = scope["generate"]
    assert callable(generate)
    first = generate(50, random.Random(1))
    assert isinstance(first, tuple)
    assert len(first) == 1
    assert isinstance(first[0], list)
    assert generate(50, random.Random(1)) == first  # deterministic in the rng
    assert "generate" in scope  # the wrapper's, not shadowed by the suite's own generate()


def test_strip_prefix_removes_only_the_problem_prefix() -> None:
    problem = load_suite(str(MINI)).get("count-distinct")
    assert problem is not None
    assert strip_prefix(problem, "def f():\n    pass\n") == "def f():\n    pass\n"


def test_build_tables_keep_outcomes_and_usage_across_openings(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    with BuildStore(db) as store:
        resumed, seed = store.open_build("b1", {"model": "m"}, 42)
        assert (resumed, seed) == (False, 42)
        store.set_run("b1", "samples", "run-a")
        store.add_optimized(
            "b1", OptimizedRow("t", 0, "accepted", 3, 2.5, (1.8, 3.1), "code", Usage(1, 10, 5), "ok")
        )
        store.add_optimized(
            "b1", OptimizedRow("t", 1, "failed", None, None, None, None, Usage(), "no inputs")
        )
        store.set_usage("b1", "generate", Usage(3, 30, 60))
    with BuildStore(db) as store:
        resumed, seed = store.open_build("b1", {"model": "other"}, 7)
        assert (resumed, seed) == (True, 42)  # the first seed is kept
        rows = store.optimized("b1")
        assert [(r.sample, r.status, r.ci, r.usage) for r in rows] == [
            (0, "accepted", (1.8, 3.1), Usage(1, 10, 5)),
            (1, "failed", None, Usage()),
        ]
        assert store.usage("b1") == {"generate": Usage(3, 30, 60)}
        assert store.optimized("other") == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT samples_run FROM dataset_builds").fetchone() == ("run-a",)


def test_a_foreign_table_of_the_same_name_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE dataset_usage (x TEXT)")
    with pytest.raises(InvalidArgument, match="not effilab's"):
        BuildStore(db)
