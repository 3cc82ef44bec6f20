"""effilab's public Python API: what each command does, as a function returning a typed result.

.. code-block:: python

    import effilab

    report = effilab.evaluate(suite="effilab", samples="s.jsonl", k=(1, 10), db="r.sqlite", workers=2)
    print(report.metric("pass@1"), report.metric("eff@1"))

Every option is keyword-only and named as on the command line (``--float-tol`` is ``float_tol``); the
programs a function works on come first, positionally. Arguments are validated here, once, before any file
is opened or sandbox started: a bad one raises :class:`~effilab.errors.InvalidArgument` naming it and its
value. Progress goes to an optional callback; nothing is printed. A candidate's failure is data (a
verdict in the result); an exception means effilab could not do what was asked.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from effilab.errors import InvalidArgument
from effilab.evaluate.engine import METRICS as EVAL_METRICS
from effilab.evaluate.engine import EvalConfig
from effilab.evaluate.runner import evaluate as run_evaluation
from effilab.evaluate.samples import open_samples
from effilab.evaluate.store import ResultStore, SampleRow
from effilab.executors.base import make_executor, parse_executor
from effilab.measure import METRICS, Program, generate_inputs
from effilab.measure import compare as measure_compare
from effilab.measure import scale as measure_scale
from effilab.measure.backends import BACKENDS
from effilab.measure.program import read_source
from effilab.models.chat import DEFAULT_API_KEY_ENV, api_key_from_env, resolve_base_url
from effilab.optimize.prompts import DEFAULT_PROMPTS
from effilab.optimize.session import OptimizeConfig
from effilab.optimize.session import optimize as run_optimize
from effilab.optimize.strategies import STRATEGIES, resolve_strategy
from effilab.report.build import ReportFile, Source, build_report
from effilab.report.data import json_source
from effilab.reports import (
    CompareReport,
    DoctorReport,
    EvaluateReport,
    OptimizeReport,
    ProgressCallback,
    ProgressEvent,
    ProgressKind,
    RunReport,
    ScaleReport,
)
from effilab.sandbox import ISOLATION_TIERS, Limits, RunRequest, Verdict
from effilab.sandbox import run as run_sandboxed
from effilab.sandbox.accounting import accounting_root
from effilab.sandbox.limits import MAX_MEMORY_MB
from effilab.sandbox.probe import probe
from effilab.suites.model import Suite
from effilab.suites.registry import load_suite as load_suite_spec
from effilab.training.build import BuildSettings, DatasetReport
from effilab.training.build import build as run_build
from effilab.training.export import FORMATS as EXPORT_FORMATS
from effilab.training.export import ExportReport, export_records
from effilab.training.records import SignificanceRule
from effilab.util.argcheck import choice, count, nesting_depth, number, seconds

__all__ = [
    "DEFAULT_DB",
    "build_dataset",
    "compare",
    "doctor",
    "evaluate",
    "export",
    "load_suite",
    "optimize",
    "report",
    "run",
    "scale",
]

DEFAULT_DB = "effilab-results.sqlite"
MAX_ARG_DEPTH = 200
"""Deepest nesting of call arguments accepted: the sandbox's bootstrap copies arguments recursively, and
deeper values exhausted its stack (reported as a crash of the candidate, which was not at fault)."""
MAX_ALPHA = 1000.0
"""Largest time-limit factor: larger ones made the per-call limits overflow integer deadlines mid-run."""
_SEED_RANGE = (-(2**63), 2**63 - 1)
_ISOLATIONS = ("auto", *ISOLATION_TIERS)


def _emit(progress: ProgressCallback | None, event: ProgressEvent) -> None:
    if progress is not None:
        progress(event)


def _path(name: str, value: str | os.PathLike[str]) -> str:
    if not isinstance(value, str | os.PathLike):
        raise InvalidArgument(f"{name}={value!r}: must be a path")
    return os.fspath(value)


# ------------------------------------------------------------------------------------------------- run


def run(
    file: str | os.PathLike[str],
    /,
    *,
    entry: str,
    args: Sequence[object] = (),
    timeout: float = 10.0,
    memory_mb: int = 1024,
    isolation: str = "auto",
) -> RunReport:
    """Call ``entry(*args)`` from ``file`` once in the sandbox (what ``effilab exec`` does)."""
    if not isinstance(args, list | tuple):
        raise InvalidArgument(f"args: must be a list of positional arguments, got {type(args).__name__}")
    if nesting_depth(args, MAX_ARG_DEPTH) > MAX_ARG_DEPTH:
        raise InvalidArgument(f"args: nested more than {MAX_ARG_DEPTH} levels deep")
    limits = Limits(
        timeout_s=seconds("timeout", timeout),
        memory_mb=count("memory_mb", memory_mb, low=64, high=MAX_MEMORY_MB),
    )
    choice("isolation", isolation, _ISOLATIONS)
    path = _path("file", file)
    request = RunRequest(source=read_source(path), entry=entry, calls=[list(args)], filename=path,
                         limits=limits, isolation=isolation)  # fmt: skip
    return RunReport(run_sandboxed(request))


# --------------------------------------------------------------------------------------- compare, scale


def compare(
    a: str | os.PathLike[str],
    b: str | os.PathLike[str],
    /,
    *,
    entry: str,
    inputs: str | os.PathLike[str],
    size: int = 1000,
    cases: int = 3,
    metric: str = "time",
    confidence: float = 0.95,
    budget: float = 30.0,
    float_tol: float = 1e-9,
    timeout: float | None = None,
    seed: int = 0,
    isolation: str = "auto",
    progress: ProgressCallback | None = None,
) -> CompareReport:
    """Measure B against A (the oracle) on ``cases`` inputs of ``size`` from ``generate(size, rng)``.

    Raises :class:`InvalidArgument` when B cannot even be loaded (no speedup can be claimed of it); B's
    wrong answers are the ``incorrect`` verdict.
    """
    number("confidence", confidence, low=0.5, high=1, high_open=True)
    budget_s = seconds("budget", budget)
    count("size", size, high=10**12)
    count("cases", cases, low=1, high=10_000)
    number("float_tol", float_tol, low=0)
    count("seed", seed, low=_SEED_RANGE[0], high=_SEED_RANGE[1])
    choice("metric", metric, METRICS)
    choice("isolation", isolation, _ISOLATIONS)
    limits = None if timeout is None else Limits(timeout_s=seconds("timeout", timeout))
    program_a = Program.from_path(_path("a", a), entry, what="A")
    program_b = Program.from_path(_path("b", b), entry, what="B")
    seeds = [seed + i for i in range(cases)]
    generated = generate_inputs(_path("inputs", inputs), size=size, seeds=seeds, isolation=isolation)

    def on_round(samples: int, elapsed: float) -> None:
        _emit(progress, ProgressEvent(ProgressKind.ADVANCE, f"({samples} samples per side, {elapsed:.0f} s)",
                                      done=samples))  # fmt: skip

    result = measure_compare(program_a, program_b, generated, metric=metric, confidence=confidence,
                             budget_s=budget_s, limits=limits, isolation=isolation, float_tol=float_tol,
                             progress=on_round)  # fmt: skip
    failure = result.failure
    if (
        failure is not None
        and failure.case < 0
        and failure.verdict in (Verdict.MISSING_ENTRY, Verdict.SYNTAX_ERROR, Verdict.IMPORT_ERROR)
    ):
        raise InvalidArgument(f"B: {failure.detail}")
    return CompareReport(result)


def scale(
    file: str | os.PathLike[str],
    /,
    *,
    entry: str,
    inputs: str | os.PathLike[str],
    sizes: Sequence[int],
    metric: str = "time",
    samples: int = 5,
    cases: int = 1,
    timeout: float | None = None,
    isolation: str = "auto",
    progress: ProgressCallback | None = None,
) -> ScaleReport:
    """Measure ``entry`` at each size and fit cost = a·g(n) + b for O(1) … O(2^n)."""
    if isinstance(sizes, str) or not isinstance(sizes, Sequence):
        raise InvalidArgument(f"sizes={sizes!r}: must be a sequence of integers")
    for size in sizes:
        count("sizes", size, low=1, high=10**12)
    count("samples", samples, low=1, high=10_000)
    count("cases", cases, low=1, high=10_000)
    choice("metric", metric, METRICS)
    choice("isolation", isolation, _ISOLATIONS)
    limits = None if timeout is None else Limits(timeout_s=seconds("timeout", timeout))
    path = _path("file", file)
    program = Program.from_path(path, entry)
    result = measure_scale(program, _path("inputs", inputs), list(sizes), metric=metric, samples=samples,
                           cases=cases, limits=limits, isolation=isolation,
                           progress=lambda size: _emit(progress, ProgressEvent(
                               ProgressKind.ADVANCE, f"(size {size} done)", done=size)))  # fmt: skip
    if not result.points and result.stopped:
        raise InvalidArgument(f"{path}: nothing could be measured: {result.stopped}")
    return ScaleReport(result)


# -------------------------------------------------------------------------------------------- evaluate


def load_suite(spec: str | os.PathLike[str], /) -> Suite:
    """A suite by built-in name, folder, or ``enamel:CSV`` / ``evalplus:JSONL[.gz]`` / ``evalperf:JSONL``."""
    return load_suite_spec(_path("suite", spec))


class _ReporterAdapter:
    """The evaluation runner's reporter, turned into progress events."""

    def __init__(self, progress: ProgressCallback | None) -> None:
        self._progress = progress
        self._done = 0
        self._total = 0

    def start(self, total: int, done: int, resumed: bool) -> None:
        self._total, self._done = total, done
        message = f"resuming: {done} of {total} samples already done" if resumed else f"{total} samples"
        _emit(self._progress, ProgressEvent(ProgressKind.START, message, done=done, total=total))

    def advance(self, row: SampleRow) -> None:
        self._done += 1
        _emit(self._progress, ProgressEvent(ProgressKind.ADVANCE, f"{row.task_id} {row.verdict}",
                                            done=self._done, total=self._total))  # fmt: skip

    def note(self, text: str) -> None:
        _emit(self._progress, ProgressEvent(ProgressKind.NOTE, text))

    def close(self) -> None:
        return None


