"""The results store: one SQLite file (WAL mode) that survives ``kill -9`` at any moment.

Every finished sample is written in one transaction together with its per-level rows, so after a crash a
sample is either entirely there or entirely absent; primary keys make a second write of the same sample
impossible. Reference costs of a problem are stored once per run before any of its samples, so a resumed
run scores the remaining samples against the same references and ends with the same summary.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from effilab.results.connect import open_results

__all__ = ["LevelRow", "ResultStore", "SampleRow", "cost_from_json", "cost_to_json"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    config TEXT NOT NULL,
    host TEXT NOT NULL,
    finished REAL
);
CREATE TABLE IF NOT EXISTS problems (
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    task_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    PRIMARY KEY (run_id, task_id)
);
CREATE TABLE IF NOT EXISTS samples (
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    task_id TEXT NOT NULL,
    sample INTEGER NOT NULL,
    line INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    passed INTEGER NOT NULL,
    score REAL NOT NULL,
    speedup REAL,
    beats_best INTEGER NOT NULL,
    dpe REAL,
    detail TEXT NOT NULL,
    seconds REAL NOT NULL,
    PRIMARY KEY (run_id, task_id, sample)
);
CREATE TABLE IF NOT EXISTS levels (
    run_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    sample INTEGER NOT NULL,
    level INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    cost REAL,
    reference_cost REAL,
    tests TEXT NOT NULL,
    PRIMARY KEY (run_id, task_id, sample, level)
);
CREATE TABLE IF NOT EXISTS sample_hosts (
    run_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    sample INTEGER NOT NULL,
    host TEXT NOT NULL,
    isolation TEXT NOT NULL,
    PRIMARY KEY (run_id, task_id, sample)
);
"""
# sample_hosts (where each sample and its anchor ran, and the isolation tier there) is additive: a file
# without it gains it when opened, and an older effilab that ignores it still reads and resumes the file
# (its samples then have no host row), so it does not change the schema version.


_EXPECTED_COLUMNS = {
    "runs": ["run_id", "created", "config", "host", "finished"],
    "problems": ["run_id", "task_id", "reference"],
    "samples": [
        *("run_id", "task_id", "sample", "line", "verdict", "passed"),
        *("score", "speedup", "beats_best", "dpe", "detail", "seconds"),
    ],
    "levels": ["run_id", "task_id", "sample", "level", "verdict", "cost", "reference_cost", "tests"],
    "sample_hosts": ["run_id", "task_id", "sample", "host", "isolation"],
}


