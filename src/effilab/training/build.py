"""``effilab dataset build``: Effi-Code's pipeline on a suite, resumable stage by stage.

For every problem of the suite:

1. **generate** ``n`` samples with the model (:func:`effilab.generate.generate`, into ``OUT/samples.jsonl``;
   samples already in the file are not requested again);
2. **evaluate** them (:func:`effilab.api.evaluate`; a resumed run skips stored samples). The build draws
   one secret input seed and keeps it, so step 4 sees the same inputs;
3. **optimize** every distinct correct sample with the profile-guided loop of ``effilab optimize`` (the
   sample is the oracle; :func:`effilab.training.solution.optimize_solution`); each outcome is committed
   to ``dataset_optimized`` as soon as it is known, so a resumed build skips it;
4. **verify** the accepted versions on the problem's own tests, measured like any sample: they are written
   to ``OUT/optimized.jsonl`` (with where they came from and the speedup the optimizer measured) and
   evaluated as a second run;
5. **export** SFT, DPO and RRHF records of the two runs to ``OUT/sft.jsonl``, ``OUT/dpo.jsonl`` and
   ``OUT/rrhf.jsonl`` (:mod:`effilab.training.export`): the fastest verified version per problem, and the
   significant preference pairs, with provenance (model, speedup and its interval).

Prompt and completion tokens are counted per stage (generation from the samples file, so resumed runs
count what was spent before too; optimization from each finished optimize run) and stored in
``dataset_usage``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import secrets
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument
from effilab.evaluate.samples import open_samples
from effilab.evaluate.store import ResultStore
from effilab.generate import runner as generate_runner
from effilab.generate.runner import GenerateOptions
from effilab.models.chat import ChatConfigError
from effilab.optimize.session import OptimizeConfig
from effilab.reports import ProgressCallback, ProgressEvent, ProgressKind
from effilab.suites.model import Problem, Suite, fingerprint
from effilab.training.collect import collect
from effilab.training.export import build_records, write_records
from effilab.training.records import SignificanceRule
from effilab.training.solution import optimize_solution, strip_prefix
from effilab.training.store import BuildStore, OptimizedRow, Usage
from effilab.util import safejson

__all__ = ["BuildSettings", "DatasetReport", "build"]

STAGES = ("generate", "evaluate", "optimize", "verify", "export")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class BuildSettings:
    """Everything :func:`build` needs, resolved and checked by :func:`effilab.api.build_dataset`."""

    suite: Suite
    problems: tuple[Problem, ...]
    model: str
    base_url: str | None
    api_key: str
    n: int
    db: Path
    out: Path
    temperature: float | None = None
    max_tokens: int | None = None
    concurrency: int = 4
    request_timeout_s: float = 300.0
    workers: int | None = 1
    """Samples evaluated at once; None: the executor's own count (on Ray, the cluster's CPUs)."""
    executor: str = "local"
    """Where the evaluate and verify stages run sandboxes (``local``, ``ray``, ``ray://HOST:PORT``)."""
    isolation: str = "auto"
    optimize: OptimizeConfig
    """Strategy, rounds, budgets… of the optimize loop (its model, endpoint and key are the build's)."""
    optimize_per_problem: int | None = None
    """At most this many correct samples optimized per problem (fastest first); None: every one."""
    rule: SignificanceRule = dataclasses.field(default_factory=SignificanceRule)
    pairs_per_problem: int | None = 16


@dataclasses.dataclass(frozen=True, slots=True)
class DatasetReport:
    """What a build did and wrote (``to_dict()`` is ``effilab dataset build --json``)."""

    build_id: str
    suite: str
    model: str
    out: str
    resumed: bool
    complete: bool
    """False when a stage could not finish (samples the model never returned): run again to continue."""
    samples: int
    samples_correct: int
    samples_run: str | None
    optimized: dict[str, int]
    """Optimize outcomes by status (accepted, not_accepted, failed), this build in all."""
    optimized_now: int
    """Of those, finished in this invocation (the rest were done before an interruption)."""
    verify_run: str | None
    verified: int
    """Accepted versions that also passed the problem's tests in the verification run."""
    files: dict[str, str]
    records: dict[str, int]
    usage: dict[str, Usage]
    notes: tuple[str, ...]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        total = sum(self.usage.values(), Usage())
        return {
            "build_id": self.build_id,
            "suite": self.suite,
            "model": self.model,
            "out": self.out,
            "resumed": self.resumed,
            "complete": self.complete,
            "samples": self.samples,
            "samples_correct": self.samples_correct,
            "samples_run": self.samples_run,
            "optimized": dict(self.optimized),
            "optimized_now": self.optimized_now,
            "verify_run": self.verify_run,
            "verified": self.verified,
            "files": dict(self.files),
            "records": dict(self.records),
            "usage": {stage: u.to_dict() for stage, u in self.usage.items()} | {"total": total.to_dict()},
            "notes": list(self.notes),
            "seconds": round(self.seconds, 2),
        }


def _emit(progress: ProgressCallback | None, kind: ProgressKind, message: str, **counts: int) -> None:
    if progress is not None:
        progress(ProgressEvent(kind, message, **counts))


class _GenerateProgress:
    """generate's progress protocol, as ``generate:`` progress events."""

    def __init__(self, progress: ProgressCallback | None) -> None:
        self._progress = progress

    def start(self, total: int) -> None:
        _emit(
            self._progress, ProgressKind.START, f"generate: {total} samples to request", done=0, total=total
        )

    def advance(self, done: int, total: int, failed: int) -> None:
        _emit(self._progress, ProgressKind.ADVANCE, f"generate: {failed} failed" if failed else "generate:",
              done=done, total=total)  # fmt: skip

    def note(self, message: str) -> None:
        _emit(self._progress, ProgressKind.NOTE, f"generate: {message}")


def _staged(progress: ProgressCallback | None, stage: str) -> ProgressCallback | None:
    """evaluate's events, their messages prefixed with the stage."""
    if progress is None:
        return None
    callback = progress

    def forward(event: ProgressEvent) -> None:
        callback(dataclasses.replace(event, message=f"{stage}: {event.message}"))

    return forward


def build_id_for(suite: Suite, model: str, n: int, out: Path) -> str:
    """Same suite, model, n and output folder → the same build (and so a resume)."""
    return fingerprint(suite.fingerprint, model, str(n), str(out.resolve()))[:16]


def build(settings: BuildSettings, *, progress: ProgressCallback | None = None) -> DatasetReport:
    """Run (or resume) the pipeline; see the module docstring."""
    from effilab import api  # noqa: PLC0415 (api exposes this function: imported when it runs)

    started = time.perf_counter()
    s = settings
    s.out.mkdir(parents=True, exist_ok=True)
    build_id = build_id_for(s.suite, s.model, s.n, s.out)
    notes: list[str] = []
    config = {
        "suite": s.suite.source,
        "suite_fingerprint": s.suite.fingerprint,
        "model": s.model,
        "base_url": s.base_url,
        "n": s.n,
        "out": str(s.out.resolve()),
        "problems": [p.id for p in s.problems],
        "optimize": s.optimize.to_json(),
        "optimize_per_problem": s.optimize_per_problem,
    }
    with BuildStore(s.db) as store:
        fresh_seed = None if s.suite.settings.seed is not None else secrets.randbits(62)
        resumed, seed = store.open_build(build_id, config, fresh_seed)
    if s.suite.settings.seed is not None:
        seed = None  # the suite's own (published) inputs
    samples_path = s.out / "samples.jsonl"

    # 1. generate
    options = GenerateOptions(model=s.model, n=s.n, temperature=s.temperature, max_tokens=s.max_tokens,
                              concurrency=s.concurrency)  # fmt: skip
    generated = generate_runner.generate(
        s.problems, samples_path, options, base_url=s.base_url, api_key=s.api_key,
        timeout_s=s.request_timeout_s, progress=_GenerateProgress(progress),
    )  # fmt: skip
    generate_usage = _file_usage(samples_path, s.model)
    with BuildStore(s.db) as store:
        store.set_usage(build_id, "generate", generate_usage)
    if generated.failures:
        failure = generated.failures[0]
        notes.append(
            f"{len(generated.failures)} samples could not be obtained (e.g. {failure.task_id} sample "
            f"{failure.sample}: {failure.reason}); run the same command again to request them"
        )
        return _report(s, build_id, resumed, False, None, None, {}, 0, {}, notes, started)

    # 2. evaluate
    evaluated = api.evaluate(suite=s.suite, samples=samples_path, db=s.db, seed=seed, workers=s.workers,
                             isolation=s.isolation, progress=_staged(progress, "evaluate"),
                             executor=s.executor)  # fmt: skip
    samples_run = evaluated.info.run_id
    with BuildStore(s.db) as store:
        store.set_run(build_id, "samples", samples_run)

    # 3. optimize
    optimized_now = _optimize_stage(s, build_id, samples_run, samples_path, progress, notes)

    # 4. verify
    with BuildStore(s.db) as store:
        rows = store.optimized(build_id)
        optimize_usage = sum((r.usage for r in rows), Usage())
        store.set_usage(build_id, "optimize", optimize_usage)
    accepted = [r for r in rows if r.status == "accepted" and r.code]
    verify_run: str | None = None
    if accepted:
        optimized_path = s.out / "optimized.jsonl"
        _write_if_changed(optimized_path, _optimized_lines(accepted, samples_run, s.model))
        verified = api.evaluate(suite=s.suite, samples=optimized_path, db=s.db, seed=seed, workers=s.workers,
                                isolation=s.isolation, progress=_staged(progress, "verify"),
                                executor=s.executor)  # fmt: skip
        verify_run = verified.info.run_id
        with BuildStore(s.db) as store:
            store.set_run(build_id, "verify", verify_run)

    # 5. export
    _emit(progress, ProgressKind.NOTE, "export: writing SFT, DPO and RRHF records")
    runs = [samples_run] + ([verify_run] if verify_run else [])
    collected = collect(s.db, runs=runs, suite=s.suite)
    files: dict[str, str] = {}
    counts: dict[str, int] = {}
    for fmt in ("sft", "dpo", "rrhf"):
        records = build_records(collected, fmt, rule=s.rule, pairs_per_problem=s.pairs_per_problem)
        path = s.out / f"{fmt}.jsonl"
        write_records(records, path)
        files[fmt], counts[fmt] = str(path), len(records)
    with BuildStore(s.db) as store:
        store.finish(build_id)
    return _report(s, build_id, resumed, True, samples_run, verify_run, files, optimized_now, counts, notes,
                   started)  # fmt: skip


def _optimize_stage(
    s: BuildSettings,
    build_id: str,
    samples_run: str,
    samples_path: Path,
    progress: ProgressCallback | None,
    notes: list[str],
) -> int:
    """Optimize the distinct correct samples not done yet; returns how many finished now."""
    todo = _to_optimize(s, build_id, samples_run)
    with BuildStore(s.db) as store:
        done = {(r.task_id, r.sample) for r in store.optimized(build_id)}
    remaining = [item for item in todo if (item[0].id, item[1]) not in done]
    _emit(progress, ProgressKind.START, f"optimize: {len(remaining)} correct samples to optimize",
          done=len(todo) - len(remaining), total=len(todo))  # fmt: skip
    finished = len(todo) - len(remaining)
    optimize_config = dataclasses.replace(s.optimize, model=s.model, base_url=s.base_url, api_key=s.api_key)
    for problem, sample, code in remaining:
        workdir = s.out / "work" / _slug(problem.id) / f"sample-{sample}"

        def log(message: str, task: str = problem.id) -> None:
            _emit(progress, ProgressKind.NOTE, f"optimize: {task}: {message}")

        row = _optimize_one(problem, sample, code, workdir, optimize_config, s.db, log)
        with BuildStore(s.db) as store:
            store.add_optimized(build_id, row)
        finished += 1
        _emit(progress, ProgressKind.ADVANCE, f"optimize: {problem.id} #{sample} {row.status}",
              done=finished, total=len(todo))  # fmt: skip
    return len(remaining)


def _to_optimize(s: BuildSettings, build_id: str, samples_run: str) -> list[tuple[Problem, int, str]]:
    """(problem, sample, code) of every distinct correct sample, fastest first within a problem."""
    sample_file = open_samples(s.out / "samples.jsonl", s.suite)
    prompts = {p.id: p.prompt for p in s.suite}
    with ResultStore(s.db) as results:
        rows = [r for r in results.samples(samples_run) if r.passed]
    by_task: dict[str, list[tuple[float, int, str]]] = {}
    for row in rows:
        refs = sample_file.by_task.get(row.task_id, [])
        if row.sample >= len(refs):
            continue
        code = sample_file.program_text(refs[row.sample], prompts.__getitem__)
        by_task.setdefault(row.task_id, []).append((-(row.speedup or 0.0), row.sample, code))
    chosen: list[tuple[Problem, int, str]] = []
    for problem in s.problems:
        seen: set[str] = set()
        picked = 0
        for _, sample, code in sorted(by_task.get(problem.id, [])):
            if not code.strip() or code.strip() in seen:
                continue
            if s.optimize_per_problem is not None and picked >= s.optimize_per_problem:
                break
            seen.add(code.strip())
            picked += 1
            chosen.append((problem, sample, code))
    return chosen


def _optimize_one(
    problem: Problem,
    sample: int,
    code: str,
    workdir: Path,
    config: OptimizeConfig,
    db: Path,
    log: Callable[[str], None],
) -> OptimizedRow:
    try:
        result = optimize_solution(problem, code, workdir=workdir, config=config, db=db, log=log)
    except ChatConfigError:
        raise  # the key, model or URL is wrong: every other solution would fail the same way
    except InvalidArgument as exc:
        if str(exc).startswith("the model endpoint failed on every request"):
            raise  # the endpoint is down: stop, and retry this solution on the next run
        return OptimizedRow(problem.id, sample, "failed", None, None, None, None, Usage(), str(exc))
    usage = Usage(result.usage.model_calls, result.usage.prompt_tokens, result.usage.completion_tokens)
    best = result.best
    if result.accepted and best is not None and best.speedup is not None and best.ci is not None:
        return OptimizedRow(problem.id, sample, "accepted", result.run_id, best.speedup, best.ci,
                            strip_prefix(problem, best.module_source), usage, best.detail)  # fmt: skip
    verdicts = Counter(a.outcome.value for a in result.attempts if a.outcome is not None)
    detail = ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())) or "no attempt"
    return OptimizedRow(problem.id, sample, "not_accepted", result.run_id, None, None, None, usage, detail)