def _ks(k: int | Sequence[int]) -> tuple[int, ...]:
    values = [k] if isinstance(k, int) else k
    if isinstance(values, str) or not isinstance(values, Sequence) or not values:
        raise InvalidArgument(f"k={k!r}: must be a positive integer or a non-empty sequence of them")
    return tuple(sorted({count("k", value, low=1, high=10**6) for value in values}))


def evaluate(
    *,
    suite: str | os.PathLike[str] | Suite,
    samples: str | os.PathLike[str],
    k: int | Sequence[int] = (1,),
    db: str | os.PathLike[str] = DEFAULT_DB,
    workers: int | None = None,
    metric: str = "time",
    alpha: float | None = None,
    repetitions: int | None = None,
    seed: int | None = None,
    baseline: str | None = None,
    memory_mb: int | None = None,
    oracle_memory_mb: int | Literal["machine"] | None = None,
    oracle_timeout: float | None = None,
    skip_bad: bool = False,
    isolation: str = "auto",
    progress: ProgressCallback | None = None,
    executor: str = "local",
) -> EvaluateReport:
    """Check, measure and score ``samples`` on ``suite``; results go to ``db`` as they finish (resumable).

    Options left None take the suite's settings; ``oracle_memory_mb="machine"`` lifts the references'
    memory limit to the machine's memory. Nothing is opened before every argument has been checked.
    ``executor``: ``local`` (this machine), ``ray`` (this machine's Ray cluster, or a new local one) or
    ``ray://HOST:PORT`` (extra ``ray``); on Ray, ``workers`` defaults to the cluster's CPUs.
    """
    ks = _ks(k)
    parse_executor(executor)
    workers_given = workers is not None
    workers = count("workers", os.cpu_count() or 1 if workers is None else workers, low=1, high=4096)
    choice("metric", metric, EVAL_METRICS)
    choice("isolation", isolation, _ISOLATIONS)
    if alpha is not None:
        number("alpha", alpha, low=1, low_open=True, high=MAX_ALPHA)
    if repetitions is not None:
        count("repetitions", repetitions, low=1, high=1000)
    if seed is not None:
        count("seed", seed, low=0, high=2**63 - 1)
    if memory_mb is not None:
        count("memory_mb", memory_mb, low=64, high=MAX_MEMORY_MB)
    if oracle_memory_mb is not None and oracle_memory_mb != "machine":
        count("oracle_memory_mb", oracle_memory_mb, low=64, high=MAX_MEMORY_MB)
    if oracle_timeout is not None:
        seconds("oracle_timeout", oracle_timeout)
    db_path = _path("db", db)
    loaded = suite if isinstance(suite, Suite) else load_suite(suite)
    settings = loaded.settings
    if oracle_memory_mb is None:
        oracle_memory = settings.oracle_memory_mb
    else:
        oracle_memory = None if oracle_memory_mb == "machine" else oracle_memory_mb
    config = EvalConfig(
        metric=metric,
        alpha=settings.alpha if alpha is None else alpha,
        repetitions=settings.repetitions if repetitions is None else repetitions,
        seed=settings.seed if seed is None else seed,
        check_after_censor=settings.check_after_censor,
        isolation=isolation,
        baseline=baseline,
        memory_mb=settings.memory_mb if memory_mb is None else memory_mb,
        oracle_memory_mb=oracle_memory,
        oracle_timeout_s=settings.oracle_timeout_s if oracle_timeout is None else oracle_timeout,
    )
    # Built now so that a limit no sandbox could take is refused before the store is opened.
    config.oracle_limits()
    config.sample_limits()
    sample_file = open_samples(_path("samples", samples), loaded, skip_bad=skip_bad)
    if baseline is not None and not any(ref.name == baseline for p in loaded for ref in p.references):
        raise InvalidArgument(f"baseline={baseline!r}: no reference of that name in {loaded.name}")
    started = time.perf_counter()
    # The local executor keeps the runner's own thread pool (problem contexts shared in-process).
    remote = (
        None
        if executor == "local"
        else make_executor(executor, max_workers=workers if workers_given else None)
    )
    with ResultStore(db_path) as store, remote if remote is not None else contextlib.nullcontext():
        info = run_evaluation(loaded, sample_file, store, config, ks=ks, workers=workers,
                              reporter=_ReporterAdapter(progress), executor=remote)  # fmt: skip
    return EvaluateReport(info, loaded.name, db_path, time.perf_counter() - started)


