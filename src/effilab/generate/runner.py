"""The generation loop: one chat-completions request per (problem, sample), resumable and fault tolerant.

Design choices, and why:

* **One request per sample** instead of the ``n`` parameter: several OpenAI-compatible servers ignore
  ``n`` or cap it, and one record per request keeps token accounting and resumption exact.
* **Append + flush per record** from the main thread only: a crash loses at most the record being
  written, concurrent workers never interleave bytes, and the file is always what ``effilab evaluate
  --samples`` reads.
* **Resume by (task_id, sample)**: an existing output is read first and pairs already present are not
  requested again, so re-running a command after an interruption (or twice) costs only what is missing.
* **Requests go through** :class:`effilab.models.chat.ChatClient` (one client shared by every worker):
  its explicit retry policy (:class:`RetryPolicy`) decides what is retried and how long to wait, and a
  sample that keeps failing (:class:`~effilab.models.chat.ChatFailure`) is reported and skipped instead
  of stopping the run. Failed samples are *not* written to the output (an empty solution would be scored
  as a wrong answer, though the model never answered); a later run requests them again.
* **Configuration errors stop everything**: 401/403 (key), 404 (model or base URL) would fail every
  request the same way, so the first one aborts the run with
  :class:`~effilab.models.chat.ChatConfigError` (an :class:`~effilab.errors.InvalidArgument`).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from effilab.errors import InvalidArgument
from effilab.generate.prompting import build_messages, extract_code
from effilab.models.chat import (
    DEFAULT_RETRY,
    FATAL_STATUS,
    RETRYABLE_STATUS,
    ChatClient,
    ChatConfigError,
    ChatFailure,
    RetryPolicy,
    _retry_after,  # noqa: F401  (re-exported: older imports use it)
)
from effilab.suites.model import Problem
from effilab.util import safejson

__all__ = [
    "DEFAULT_RETRY",
    "FATAL_STATUS",
    "RETRYABLE_STATUS",
    "Existing",
    "Failure",
    "GenerateOptions",
    "GenerationReport",
    "Job",
    "Progress",
    "RetryPolicy",
    "default_temperature",
    "generate",
    "plan_jobs",
    "read_existing",
]

# RetryPolicy, DEFAULT_RETRY and the status sets live in effilab.models.chat and are re-exported here.
# ``generate`` reads *this* module's DEFAULT_RETRY at call time, so ``monkeypatch.setattr(runner,
# "DEFAULT_RETRY", ...)`` still swaps the policy of a run.


@dataclasses.dataclass(frozen=True, slots=True)
class GenerateOptions:
    model: str
    n: int = 1
    temperature: float | None = None
    """None: :func:`default_temperature` (greedy for one sample, diverse for several)."""
    max_tokens: int | None = None
    """None: the server's default."""
    concurrency: int = 4

    def __post_init__(self) -> None:
        if not self.model:
            raise InvalidArgument("--model: must not be empty")
        if self.n < 1:
            raise InvalidArgument(f"--n={self.n}: must be at least 1")
        if self.concurrency < 1:
            raise InvalidArgument(f"--concurrency={self.concurrency}: must be at least 1")
        if self.max_tokens is not None and self.max_tokens < 1:
            raise InvalidArgument(f"--max-tokens={self.max_tokens}: must be at least 1")
        if self.temperature is not None and not (math.isfinite(self.temperature) and self.temperature >= 0):
            raise InvalidArgument(f"--temperature={self.temperature}: must be a number ≥ 0")

    @property
    def effective_temperature(self) -> float:
        return default_temperature(self.n) if self.temperature is None else self.temperature


def default_temperature(n: int) -> float:
    """0.0 for a single sample (the model's best guess), 0.8 for several (pass@k needs diversity)."""
    return 0.8 if n > 1 else 0.0


@dataclasses.dataclass(frozen=True, slots=True)
class Job:
    problem: Problem
    sample: int

    @property
    def key(self) -> tuple[str, int]:
        return (self.problem.id, self.sample)


@dataclasses.dataclass(frozen=True, slots=True)
class Failure:
    """A sample given up on: why, after how many attempts. Not written to the samples file."""

    task_id: str
    sample: int
    attempts: int
    reason: str


