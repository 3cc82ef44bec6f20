"""The optimize trajectory in the results file (SQLite, next to ``evaluate``'s tables).

Every attempt is committed as soon as its verdict is known (prompts, reply, verdict, measurements), so
an interrupted run loses at most the attempt in flight, and a finished run can be audited later.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument
from effilab.optimize.attempt import Attempt
from effilab.results.connect import open_results

__all__ = ["TrajectoryStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS optimize_runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    target TEXT NOT NULL,
    config TEXT NOT NULL,
    finished REAL,
    result TEXT
);
CREATE TABLE IF NOT EXISTS optimize_attempts (
    run_id INTEGER NOT NULL REFERENCES optimize_runs(run_id),
    attempt INTEGER NOT NULL,
    strategy TEXT NOT NULL,
    verdict TEXT NOT NULL,
    speedup REAL,
    record TEXT NOT NULL,
    PRIMARY KEY (run_id, attempt)
);
"""
_EXPECTED = {
    "optimize_runs": ["run_id", "created", "target", "config", "finished", "result"],
    "optimize_attempts": ["run_id", "attempt", "strategy", "verdict", "speedup", "record"],
}


class TrajectoryStore:
    """One optimize run's rows in the results file; used from one thread."""

    def __init__(self, path: str | Path, *, target: str, config: dict[str, Any]) -> None:
        self.path = Path(path)
        self._db = open_results(path, schema=_SCHEMA, expected=_EXPECTED)
        try:
            cursor = self._db.execute(
                "INSERT INTO optimize_runs (created, target, config) VALUES (?, ?, ?)",
                (time.time(), target, json.dumps(config, sort_keys=True)),
            )
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise InvalidArgument(f"--db {str(path)!r}: not a usable SQLite file ({exc})") from None
        assert cursor.lastrowid is not None
        self.run_id: int = cursor.lastrowid

    def record(self, attempt: Attempt) -> None:
        verdict = attempt.outcome.value if attempt.outcome else "pending"
        self._db.execute(
            "INSERT OR REPLACE INTO optimize_attempts VALUES (?, ?, ?, ?, ?, ?)",
            (
                self.run_id,
                attempt.index,
                attempt.strategy,
                verdict,
                attempt.speedup,
                json.dumps(attempt.to_json(full=True), default=str),
            ),
        )

    def finish(self, result: dict[str, Any]) -> None:
        self._db.execute(
            "UPDATE optimize_runs SET finished = ?, result = ? WHERE run_id = ?",
            (time.time(), json.dumps(result, default=str), self.run_id),
        )

    def attempts(self) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT record FROM optimize_attempts WHERE run_id = ? ORDER BY attempt", (self.run_id,)
        )
        return [json.loads(row[0]) for row in rows]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> TrajectoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