# -------------------------------------------------------------------------------------------- optimize


def optimize(
    target: str,
    /,
    *,
    strategy: str = "auto",
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    api_key_env: str = DEFAULT_API_KEY_ENV,
    temperature: float | None = None,
    n: int = 3,
    rounds: int = 3,
    beam_width: int = 2,
    max_calls: int = 12,
    token_budget: int | None = None,
    max_tokens: int | None = None,
    request_timeout: float = 120.0,
    price_in: float = 0.0,
    price_out: float = 0.0,
    prompts: str = DEFAULT_PROMPTS,
    inputs: str | os.PathLike[str] | None = None,
    project: str | os.PathLike[str] | None = None,
    tests: Sequence[str | os.PathLike[str]] | None = None,
    run_tests: bool = True,
    site_packages: Sequence[str | os.PathLike[str]] | None = None,
    min_checked: int = 50,
    seed: int | None = None,
    allow_deps: bool = False,
    float_tol: float = 1e-9,
    confidence: float = 0.95,
    measure_budget: float = 20.0,
    time_budget: float = 1800.0,
    isolation: str = "auto",
    apply: bool = False,
    db: str | os.PathLike[str] | None = DEFAULT_DB,
    progress: ProgressCallback | None = None,
) -> OptimizeReport:
    """A faster ``FILE::FUNCTION`` (or ``FILE::Class.method``), verified equal to the original and measured.

    Without ``model`` the offline numba strategy runs; with one, the LLM strategies (any OpenAI-compatible
    endpoint; the key is ``api_key`` or the environment variable ``api_key_env``). The file is written only
    with ``apply=True``, after a backup. ``db=None`` keeps no trajectory.
    """
    if not isinstance(target, str):
        raise InvalidArgument(f"target={target!r}: must be 'FILE::FUNCTION'")
    choice("strategy", strategy, STRATEGIES)
    choice("isolation", isolation, _ISOLATIONS)
    for name, value in (("n", n), ("rounds", rounds), ("beam_width", beam_width), ("max_calls", max_calls),
                        ("min_checked", min_checked)):  # fmt: skip
        count(name, value, low=1, high=100_000)
    for name, limit in (("token_budget", token_budget), ("max_tokens", max_tokens)):
        if limit is not None:
            count(name, limit, low=1, high=10**12)
    if temperature is not None:
        number("temperature", temperature, low=0, high=10)
    for name, price in (("price_in", price_in), ("price_out", price_out)):
        number(name, price, low=0, high=10**9)
    number("float_tol", float_tol, low=0)
    number("confidence", confidence, low=0.5, high=1, high_open=True)
    for name, budget in (("request_timeout", request_timeout), ("measure_budget", measure_budget),
                         ("time_budget", time_budget)):  # fmt: skip
        seconds(name, budget)
    if seed is not None:
        count("seed", seed, low=0, high=2**63 - 1)
    uses_model = resolve_strategy(strategy, model=model).uses_model
    if uses_model and not model:
        raise InvalidArgument(f"--strategy {strategy}: needs --model (and an endpoint)")
    key, url = "", None
    if uses_model:
        key = api_key if api_key is not None else api_key_from_env(api_key_env)
        url = resolve_base_url(base_url)
    elif model:
        raise InvalidArgument(f"--model with --strategy {strategy}: the strategy uses no model")
    config = OptimizeConfig(
        strategy=strategy, model=model, base_url=url, api_key=key, temperature=temperature, n=n,
        rounds=rounds, beam_width=beam_width, max_calls=max_calls, max_tokens=max_tokens,
        token_budget=token_budget, time_budget_s=time_budget, price_in=price_in, price_out=price_out,
        request_timeout_s=request_timeout, prompts=prompts,
        inputs=None if inputs is None else _path("inputs", inputs),
        project=None if project is None else Path(project),
        tests=None if tests is None else tuple(Path(t) for t in tests), run_tests=run_tests,
        site_packages=None if site_packages is None else tuple(Path(p) for p in site_packages),
        seed=seed, min_checked=min_checked, allow_deps=allow_deps, float_tol=float_tol,
        confidence=confidence, measure_budget_s=measure_budget, isolation=isolation,
    )  # fmt: skip

    def log(message: str) -> None:
        _emit(progress, ProgressEvent(ProgressKind.NOTE, message))

    result = run_optimize(target, config, db=None if db is None else _path("db", db), apply=apply, log=log)
    return OptimizeReport(result)


