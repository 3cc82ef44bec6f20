"""What ``effilab dataset build`` has done, in the results file beside evaluate's and optimize's tables.

Three tables of its own (added without a schema version change: older effilab versions do not read them
and the tables they do read are unchanged, as with ``program_pairs``):

* ``dataset_builds``: one row per build (suite, model, n, output folder → ``build_id``), with its secret
  input seed and the evaluation runs of its samples and of its optimized versions;
* ``dataset_optimized``: one row per solution the optimize loop finished with (accepted or not, or the
  reason it could not run), committed as soon as it is known: a resumed build skips these;
* ``dataset_usage``: prompt and completion tokens (and model calls) per stage.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

from effilab.results.connect import open_results

__all__ = ["BuildStore", "OptimizedRow", "Usage"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS dataset_builds (
    build_id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    config TEXT NOT NULL,
    seed INTEGER,
    samples_run TEXT,
    verify_run TEXT,
    finished REAL
);
CREATE TABLE IF NOT EXISTS dataset_optimized (
    build_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    sample INTEGER NOT NULL,
    status TEXT NOT NULL,
    optimize_run INTEGER,
    speedup REAL,
    ci_low REAL,
    ci_high REAL,
    code TEXT,
    model_calls INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (build_id, task_id, sample)
);
CREATE TABLE IF NOT EXISTS dataset_usage (
    build_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    model_calls INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    PRIMARY KEY (build_id, stage)
);
"""
_EXPECTED = {
    "dataset_builds": ["build_id", "created", "config", "seed", "samples_run", "verify_run", "finished"],
    "dataset_optimized": [
        *("build_id", "task_id", "sample", "status", "optimize_run", "speedup", "ci_low", "ci_high"),
        *("code", "model_calls", "prompt_tokens", "completion_tokens", "detail"),
    ],
    "dataset_usage": ["build_id", "stage", "model_calls", "prompt_tokens", "completion_tokens"],
}


@dataclasses.dataclass(frozen=True, slots=True)
class Usage:
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.model_calls + other.model_calls,
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True, slots=True)
class OptimizedRow:
    """The optimize loop's outcome on one evaluated sample."""

    task_id: str
    sample: int
    status: str
    """``accepted``, ``not_accepted`` (nothing verified and significantly faster) or ``failed``."""
    optimize_run: int | None
    speedup: float | None
    ci: tuple[float, float] | None
    code: str | None
    """The accepted version (without the problem's prefix); None unless accepted."""
    usage: Usage
    detail: str


class BuildStore:
    """The dataset tables of one results file; used from one thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = open_results(path, schema=_SCHEMA, expected=_EXPECTED)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> BuildStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------ builds

    def open_build(self, build_id: str, config: dict[str, Any], seed: int | None) -> tuple[bool, int | None]:
        """Create the build if new; (resumed, the build's input seed)."""
        row = self._db.execute("SELECT seed FROM dataset_builds WHERE build_id = ?", (build_id,)).fetchone()
        if row is not None:
            return True, row[0]
        self._db.execute(
            "INSERT INTO dataset_builds (build_id, created, config, seed) VALUES (?, ?, ?, ?)",
            (build_id, time.time(), json.dumps(config, sort_keys=True), seed),
        )
        return False, seed

    def set_run(self, build_id: str, stage: str, run_id: str) -> None:
        column = {"samples": "samples_run", "verify": "verify_run"}[stage]
        self._db.execute(f"UPDATE dataset_builds SET {column} = ? WHERE build_id = ?", (run_id, build_id))

    def finish(self, build_id: str) -> None:
        self._db.execute("UPDATE dataset_builds SET finished = ? WHERE build_id = ?", (time.time(), build_id))

    # ---------------------------------------------------------------------------------------- optimize

    def add_optimized(self, build_id: str, row: OptimizedRow) -> None:
        ci = row.ci or (None, None)
        self._db.execute(
            "INSERT OR REPLACE INTO dataset_optimized VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (build_id, row.task_id, row.sample, row.status, row.optimize_run, row.speedup, ci[0], ci[1],
             row.code, row.usage.model_calls, row.usage.prompt_tokens, row.usage.completion_tokens,
             row.detail),
        )  # fmt: skip

    def optimized(self, build_id: str) -> list[OptimizedRow]:
        rows = self._db.execute(
            "SELECT task_id, sample, status, optimize_run, speedup, ci_low, ci_high, code, model_calls, "
            "prompt_tokens, completion_tokens, detail FROM dataset_optimized WHERE build_id = ? "
            "ORDER BY task_id, sample",
            (build_id,),
        )
        return [
            OptimizedRow(task, sample, status, run, speedup, None if low is None else (low, high), code,
                         Usage(calls, prompt, completion), detail)
            for task, sample, status, run, speedup, low, high, code, calls, prompt, completion, detail in rows
        ]  # fmt: skip

    # ------------------------------------------------------------------------------------------- usage

    def set_usage(self, build_id: str, stage: str, usage: Usage) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO dataset_usage VALUES (?, ?, ?, ?, ?)",
            (build_id, stage, usage.model_calls, usage.prompt_tokens, usage.completion_tokens),
        )

    def usage(self, build_id: str) -> dict[str, Usage]:
        rows = self._db.execute(
            "SELECT stage, model_calls, prompt_tokens, completion_tokens FROM dataset_usage "
            "WHERE build_id = ? ORDER BY stage",
            (build_id,),
        )
        return {stage: Usage(calls, prompt, completion) for stage, calls, prompt, completion in rows}