def _optimized_lines(rows: Sequence[OptimizedRow], samples_run: str, model: str) -> bytes:
    lines = []
    for row in rows:
        assert row.code is not None
        assert row.ci is not None
        record = {
            "task_id": row.task_id,
            "solution": row.code,
            "optimized_from": {
                "run_id": samples_run,
                "sample": row.sample,
                "speedup": row.speedup,
                "ci": list(row.ci),
                "optimize_run": row.optimize_run,
                "model": model,
            },
        }
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return "".join(line + "\n" for line in lines).encode()


def _write_if_changed(path: Path, data: bytes) -> None:
    """Same content, same file (so its evaluation run, keyed by the file's digest, resumes)."""
    if path.is_file() and path.read_bytes() == data:
        return
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "wb") as sink:
        sink.write(data)
        sink.flush()
        os.fsync(sink.fileno())
    os.replace(temporary, path)


def _file_usage(path: Path, model: str) -> Usage:
    """Tokens of every sample in the file (so a resumed build counts what earlier runs spent)."""
    calls = prompt = completion = 0
    if not path.is_file():
        return Usage()
    with path.open("rb") as handle:
        for raw in handle:
            try:
                record = safejson.loads(raw)
            except safejson.JSONInputError:
                continue
            if not isinstance(record, dict) or record.get("model") not in (None, model):
                continue
            calls += 1
            for key, value in (("prompt_tokens", record.get("prompt_tokens")),
                               ("completion_tokens", record.get("completion_tokens"))):  # fmt: skip
                if isinstance(value, int) and not isinstance(value, bool):
                    if key == "prompt_tokens":
                        prompt += value
                    else:
                        completion += value
    return Usage(calls, prompt, completion)