# ---------------------------------------------------------------------------------------------- doctor


def doctor() -> DoctorReport:
    """What this machine supports: isolation tiers (each verified live), counters, Pythons, accounting."""
    caps = probe()
    backends = {name: backend.unavailable_reason() is None for name, backend in BACKENDS.items()}
    return DoctorReport(caps, backends, accounting_root())


# ---------------------------------------------------------------------------------------------- report

ReportSource = str | os.PathLike[str] | EvaluateReport | CompareReport | ScaleReport | OptimizeReport


def report(
    *sources: ReportSource,
    out: str | os.PathLike[str],
    run: str | None = None,
    compare: str | None = None,
    optimize_run: Sequence[str | int] | None = None,
    k: int | Sequence[int] | None = None,
    max_samples: int = 2000,
    title: str | None = None,
) -> ReportFile:
    """One self-contained HTML report at ``out`` (what ``effilab report`` does; needs the extra "report").

    ``sources``: a results file (its latest evaluation run, or ``run``, with ``compare`` beside it: a run
    id of the same file, ``FILE`` or ``FILE:RUN``; and its optimize runs, or those of ``optimize_run``),
    ``--json`` files of ``scale``, ``compare`` and ``optimize``, or the results those functions returned.
    ``k``: pass@k and eff@k shown (default: an evaluate result's own, else 1 and 10).
    """
    if not sources:
        raise InvalidArgument("sources: give a results file, a --json file or a result")
    items: list[Source] = []
    for i, source in enumerate(sources):
        if isinstance(source, EvaluateReport):
            if run is not None and run != source.info.run_id:
                raise InvalidArgument(f"run={run!r}: the evaluate result given is run {source.info.run_id}")
            items.append(source.db)
            run = source.info.run_id
            k = source.summary.ks if k is None else k
        elif isinstance(source, CompareReport | ScaleReport | OptimizeReport):
            name = type(source).__name__.removesuffix("Report").lower()
            items.append(json_source(source.to_dict(), f"{name} {i + 1}"))
        else:
            items.append(_path("sources", source))
    ks = _ks((1, 10) if k is None else k)
    count("max_samples", max_samples, low=0, high=10**7)
    runs = None
    if optimize_run is not None:
        if isinstance(optimize_run, str | int):
            optimize_run = [optimize_run]
        runs = [str(count("optimize_run", int(r) if isinstance(r, str) and r.isdigit() else r, low=1))
                for r in optimize_run]  # fmt: skip
    for name, value in (("run", run), ("compare", compare), ("title", title)):
        if value is not None and not isinstance(value, str):
            raise InvalidArgument(f"{name}={value!r}: must be a string")
    return build_report(items, out=_path("out", out), run=run, compare=compare, optimize_runs=runs, ks=ks,
                        max_samples=max_samples, title=title)  # fmt: skip