@dataclasses.dataclass(slots=True)
class GenerationReport:
    planned: int
    """(task_id, sample) pairs the run covers."""
    already_present: int
    """Of those, found in the output before the run (not requested)."""
    written: int = 0
    requests: int = 0
    """HTTP requests sent, retries included."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    failures: list[Failure] = dataclasses.field(default_factory=list)


class Progress(Protocol):
    """Where the loop reports; the CLI renders it as a progress bar or as log lines."""

    def start(self, total: int) -> None: ...

    def advance(self, done: int, total: int, failed: int) -> None: ...

    def note(self, message: str) -> None: ...


@dataclasses.dataclass(frozen=True, slots=True)
class Existing:
    """What an output file already holds, and how to make it safe to append to."""

    done: frozenset[tuple[str, int]]
    keep_bytes: int
    """Length of the valid prefix: everything after it is a torn last line to cut away."""
    add_newline: bool
    """The last record is complete but lacks its newline (edited by hand): append one before writing."""
    dropped: str | None
    """Description of the torn line that will be removed, for a warning."""


def read_existing(path: Path, model: str) -> Existing:
    """Read a previous output of this command.

    Every line must be a JSON object with ``task_id`` and ``sample``, except the last one, which may be
    the beginning of a record torn by a crash mid-write, and is then dropped. Records from another model
    are refused: resuming them would silently mix two models' samples in one file.
    """
    if not path.exists():
        return Existing(frozenset(), 0, add_newline=False, dropped=None)
    if not path.is_file():
        raise InvalidArgument(f"--out {str(path)!r}: not a regular file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidArgument(f"--out {str(path)!r}: cannot read: {exc.strerror or exc}") from None
    done: set[tuple[str, int]] = set()
    # (line number, byte offset where it starts, content) of every non-blank line.
    lines: list[tuple[int, int, bytes]] = []
    offset = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.strip():
            lines.append((number, offset, raw))
        offset += len(raw) + 1
    for index, (number, start, raw) in enumerate(lines):
        try:
            key, record_model = _parse_record(raw)
        except ValueError as exc:
            # Only what looks like the start of a record is dropped as torn: a file that is not ours
            # (a wrong --out) is an error, never truncated.
            if index == len(lines) - 1 and raw.lstrip().startswith(b"{"):
                return Existing(frozenset(done), start, add_newline=False, dropped=f"line {number}")
            raise InvalidArgument(f"{path}:{number}: not a sample record ({exc})") from None
        if record_model is not None and record_model != model:
            raise InvalidArgument(
                f"{path}:{number}: holds samples of model {record_model!r}, not {model!r}; use another --out"
            )
        done.add(key)
    add_newline = bool(data) and not data.endswith(b"\n")
    return Existing(frozenset(done), len(data), add_newline=add_newline, dropped=None)


def _parse_record(raw: bytes) -> tuple[tuple[str, int], str | None]:
    try:
        record = safejson.loads(raw)
    except safejson.JSONInputError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    task_id, sample, model = record.get("task_id"), record.get("sample"), record.get("model")
    if not isinstance(task_id, str) or isinstance(sample, bool) or not isinstance(sample, int) or sample < 0:
        raise ValueError("needs a string task_id and a non-negative integer sample")
    return (task_id, sample), model if isinstance(model, str) else None


def plan_jobs(problems: Sequence[Problem], n: int, done: Iterable[tuple[str, int]] = ()) -> list[Job]:
    """Every missing (problem, sample), sample-major: an interrupted run has sample 0 of every problem
    before sample 1 of any, so pass@1 over the whole suite is available as early as possible."""
    present = set(done)
    return [
        Job(problem, sample)
        for sample in range(n)
        for problem in problems
        if (problem.id, sample) not in present
    ]


@dataclasses.dataclass(frozen=True, slots=True)
class _Outcome:
    job: Job
    record: dict[str, Any] | None
    failure: Failure | None
    requests: int
    prompt_tokens: int
    completion_tokens: int


def generate(
    problems: Sequence[Problem],
    out: Path,
    options: GenerateOptions,
    *,
    base_url: str | None,
    api_key: str,
    timeout_s: float = 300.0,
    retry: RetryPolicy | None = None,
    progress: Progress | None = None,
) -> GenerationReport:
    """Write the missing samples of ``problems`` to ``out`` (JSONL), resuming what is already there.

    Requests go to ``base_url`` (None: the SDK's default) through one :class:`ChatClient` shared by the
    workers; ``api_key`` is scrubbed from every message shown, in case a server echoes it back. ``retry``
    None: this module's :data:`DEFAULT_RETRY` as it is now.
    Raises :class:`InvalidArgument` for a corrupt output file and :class:`ChatConfigError` (an
    InvalidArgument) for a request every sample would fail.
    """
    policy = retry if retry is not None else DEFAULT_RETRY
    existing = read_existing(out, options.model)
    jobs = plan_jobs(problems, options.n, existing.done)
    planned = len(problems) * options.n
    report = GenerationReport(planned=planned, already_present=planned - len(jobs))
    _prepare_output(out, existing, progress)
    if not jobs:
        return report
    # Built per run so that aborting this run (its ``stop`` event) cannot affect another caller's client.
    with ChatClient(
        model=options.model, base_url=base_url, api_key=api_key, timeout_s=timeout_s, policy=policy
    ) as chat:
        if progress is not None:
            progress.start(len(jobs))
        try:
            sink = out.open("ab")
        except OSError as exc:
            raise InvalidArgument(f"--out {str(out)!r}: cannot write: {exc.strerror or exc}") from None
        with sink:
            collector = _Collector(sink, report, progress, total=len(jobs))
            _run(chat, jobs, options=options, collector=collector)
    return report


def _prepare_output(out: Path, existing: Existing, progress: Progress | None) -> None:
    """Cut a torn last line away (or complete an unterminated record) so appending yields valid JSONL."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if existing.dropped is not None:
            with out.open("r+b") as handle:
                handle.truncate(existing.keep_bytes)
            if progress is not None:
                progress.note(f"{out}: dropped incomplete {existing.dropped} (interrupted write)")
        elif existing.add_newline:
            with out.open("ab") as handle:
                handle.write(b"\n")
    except OSError as exc:
        raise InvalidArgument(f"--out {str(out)!r}: cannot write: {exc.strerror or exc}") from None


def _run(chat: ChatClient, jobs: list[Job], *, options: GenerateOptions, collector: _Collector) -> None:
    requester = _Requester(chat, options)
    executor = ThreadPoolExecutor(max_workers=options.concurrency, thread_name_prefix="effilab-generate")
    pending: set[Future[_Outcome]] = set()
    try:
        # Submit lazily, at most `concurrency` ahead: an abort (fatal error, Ctrl-C) then leaves nothing
        # queued, and memory does not grow with the number of samples.
        for job in jobs:
            pending.add(executor.submit(requester.complete, job))
            if len(pending) >= options.concurrency:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                collector.collect(finished)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            collector.collect(finished)
    finally:
        if pending:
            # Aborted (fatal error, Ctrl-C): do not wait for requests still in flight; their workers stop
            # at the next attempt instead of working through their back-off.
            chat.stop.set()
        executor.shutdown(wait=not pending, cancel_futures=True)


@dataclasses.dataclass(slots=True)
class _Collector:
    """Writes finished samples and keeps the tallies; used from the main thread only (no locking)."""

    sink: BinaryIO
    report: GenerationReport
    progress: Progress | None
    total: int
    done: int = 0

    def collect(self, finished: Iterable[Future[_Outcome]]) -> None:
        """Record every finished sample, then re-raise a fatal error if one of them hit it: samples that
        completed alongside it are already paid for, so they are kept."""
        fatal: ChatConfigError | None = None
        for future in finished:
            try:
                outcome = future.result()
            except ChatConfigError as exc:
                fatal = fatal or exc
                continue
            self._record(outcome)
        if fatal is not None:
            raise fatal

    def _record(self, outcome: _Outcome) -> None:
        report, progress = self.report, self.progress
        self.done += 1
        report.requests += outcome.requests
        report.prompt_tokens += outcome.prompt_tokens
        report.completion_tokens += outcome.completion_tokens
        if outcome.record is not None:
            # One write per record, then flush: the file never holds half a record unless the process dies.
            self.sink.write(json.dumps(outcome.record, ensure_ascii=False).encode() + b"\n")
            self.sink.flush()
            report.written += 1
        if outcome.failure is not None:
            report.failures.append(outcome.failure)
            if progress is not None:
                failure = outcome.failure
                progress.note(
                    f"gave up on {failure.task_id} sample {failure.sample} after {failure.attempts}"
                    f" attempt(s): {failure.reason}"
                )
        if progress is not None:
            progress.advance(self.done, self.total, len(report.failures))


@dataclasses.dataclass(frozen=True, slots=True)
class _Requester:
    """Everything a worker needs to obtain one sample."""

    chat: ChatClient
    options: GenerateOptions

    def complete(self, job: Job) -> _Outcome:
        """One sample, retried per the client's policy; runs in a worker thread. A configuration error
        (:class:`ChatConfigError`) propagates: it aborts the run."""
        options = self.options
        try:
            reply = self.chat.complete(
                build_messages(job.problem),
                temperature=options.effective_temperature,
                max_tokens=options.max_tokens,
            )
        except ChatFailure as exc:
            failure = Failure(job.problem.id, job.sample, exc.attempts, exc.reason)
            return _Outcome(job, None, failure, exc.attempts, 0, 0)
        record: dict[str, Any] = {
            "task_id": job.problem.id,
            "sample": job.sample,
            # An empty answer (refusal, content filter) is still the model's sample: it is scored as wrong.
            "solution": extract_code(reply.content, job.problem.entry),
            "model": options.model,
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "finish_reason": reply.finish_reason,
        }
        return _Outcome(
            job, record, None, reply.attempts, reply.prompt_tokens or 0, reply.completion_tokens or 0
        )