def _slug(task_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", task_id).strip("._") or "task"


def _report(
    s: BuildSettings,
    build_id: str,
    resumed: bool,
    complete: bool,
    samples_run: str | None,
    verify_run: str | None,
    files: dict[str, str],
    optimized_now: int,
    counts: dict[str, int],
    notes: list[str],
    started: float,
) -> DatasetReport:
    samples = correct = verified = 0
    with ResultStore(s.db) as results:
        if samples_run is not None:
            rows = list(results.samples(samples_run))
            samples, correct = len(rows), sum(1 for r in rows if r.passed)
        if verify_run is not None:
            verified = sum(1 for r in results.samples(verify_run) if r.passed)
    with BuildStore(s.db) as store:
        statuses = Counter(r.status for r in store.optimized(build_id))
        usage = store.usage(build_id)
    failed_optimize = statuses.get("failed", 0)
    if failed_optimize:
        notes.append(
            f"the optimizer could not work on {failed_optimize} solutions (reasons in dataset_optimized)"
        )
    return DatasetReport(
        build_id=build_id,
        suite=s.suite.name,
        model=s.model,
        out=str(s.out),
        resumed=resumed,
        complete=complete,
        samples=samples,
        samples_correct=correct,
        samples_run=samples_run,
        optimized=dict(sorted(statuses.items())),
        optimized_now=optimized_now,
        verify_run=verify_run,
        verified=verified,
        files=files,
        records=counts,
        usage={stage: usage[stage] for stage in STAGES if stage in usage},
        notes=tuple(notes),
        seconds=time.perf_counter() - started,
    )