# ------------------------------------------------------------------------------------- training data


def export(
    *,
    db: str | os.PathLike[str],
    format: str,
    out: str | os.PathLike[str],
    run: Sequence[str] | str | None = None,
    suite: str | os.PathLike[str] | Suite | None = None,
    min_ratio: float = 1.5,
    alpha: float = 0.05,
    pairs_per_problem: int | None = 16,
    system: bool = False,
) -> ExportReport:
    """Training records from the results file ``db`` (what ``effilab export`` does).

    ``format``: ``sft`` (problem → its most efficient verified solution, as chat messages), ``dpo``
    (prompt, chosen, rejected, with the measured margin; only significant pairs: docs/training.md) or
    ``rrhf`` (prompt, responses, scores). ``out`` ending in ``.parquet`` writes Parquet (needs pyarrow),
    anything else JSONL. ``run``: only these evaluation runs (default all); ``suite``: only runs of this
    suite. ``system``: put generate's system message in front of the prompt.
    """
    choice("format", format, EXPORT_FORMATS)
    rule = SignificanceRule(
        min_ratio=number("min_ratio", min_ratio, low=1, high=1e6),
        alpha=number("alpha", alpha, low=0, high=1, low_open=True, high_open=True),
    )
    if pairs_per_problem is not None:
        count("pairs_per_problem", pairs_per_problem, low=1, high=10**6)
    runs = [run] if isinstance(run, str) else None if run is None else list(run)
    if runs is not None and not all(isinstance(r, str) and r for r in runs):
        raise InvalidArgument(f"run={run!r}: must be run ids (strings)")
    db_path, out_path = _path("db", db), _path("out", out)
    loaded = None if suite is None else suite if isinstance(suite, Suite) else load_suite(suite)
    return export_records(db_path, out_path, format, runs=runs, suite=loaded, rule=rule,
                          pairs_per_problem=pairs_per_problem, system=bool(system))  # fmt: skip


