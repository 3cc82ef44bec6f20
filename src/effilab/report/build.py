"""From sources to a written report: which runs, which samples get a section, which figures.

Sources are a results file (``--db`` of ``evaluate`` / ``optimize``) and any number of ``--json`` outputs
of ``scale``, ``compare`` and ``optimize``; ``scale`` and ``compare`` results are not stored anywhere, so
their JSON (or, from ``--report`` on those commands, the result in memory) is how they reach a report.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument
from effilab.report.anchors import Slugs
from effilab.report.data import (
    CompareData,
    EvalRun,
    OptimizeRun,
    SampleDetail,
    ScaleData,
    is_results_file,
    load_eval_run,
    load_json_source,
    load_optimize_runs,
    open_read_only,
    resolve_run,
)
from effilab.report.figures import (
    Figure,
    RunView,
    compare_figure,
    evaluation_figures,
    optimize_figure,
    scale_figure,
)
from effilab.report.html import PageParts, plotly_js, render

__all__ = ["MAX_OPTIMIZE_RUNS", "ReportFile", "Source", "build_report"]

MAX_OPTIMIZE_RUNS = 20
"""Optimize runs shown when none are named (the latest ones): a ``dataset build`` leaves hundreds."""

Source = str | os.PathLike[str] | ScaleData | CompareData | OptimizeRun
_KINDS: dict[type, str] = {ScaleData: "scale", CompareData: "compare", OptimizeRun: "optimize"}


@dataclasses.dataclass(frozen=True, slots=True)
class ReportFile:
    """A written report (``effilab report``)."""

    path: str
    bytes: int
    figures: int
    evaluation_runs: tuple[str, ...]
    optimize_runs: tuple[str, ...]
    scales: int
    compares: int
    samples_shown: int
    samples_left_out: int
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["evaluation_runs"] = list(self.evaluation_runs)
        data["optimize_runs"] = list(self.optimize_runs)
        data["notes"] = list(self.notes)
        return data


def build_report(
    sources: Sequence[Source],
    *,
    out: str | os.PathLike[str],
    run: str | None = None,
    compare: str | None = None,
    optimize_runs: Sequence[str] | None = None,
    ks: Sequence[int] = (1, 10),
    max_samples: int = 2000,
    title: str | None = None,
) -> ReportFile:
    """Read the sources, build the figures and write one HTML file to ``out`` (atomically)."""
    bundle = plotly_js()  # first: without the extra, fail before reading anything
    out_path = Path(out)
    if not out_path.parent.is_dir():
        raise InvalidArgument(f"out={str(out)!r}: folder {str(out_path.parent)!r} does not exist")
    results: list[Path] = []
    scales: list[ScaleData] = []
    compares: list[CompareData] = []
    optimized: list[OptimizeRun] = []
    names: list[str] = []
    for source in sources:
        if isinstance(source, ScaleData):
            scales.append(source)
        elif isinstance(source, CompareData):
            compares.append(source)
        elif isinstance(source, OptimizeRun):
            optimized.append(source)
        else:
            path = Path(source)
            if not path.is_file():
                raise InvalidArgument(f"{str(source)!r}: no such file")
            if is_results_file(path):
                results.append(path)
            else:
                loaded = load_json_source(path)
                target = scales if isinstance(loaded, ScaleData) else compares
                if isinstance(loaded, OptimizeRun):
                    optimized.append(loaded)
                else:
                    target.append(loaded)  # type: ignore[arg-type]
            names.append(str(source))
            continue
        names.append(f"{_KINDS[type(source)]} result")
    if len(results) > 1:
        raise InvalidArgument(
            f"{len(results)} results files: give one (a run of another file goes beside it with "
            "--compare FILE[:RUN])"
        )
    if (run or compare or optimize_runs) and not results:
        raise InvalidArgument("--run, --compare and --optimize-run need a results file")
    notes: list[str] = []
    runs: list[EvalRun] = []
    if results:
        runs, from_file = _from_results(results[0], run=run, compare=compare, wanted=optimize_runs, ks=ks)
        if optimize_runs is None and len(from_file) > MAX_OPTIMIZE_RUNS:
            notes.append(
                f"{len(from_file)} optimize runs in the file: the latest {MAX_OPTIMIZE_RUNS} are "
                "shown (--optimize-run N picks others)"
            )
            from_file = from_file[-MAX_OPTIMIZE_RUNS:]
        optimized = from_file + optimized
    if not (runs or optimized or scales or compares):
        raise InvalidArgument(
            f"{', '.join(names) or 'no source'}: nothing to report (no evaluation or "
            "optimize run, no scale or compare result)"
        )
    slugs = Slugs()
    shown, left_out = _choose_samples(runs, max_samples)
    views = _views(runs, slugs, shown)
    figures: list[Figure] = evaluation_figures(views) if views else []
    figures.extend(optimize_figure(r, i) for i, r in enumerate(optimized))
    figures.extend(scale_figure(s, i) for i, s in enumerate(scales))
    figures.extend(compare_figure(c, i) for i, c in enumerate(compares))
    parts = PageParts(
        title=title or "effilab report",
        sources=tuple(names),
        views=tuple(views),
        shown={view.tag: tuple(s for s in view.run.samples if _key(s) in view.shown) for view in views},
        optimize=tuple(optimized),
        scales=tuple(scales),
        compares=tuple(compares),
        figures=tuple(figures),
        notes=tuple(notes),
    )
    page = render(parts, bundle=bundle).encode("utf-8")
    _write_atomically(out_path, page)
    return ReportFile(
        path=str(out_path),
        bytes=len(page),
        figures=len(figures),
        evaluation_runs=tuple(r.run_id for r in runs),
        optimize_runs=tuple(r.run_id for r in optimized),
        scales=len(scales),
        compares=len(compares),
        samples_shown=sum(len(v) for v in parts.shown.values()),
        samples_left_out=left_out,
        notes=tuple(notes) + tuple(n for r in runs for n in r.notes),
    )


def _from_results(
    path: Path, *, run: str | None, compare: str | None, wanted: Sequence[str] | None, ks: Sequence[int]
) -> tuple[list[EvalRun], list[OptimizeRun]]:
    db = open_read_only(path)
    try:
        runs: list[EvalRun] = []
        from_file = load_optimize_runs(db, None if wanted is None else list(wanted))
        has_runs = db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs'"
        ).fetchone()[0]
        if run is not None or compare is not None or (has_runs and wanted is None):
            try:
                main = resolve_run(db, run, path)
            except InvalidArgument:
                if run is not None or compare is not None or not from_file:
                    raise
                main = None  # an optimize-only file
            if main is not None:
                runs.append(load_eval_run(db, main, ks=ks, base=path.parent))
        if compare is not None:
            runs.append(_compare_run(db, path, compare, ks))
        return runs, from_file
    finally:
        db.close()


def _compare_run(db: Any, path: Path, compare: str, ks: Sequence[int]) -> EvalRun:
    """``--compare``: a run id of the same file, or ``FILE`` (its latest run), or ``FILE:RUN``."""
    file, _, run_id = compare.rpartition(":")
    candidates = [(Path(compare), None)] + ([(Path(file), run_id or None)] if file else [])
    for other, wanted in candidates:
        if other.is_file():
            other_db = open_read_only(other)
            try:
                found = resolve_run(other_db, wanted, other)
                return load_eval_run(other_db, found, ks=ks, base=other.parent)
            finally:
                other_db.close()
    return load_eval_run(db, resolve_run(db, compare, path), ks=ks, base=path.parent)


def _key(item: SampleDetail) -> tuple[str, int]:
    return (item.row.task_id, item.row.sample)


def _choose_samples(runs: Sequence[EvalRun], limit: int) -> tuple[dict[str, set[tuple[str, int]]], int]:
    """Up to ``limit`` samples per run get a section: the first ones of every problem in turn, so each
    problem keeps some (round-robin), rather than the first problems keeping all of theirs."""
    shown: dict[str, set[tuple[str, int]]] = {}
    left_out = 0
    for tag, run in zip(("", "b"), runs, strict=False):
        by_task: dict[str, list[SampleDetail]] = {}
        for item in run.samples:
            by_task.setdefault(item.row.task_id, []).append(item)
        chosen: set[tuple[str, int]] = set()
        depth = 0
        while len(chosen) < min(limit, len(run.samples)):
            for items in by_task.values():
                if depth < len(items) and len(chosen) < limit:
                    chosen.add(_key(items[depth]))
            depth += 1
        shown[tag] = chosen
        left_out += len(run.samples) - len(chosen)
    return shown, left_out


def _views(runs: Sequence[EvalRun], slugs: Slugs, shown: dict[str, set[tuple[str, int]]]) -> list[RunView]:
    names = [r.label for r in runs]
    if len(names) == 2 and names[0] == names[1]:
        names = [f"{names[0]} A", f"{names[1]} B"]
    return [
        RunView(run, tag, name, slugs, frozenset(shown[tag]))
        for run, tag, name in zip(runs, ("", "b"), names, strict=False)
    ]


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