@dataclasses.dataclass(frozen=True, slots=True)
class LevelRow:
    """One sample on one level: worst-case cost over the level's tests (``inf``: censored; None: not run)."""

    level: int
    verdict: str
    cost: float | None
    reference_cost: float | None
    tests: tuple[float, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class SampleRow:
    task_id: str
    sample: int
    line: int
    verdict: str
    passed: bool
    score: float
    """ENAMEL efficiency score (0 when wrong)."""
    speedup: float | None
    """Baseline cost / sample cost over the timed tests (None when wrong or not timed)."""
    beats_best: bool
    dpe: float | None
    detail: str
    seconds: float
    levels: tuple[LevelRow, ...] = ()


def cost_to_json(value: float) -> float | str:
    """A cost for a JSON column: censored (``inf``) becomes ``"inf"``, since JSON has no infinity."""
    return "inf" if value == float("inf") else value


def cost_from_json(value: float | str) -> float:
    return float("inf") if value == "inf" else float(value)


class ResultStore:
    """A connection to one results file, used from one thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = open_results(path, schema=_SCHEMA, expected=_EXPECTED_COLUMNS)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -------------------------------------------------------------------------------------------- runs

    def open_run(self, run_id: str, config: dict[str, Any], host: dict[str, Any]) -> bool:
        """Create the run if new; True when it already existed (a resume)."""
        row = self._db.execute("SELECT run_id FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is not None:
            return True
        self._db.execute(
            "INSERT INTO runs (run_id, created, config, host) VALUES (?, ?, ?, ?)",
            (run_id, time.time(), json.dumps(config, sort_keys=True), json.dumps(host, sort_keys=True)),
        )
        return False

    def finish_run(self, run_id: str) -> None:
        self._db.execute("UPDATE runs SET finished = ? WHERE run_id = ?", (time.time(), run_id))

    def runs(self) -> list[tuple[str, dict[str, Any]]]:
        """Every run's id and configuration, oldest first (what ``effilab export`` reads)."""
        rows = self._db.execute("SELECT run_id, config FROM runs ORDER BY created, run_id")
        return [(run_id, json.loads(config)) for run_id, config in rows]

    def run_config(self, run_id: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT config FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        return json.loads(row[0]) if row else None

    # ---------------------------------------------------------------------------------------- problems

    def reference(self, run_id: str, task_id: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT reference FROM problems WHERE run_id = ? AND task_id = ?", (run_id, task_id)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def problem_notes(self, run_id: str) -> tuple[dict[str, str], list[dict[str, Any]]]:
        """What the stored references say was left out: broken problems (task → reason) and dropped cases
        (``task_id``, ``level``, ``case``, ``reason``), in task order. Stores written before effilab
        dropped cases have neither, and read as nothing left out."""
        broken: dict[str, str] = {}
        dropped: list[dict[str, Any]] = []
        rows = self._db.execute(
            "SELECT task_id, reference FROM problems WHERE run_id = ? ORDER BY task_id", (run_id,)
        )
        for task_id, text in rows:
            reference = json.loads(text)
            if "broken" in reference:
                broken[task_id] = str(reference["broken"])
            for item in reference.get("dropped", []):
                dropped.append({"task_id": task_id, **item})
        return broken, dropped

    def save_reference(self, run_id: str, task_id: str, reference: dict[str, Any]) -> None:
        """Store once: a concurrent or repeated save keeps the first (the one samples were scored with)."""
        self._db.execute(
            "INSERT OR IGNORE INTO problems (run_id, task_id, reference) VALUES (?, ?, ?)",
            (run_id, task_id, json.dumps(reference, sort_keys=True)),
        )

    # ----------------------------------------------------------------------------------------- samples

    def done(self, run_id: str) -> set[tuple[str, int]]:
        rows = self._db.execute("SELECT task_id, sample FROM samples WHERE run_id = ?", (run_id,))
        return {(task_id, sample) for task_id, sample in rows}

    def add_sample(self, run_id: str, row: SampleRow, host: tuple[str, str] | None = None) -> None:
        """Write one sample and its levels atomically, with the (host, isolation tier) it ran on."""
        with self._transaction():
            if host is not None:
                self._db.execute(
                    "INSERT INTO sample_hosts (run_id, task_id, sample, host, isolation) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (run_id, row.task_id, row.sample, *host),
                )
            self._db.execute(
                "INSERT INTO samples (run_id, task_id, sample, line, verdict, passed, score, speedup, "
                "beats_best, dpe, detail, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, row.task_id, row.sample, row.line, row.verdict, int(row.passed), row.score,
                 row.speedup, int(row.beats_best), row.dpe, row.detail, row.seconds),
            )  # fmt: skip
            self._db.executemany(
                "INSERT INTO levels (run_id, task_id, sample, level, verdict, cost, reference_cost, tests) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (run_id, row.task_id, row.sample, lv.level, lv.verdict, lv.cost, lv.reference_cost,
                     json.dumps([cost_to_json(t) for t in lv.tests]))
                    for lv in row.levels
                ],
            )  # fmt: skip

    def hosts(self, run_id: str) -> list[dict[str, Any]]:
        """Samples per (host, isolation tier) of the run; samples stored without a host are not counted."""
        rows = self._db.execute(
            "SELECT host, isolation, COUNT(*) FROM sample_hosts WHERE run_id = ? "
            "GROUP BY host, isolation ORDER BY host, isolation",
            (run_id,),
        )
        return [{"host": host, "isolation": tier, "samples": n} for host, tier, n in rows]

    def samples(self, run_id: str) -> Iterator[SampleRow]:
        """Every stored sample of the run (without level rows), ordered by task and sample."""
        rows = self._db.execute(
            "SELECT task_id, sample, line, verdict, passed, score, speedup, beats_best, dpe, detail, seconds "
            "FROM samples WHERE run_id = ? ORDER BY task_id, sample",
            (run_id,),
        )
        for task_id, sample, line, verdict, passed, score, speedup, beats, dpe, detail, seconds in rows:
            yield SampleRow(task_id, sample, line, verdict, bool(passed), score, speedup, bool(beats), dpe,
                            detail, seconds)  # fmt: skip

    def timed_tests(self, run_id: str) -> dict[tuple[str, int], tuple[float, ...]]:
        """Per (task, sample) of the run, the cost of every timed test, level by level (``inf``: censored).

        Samples of one run were timed on the same inputs, so these costs pair up test by test."""
        rows = self._db.execute(
            "SELECT task_id, sample, tests FROM levels WHERE run_id = ? ORDER BY task_id, sample, level",
            (run_id,),
        )
        found: dict[tuple[str, int], tuple[float, ...]] = {}
        for task_id, sample, tests in rows:
            costs = tuple(cost_from_json(t) for t in json.loads(tests))
            found[(task_id, sample)] = found.get((task_id, sample), ()) + costs
        return found

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type is not None else "COMMIT")
