"""Scores of repository-task runs in the results file, one row per patch, committed as each is known.

A run is identified by a key derived from its tasks, its patches and its settings, so running the same
command again finds every finished score and does only what is left (nothing is lost on a crash).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from effilab.repotask.scoring import PatchScore
from effilab.results.connect import open_results

__all__ = ["TaskStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS repotask_scores (
    run_key TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    patch_key TEXT NOT NULL,
    result TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (run_key, instance_id, patch_key)
);
"""
_EXPECTED = {"repotask_scores": ("run_key", "instance_id", "patch_key", "result", "created")}


class TaskStore:
    def __init__(self, path: str | Path) -> None:
        self._db: sqlite3.Connection = open_results(path, schema=_SCHEMA, expected=_EXPECTED)

    def get(self, run_key: str, instance_id: str, patch_key: str) -> PatchScore | None:
        row = self._db.execute(
            "SELECT result FROM repotask_scores WHERE run_key = ? AND instance_id = ? AND patch_key = ?",
            (run_key, instance_id, patch_key),
        ).fetchone()
        return None if row is None else PatchScore.from_dict(json.loads(row[0]))

    def put(self, run_key: str, patch_key: str, score: PatchScore) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO repotask_scores VALUES (?, ?, ?, ?, ?)",
            (run_key, score.instance_id, patch_key, json.dumps(score.to_dict()), time.time()),
        )

    def close(self) -> None:
        self._db.close()
