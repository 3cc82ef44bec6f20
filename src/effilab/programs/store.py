"""Finished program pairs, kept in the results SQLite file so an interrupted ``pie:`` run resumes.

One table of its own (``program_pairs``) beside the function evaluator's, in the same ``--db`` file: a row
per (run, pair) with the pair's result as JSON, written when the pair finishes. The run's identity is a
digest of everything that decides a result (the suite, tests and generations files' bytes, the column,
the metric, repetitions, limits and sandbox tier), so a changed input starts a new run instead of mixing
results.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from effilab.programs.evaluate import PairResult, ProgramOutcome
from effilab.results.connect import open_results
from effilab.sandbox.verdict import Verdict

__all__ = ["ProgramStore", "run_identity"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS program_pairs (
    run TEXT NOT NULL,
    pair TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (run, pair)
);
CREATE TABLE IF NOT EXISTS program_runs (
    run TEXT PRIMARY KEY,
    seed INTEGER NOT NULL
);
"""
_EXPECTED = {"program_pairs": ["run", "pair", "result"], "program_runs": ["run", "seed"]}


def run_identity(files: Iterable[Path], settings: dict[str, Any]) -> str:
    """Digest of the inputs' bytes (files, and every file under folders, by relative path) and settings."""
    h = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
    for path in files:
        members = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for member in members:
            h.update(str(member.relative_to(path) if path.is_dir() else member.name).encode() + b"\0")
            h.update(hashlib.sha256(member.read_bytes()).digest())
    return h.hexdigest()


def _outcome_record(o: ProgramOutcome) -> dict[str, Any]:
    return {
        "role": o.role,
        "index": o.index,
        "verdict": o.verdict.value,
        "detail": o.detail,
        "per_test": {str(k): v for k, v in o.per_test.items()},
        "compile_s": o.compile_s,
    }


def _outcome(record: dict[str, Any]) -> ProgramOutcome:
    return ProgramOutcome(
        record["role"],
        int(record["index"]),
        Verdict(record["verdict"]),
        record["detail"],
        {int(k): float(v) for k, v in record["per_test"].items()},
        float(record["compile_s"]),
    )


def to_record(result: PairResult) -> dict[str, Any]:
    return {
        "key": result.key,
        "problem_id": result.problem_id,
        "language": result.language,
        "slow": _outcome_record(result.slow),
        "target": None if result.target is None else _outcome_record(result.target),
        "candidates": [_outcome_record(c) for c in result.candidates],
        "dropped": result.dropped,
        "broken": result.broken,
        "levels": {str(k): v for k, v in result.levels.items()},
        "references": [_outcome_record(r) for r in result.references],
        "weights": None if result.weights is None else {str(k): v for k, v in result.weights.items()},
    }


def from_record(record: dict[str, Any]) -> PairResult:
    return PairResult(
        record["key"],
        record["problem_id"],
        record["language"],
        _outcome(record["slow"]),
        None if record["target"] is None else _outcome(record["target"]),
        [_outcome(c) for c in record["candidates"]],
        list(record["dropped"]),
        record["broken"],
        {int(k): int(v) for k, v in record["levels"].items()},
        [_outcome(r) for r in record.get("references", [])],
        None if record.get("weights") is None else {int(k): float(v) for k, v in record["weights"].items()},
    )


class ProgramStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = open_results(path, schema=_SCHEMA, expected=_EXPECTED)

    def finished(self, run: str) -> dict[str, PairResult]:
        rows = self._db.execute("SELECT pair, result FROM program_pairs WHERE run = ?", (run,))
        return {pair: from_record(json.loads(text)) for pair, text in rows}

    def seed(self, run: str, fresh: int) -> int:
        """The run's seed of generated inputs: the stored one on resume, else ``fresh`` (then stored)."""
        self._db.execute("INSERT OR IGNORE INTO program_runs (run, seed) VALUES (?, ?)", (run, fresh))
        row = self._db.execute("SELECT seed FROM program_runs WHERE run = ?", (run,)).fetchone()
        return int(row[0])

    def save(self, run: str, result: PairResult) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO program_pairs (run, pair, result) VALUES (?, ?, ?)",
            (run, result.key, json.dumps(to_record(result))),
        )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ProgramStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