def build_dataset(
    *,
    suite: str | os.PathLike[str] | Suite,
    model: str,
    out: str | os.PathLike[str],
    n: int = 5,
    db: str | os.PathLike[str] = DEFAULT_DB,
    base_url: str | None = None,
    api_key: str | None = None,
    api_key_env: str = DEFAULT_API_KEY_ENV,
    problems: Sequence[str] | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    concurrency: int = 4,
    request_timeout: float = 300.0,
    workers: int | None = None,
    strategy: str = "refine",
    proposals: int = 2,
    rounds: int = 2,
    max_calls: int = 6,
    measure_budget: float = 20.0,
    time_budget: float = 1800.0,
    optimize_per_problem: int | None = None,
    min_ratio: float = 1.5,
    alpha: float = 0.05,
    pairs_per_problem: int | None = 16,
    isolation: str = "auto",
    progress: ProgressCallback | None = None,
    executor: str = "local",
) -> DatasetReport:
    """Effi-Code's pipeline on ``suite`` (what ``effilab dataset build`` does), resumable from ``db``.

    Per problem: ``n`` samples from ``model`` (any OpenAI-compatible endpoint), evaluated; every distinct
    correct sample (at most ``optimize_per_problem``, fastest first) goes through the optimize loop
    (``strategy`` with ``proposals`` per round, ``rounds``, ``max_calls``, ``time_budget`` seconds per
    solution); accepted versions are evaluated on the problem's tests; SFT, DPO and RRHF records go to
    ``out`` (a folder). Calling it again with the same suite, model, ``n`` and ``out`` continues the build.
    ``executor`` (``local``, ``ray``, ``ray://HOST:PORT``) runs the evaluate and verify stages' sandboxes;
    the optimize loop runs on this machine.
    """
    if not isinstance(model, str) or not model:
        raise InvalidArgument(f"model={model!r}: must be a model name")
    count("n", n, low=1, high=1_000_000)
    count("concurrency", concurrency, low=1, high=1024)
    parse_executor(executor)
    if workers is not None or executor == "local":  # on Ray, None: the cluster's CPUs
        workers = count("workers", os.cpu_count() or 1 if workers is None else workers, low=1, high=4096)
    for name, value in (("proposals", proposals), ("rounds", rounds), ("max_calls", max_calls)):
        count(name, value, low=1, high=100_000)
    if max_tokens is not None:
        count("max_tokens", max_tokens, low=1, high=10**9)
    if temperature is not None:
        number("temperature", temperature, low=0, high=10)
    for name, budget in (("request_timeout", request_timeout), ("measure_budget", measure_budget),
                         ("time_budget", time_budget)):  # fmt: skip
        seconds(name, budget)
    if optimize_per_problem is not None:
        count("optimize_per_problem", optimize_per_problem, low=1, high=10**6)
    if pairs_per_problem is not None:
        count("pairs_per_problem", pairs_per_problem, low=1, high=10**6)
    rule = SignificanceRule(
        min_ratio=number("min_ratio", min_ratio, low=1, high=1e6),
        alpha=number("alpha", alpha, low=0, high=1, low_open=True, high_open=True),
    )
    choice("isolation", isolation, _ISOLATIONS)
    if not resolve_strategy(strategy, model=model).uses_model:
        raise InvalidArgument(f"strategy={strategy!r}: the dataset build optimizes with the model")
    db_path, out_path = Path(_path("db", db)), Path(_path("out", out))
    if out_path.exists() and not out_path.is_dir():
        raise InvalidArgument(f"out={str(out)!r}: not a folder")
    key = api_key if api_key is not None else api_key_from_env(api_key_env)
    url = resolve_base_url(base_url)
    loaded = suite if isinstance(suite, Suite) else load_suite(suite)
    chosen = list(loaded)
    if problems is not None:
        wanted = [problems] if isinstance(problems, str) else list(problems)
        unknown = [p for p in wanted if loaded.get(p) is None]
        if unknown:
            raise InvalidArgument(f"problems: not in {loaded.name}: {', '.join(map(str, unknown[:5]))}")
        chosen = [p for p in loaded if p.id in set(wanted)]
    optimize_config = OptimizeConfig(
        strategy=strategy, model=model, base_url=url, api_key=key, n=proposals, rounds=rounds,
        max_calls=max_calls, max_tokens=max_tokens, time_budget_s=time_budget,
        request_timeout_s=request_timeout, measure_budget_s=measure_budget, isolation=isolation,
    )  # fmt: skip
    settings = BuildSettings(
        suite=loaded, problems=tuple(chosen), model=model, base_url=url, api_key=key, n=n, db=db_path,
        out=out_path, temperature=temperature, max_tokens=max_tokens, concurrency=concurrency,
        request_timeout_s=request_timeout, workers=workers, executor=executor, isolation=isolation,
        optimize=optimize_config,
        optimize_per_problem=optimize_per_problem, rule=rule, pairs_per_problem=pairs_per_problem,
    )  # fmt: skip
    return run_build(settings, progress=progress)
