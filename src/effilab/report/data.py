"""What a report shows, read from the results file and from ``--json`` outputs: plain typed records.

This module only reads. The results file is opened read-only (``mode=ro``), so making a report never
creates tables in, migrates or otherwise touches a file that ``evaluate`` or ``optimize`` may be writing
at the same moment. The summary of an evaluation run is computed by :func:`effilab.evaluate.summary.summarize`
from the stored rows, exactly as ``evaluate`` computes it, so the report's pass@k and eff@k are the
command's own figures.

Programs are not in the store (it keeps verdicts and costs): a sample's code is read back from the samples
file the run recorded, when that file is still there with the same bytes; otherwise the report says why
the code is missing and shows everything else.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument
from effilab.evaluate.samples import open_samples
from effilab.evaluate.store import LevelRow, SampleRow
from effilab.evaluate.summary import Summary, summarize
from effilab.results.schema import refuse_newer
from effilab.suites.registry import load_suite

__all__ = [
    "AttemptDetail",
    "CompareData",
    "EvalRun",
    "OptimizeRun",
    "SampleDetail",
    "ScaleData",
    "list_eval_runs",
    "load_eval_run",
    "load_json_source",
    "load_optimize_runs",
    "open_read_only",
]

_SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_CODE_CHARS = 20_000
"""A program longer than this is cut in the report (with a note): one pathological sample must not make
the file unwieldy."""


@dataclasses.dataclass(frozen=True, slots=True)
class SampleDetail:
    """One evaluated sample as the report shows it."""

    row: SampleRow
    """The stored row, with its level rows."""
    code: str | None
    """The program as evaluated, or None when the samples file is gone or changed."""

    @property
    def timed_ratio(self) -> float | None:
        """Sum of the sample's worst-case costs over the timed levels divided by the fastest reference's
        (``inf`` when censored on a level; None when not timed)."""
        costs = [(lv.cost, lv.reference_cost) for lv in self.row.levels if lv.reference_cost is not None]
        pairs = [(c, r) for c, r in costs if c is not None]
        if not pairs:
            return None
        own, reference = math.fsum(c for c, _ in pairs), math.fsum(r for _, r in pairs)
        return own / reference if reference > 0 else None


@dataclasses.dataclass(frozen=True, slots=True)
class EvalRun:
    """One evaluation run of the results file."""

    run_id: str
    created: float
    config: dict[str, Any]
    host: dict[str, Any]
    summary: Summary
    samples: tuple[SampleDetail, ...]
    notes: tuple[str, ...]
    """What the report could not show, and why (e.g. the samples file is gone)."""

    @property
    def label(self) -> str:
        """Short name for legends: the samples file's name and the run id's first characters."""
        name = Path(str(self.config.get("samples", "?"))).name
        return f"{name} ({self.run_id[:8]})"

    @property
    def unit(self) -> str:
        return "instructions" if self.config.get("metric") == "instructions" else "s"


@dataclasses.dataclass(frozen=True, slots=True)
class AttemptDetail:
    """One candidate of an optimize run."""

    index: int
    strategy: str
    round: int | None
    verdict: str
    detail: str
    speedup: float | None
    ci: tuple[float, float] | None
    checked: int | None
    code: str | None
    """The candidate function's source, when the trajectory kept it."""
    failing_input: str | None
    expected: str | None
    actual: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class OptimizeRun:
    run_id: str
    """The store's number, or the JSON file's name for an ``optimize --json`` output."""
    target: str
    accepted: bool | None
    """None: the run did not finish (no result stored)."""
    speedup: float | None
    attempts: tuple[AttemptDetail, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class ScaleData:
    """An ``effilab scale`` result (its ``--json`` object)."""

    label: str
    data: dict[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class CompareData:
    """An ``effilab compare`` result (its ``--json`` object)."""

    label: str
    data: dict[str, Any]


# --------------------------------------------------------------------------------------- the results file


def is_results_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except OSError:
        return False


def open_read_only(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to a results file; :class:`InvalidArgument` for anything else."""
    where = Path(path)
    if not where.is_file():
        raise InvalidArgument(f"{str(path)!r}: no such file")
    if not is_results_file(where):
        raise InvalidArgument(f"{str(path)!r}: not an SQLite results file")
    try:
        db = sqlite3.connect(f"{where.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)
        refuse_newer(db, where)
    except sqlite3.DatabaseError as exc:
        raise InvalidArgument(f"{str(path)!r}: not a usable SQLite file ({exc})") from None
    return db


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    row = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    return row is not None


def list_eval_runs(db: sqlite3.Connection) -> list[tuple[str, float]]:
    """Every evaluation run's id and creation time, oldest first."""
    if not _has_table(db, "runs"):
        return []
    return [(str(r), float(c)) for r, c in db.execute("SELECT run_id, created FROM runs ORDER BY created")]


def resolve_run(db: sqlite3.Connection, wanted: str | None, path: str | Path) -> str:
    """The run named by ``wanted`` (an id or a unique prefix of one), or the latest run."""
    runs = [run_id for run_id, _ in list_eval_runs(db)]
    if not runs:
        raise InvalidArgument(f"{str(path)!r}: holds no evaluation run")
    if wanted is None:
        return runs[-1]
    matches = [run_id for run_id in runs if run_id.startswith(wanted)]
    if len(matches) != 1:
        known = ", ".join(r[:12] for r in runs[-5:])
        what = "no evaluation run" if not matches else f"{len(matches)} evaluation runs"
        raise InvalidArgument(f"--run {wanted!r}: {what} with that id in {path} (latest: {known})")
    return matches[0]


def load_eval_run(
    db: sqlite3.Connection, run_id: str, *, ks: Sequence[int], base: Path, with_code: bool = True
) -> EvalRun:
    """The run's configuration, summary and every sample with its levels (and code, when available).

    ``base``: folder against which a relative samples path is tried when it is not found from the
    current directory (the results file's folder).
    """
    created, config_text, host_text = db.execute(
        "SELECT created, config, host FROM runs WHERE run_id = ?", (run_id,)
    ).fetchone()
    config: dict[str, Any] = json.loads(config_text)
    timed: dict[str, bool] = {}
    broken: dict[str, str] = {}
    dropped: list[dict[str, Any]] = []
    for task_id, text in db.execute(
        "SELECT task_id, reference FROM problems WHERE run_id = ? ORDER BY task_id", (run_id,)
    ):
        reference = json.loads(text)
        # A problem is timed when its reference was measured on some case: what evaluate's suite says.
        timed[task_id] = bool(reference.get("timed"))
        if "broken" in reference:
            broken[task_id] = str(reference["broken"])
        dropped.extend({"task_id": task_id, **item} for item in reference.get("dropped", []))
    levels = _levels(db, run_id)
    rows = [
        dataclasses.replace(row, levels=levels.get((row.task_id, row.sample), ()))
        for row in _sample_rows(db, run_id)
    ]
    summary = summarize(rows, ks=ks, timed=timed, metric=str(config.get("metric", "time")),
                        baseline=str(config.get("baseline") or "slowest reference"), broken=broken,
                        dropped=dropped)  # fmt: skip
    notes: list[str] = []
    codes = _codes(config, rows, base, notes) if with_code else {}
    samples = tuple(SampleDetail(row, codes.get((row.task_id, row.sample))) for row in rows)
    return EvalRun(run_id, float(created), config, json.loads(host_text), summary, samples, tuple(notes))


def _sample_rows(db: sqlite3.Connection, run_id: str) -> list[SampleRow]:
    rows = db.execute(
        "SELECT task_id, sample, line, verdict, passed, score, speedup, beats_best, dpe, detail, seconds "
        "FROM samples WHERE run_id = ? ORDER BY task_id, sample",
        (run_id,),
    )
    return [
        SampleRow(task, sample, line, verdict, bool(passed), score, speedup, bool(beats), dpe, detail, sec)
        for task, sample, line, verdict, passed, score, speedup, beats, dpe, detail, sec in rows
    ]


def _levels(db: sqlite3.Connection, run_id: str) -> dict[tuple[str, int], tuple[LevelRow, ...]]:
    found: dict[tuple[str, int], list[LevelRow]] = {}
    rows = db.execute(
        "SELECT task_id, sample, level, verdict, cost, reference_cost FROM levels WHERE run_id = ? "
        "ORDER BY task_id, sample, level",
        (run_id,),
    )
    for task_id, sample, level, verdict, cost, reference_cost in rows:
        found.setdefault((task_id, sample), []).append(LevelRow(level, verdict, cost, reference_cost))
    return {key: tuple(value) for key, value in found.items()}


def _codes(
    config: dict[str, Any], rows: Sequence[SampleRow], base: Path, notes: list[str]
) -> dict[tuple[str, int], str]:
    """Each sample's program, read back from the run's samples file (the store keeps no code)."""
    name = config.get("samples")
    source = config.get("suite")
    if not isinstance(name, str) or not isinstance(source, str):
        notes.append("programs not shown: the run does not record its samples file or suite")
        return {}
    candidates = [Path(name), base / name]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        notes.append(f"programs not shown: the samples file {name} is gone (the store keeps no code)")
        return {}
    try:
        suite = load_suite(source)
        sample_file = open_samples(path, suite, skip_bad=True)
    except InvalidArgument as exc:
        notes.append(f"programs not shown: {exc}")
        return {}
    if sample_file.digest != config.get("samples_digest"):
        notes.append(f"programs not shown: the samples file {name} has changed since it was evaluated")
        return {}
    prompts = {p.id: p.prompt for p in suite}
    found: dict[tuple[str, int], str] = {}
    for row in rows:
        refs = sample_file.by_task.get(row.task_id, [])
        if row.sample < len(refs):
            found[(row.task_id, row.sample)] = sample_file.program_text(refs[row.sample], prompts.__getitem__)
    return found


def load_optimize_runs(db: sqlite3.Connection, wanted: Sequence[str] | None) -> list[OptimizeRun]:
    """The chosen optimize runs of the results file (all of them when ``wanted`` is None), oldest first."""
    if not _has_table(db, "optimize_runs"):
        if wanted:
            raise InvalidArgument(f"--optimize-run {wanted[0]!r}: the file holds no optimize run")
        return []
    runs: list[OptimizeRun] = []
    known = {str(r) for (r,) in db.execute("SELECT run_id FROM optimize_runs")}
    for item in wanted or ():
        if item not in known:
            raise InvalidArgument(f"--optimize-run {item!r}: no optimize run with that number")
    for run_id, target, result_text in db.execute(
        "SELECT run_id, target, result FROM optimize_runs ORDER BY run_id"
    ):
        if wanted is not None and str(run_id) not in wanted:
            continue
        records = [
            json.loads(text)
            for (text,) in db.execute(
                "SELECT record FROM optimize_attempts WHERE run_id = ? ORDER BY attempt", (run_id,)
            )
        ]
        result = json.loads(result_text) if result_text else None
        runs.append(_optimize_run(str(run_id), str(target), result, records))
    return runs


def _optimize_run(
    run_id: str, target: str, result: dict[str, Any] | None, records: Sequence[dict[str, Any]]
) -> OptimizeRun:
    attempts = tuple(_attempt(record) for record in records if isinstance(record, dict))
    accepted = None if result is None else bool(result.get("accepted"))
    speedup = _number(result.get("speedup")) if result is not None else None
    return OptimizeRun(run_id, target, accepted, speedup, attempts)


def _attempt(record: dict[str, Any]) -> AttemptDetail:
    ci = record.get("ci")
    interval = None
    if isinstance(ci, list) and len(ci) == 2:
        low, high = _number(ci[0]), _number(ci[1])
        interval = (low, high) if low is not None and high is not None else None
    code = record.get("function") or record.get("module")
    return AttemptDetail(
        index=int(record.get("index", 0)),
        strategy=str(record.get("strategy", "")),
        round=record.get("round") if isinstance(record.get("round"), int) else None,
        verdict=str(record.get("verdict") or "pending"),
        detail=str(record.get("detail") or ""),
        speedup=_number(record.get("speedup")),
        ci=interval,
        checked=record.get("checked") if isinstance(record.get("checked"), int) else None,
        code=code if isinstance(code, str) else None,
        failing_input=_text(record.get("failing_input")),
        expected=_text(record.get("expected")),
        actual=_text(record.get("actual")),
    )


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


# -------------------------------------------------------------------------------------- --json outputs


def load_json_source(path: Path) -> ScaleData | CompareData | OptimizeRun:
    """A ``scale``, ``compare`` or ``optimize`` ``--json`` output, recognised by its keys."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidArgument(f"{str(path)!r}: not a results file nor a readable JSON file ({exc})") from None
    return json_source(data, path.name)


def json_source(data: object, label: str) -> ScaleData | CompareData | OptimizeRun:
    """The same, from an object in memory (what ``--report`` on those commands passes)."""
    if isinstance(data, dict) and isinstance(data.get("points"), list) and "class" in data:
        return ScaleData(label, data)
    if isinstance(data, dict) and isinstance(data.get("a"), dict) and isinstance(data.get("b"), dict):
        return CompareData(label, data)
    if isinstance(data, dict) and isinstance(data.get("attempts"), list) and "accepted" in data:
        target = str(data.get("target") or label)
        run = data.get("run_id")
        return _optimize_run(str(run) if run is not None else label, target, data, data["attempts"])
    raise InvalidArgument(f"{label!r}: not the --json output of effilab scale, compare or optimize")
