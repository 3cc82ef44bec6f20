"""The generation loop: one chat-completions request per (problem, sample), resumable and fault tolerant.

Design choices, and why:

* **One request per sample** instead of the ``n`` parameter: several OpenAI-compatible servers ignore
  ``n`` or cap it, and one record per request keeps token accounting and resumption exact.
* **Append + flush per record** from the main thread only: a crash loses at most the record being
  written, concurrent workers never interleave bytes, and the file is always what ``effilab evaluate
  --samples`` reads.
* **Resume by (task_id, sample)**: an existing output is read first and pairs already present are not
  requested again, so re-running a command after an interruption (or twice) costs only what is missing.
* **Retries belong to effilab, not the SDK** (the client is built with ``max_retries=0``): the policy
  is explicit, shared by every worker, testable without sleeping (:class:`RetryPolicy` takes the sleep
  function), and a sample that keeps failing is reported and skipped instead of stopping the run.
  Failed samples are *not* written to the output (an empty solution would be scored as a wrong answer,
  though the model never answered); a later run requests them again.
* **Configuration errors stop everything**: 401/403 (key), 404 (model or base URL) would fail every
  request the same way, so the first one aborts the run with :class:`~effilab.errors.InvalidArgument`.
"""

from __future__ import annotations

import dataclasses
import email.utils
import json
import math
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import openai
from openai.types.chat import ChatCompletion

from effilab.errors import InvalidArgument
from effilab.generate.prompting import build_messages, extract_code
from effilab.suites.model import Problem

__all__ = [
    "DEFAULT_RETRY",
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

RETRYABLE_STATUS = frozenset({408, 409, 429})
"""Statuses worth retrying besides 5xx: timeout, conflict (lock contention), rate limit."""
FATAL_STATUS = {
    401: "the server rejected the API key",
    403: "the API key is not allowed to use this model or endpoint",
    404: "the model or the base URL was not found",
}
"""Statuses that would fail every request identically: abort the run instead of burning through it."""


@dataclasses.dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential back-off with jitter; ``Retry-After`` wins when the server sends it (within a cap)."""

    max_attempts: int = 6
    base_delay_s: float = 1.0
    max_delay_s: float = 60.0
    retry_after_cap_s: float = 120.0
    """A server asking for a longer pause than this is probably over quota: wait this long at most."""
    sleep: Callable[[float], None] = time.sleep
    """Injected so tests (and callers with their own clock) need not wait."""
    jitter: Callable[[], float] = random.random
    """Uniform in [0, 1): spreads retries of concurrent workers so they do not hit the server in step."""

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap_s)
        ceiling = min(self.max_delay_s, self.base_delay_s * 2.0 ** min(attempt - 1, 60))
        # "Equal jitter": at least half the exponential delay, so back-off really grows under load.
        return ceiling * (0.5 + 0.5 * self.jitter())


DEFAULT_RETRY = RetryPolicy()
"""The policy the CLI uses; tests replace it (``monkeypatch.setattr``) with one that does not sleep."""


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
        record = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
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


class _Fatal(Exception):
    """Raised inside a worker to abort the run; carries the one-line message for the user."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Outcome:
    job: Job
    record: dict[str, Any] | None
    failure: Failure | None
    requests: int
    prompt_tokens: int
    completion_tokens: int


def generate(
    client: openai.OpenAI,
    problems: Sequence[Problem],
    out: Path,
    options: GenerateOptions,
    *,
    retry: RetryPolicy | None = None,
    progress: Progress | None = None,
    secret: str = "",
) -> GenerationReport:
    """Write the missing samples of ``problems`` to ``out`` (JSONL), resuming what is already there.

    ``secret`` (the API key) is scrubbed from every message shown, in case a server echoes it back.
    Raises :class:`InvalidArgument` for a corrupt output file or a request every sample would fail.
    """
    policy = retry if retry is not None else DEFAULT_RETRY
    if policy.max_attempts < 1:
        raise InvalidArgument(f"retry policy: max_attempts={policy.max_attempts} must be at least 1")
    existing = read_existing(out, options.model)
    jobs = plan_jobs(problems, options.n, existing.done)
    planned = len(problems) * options.n
    report = GenerationReport(planned=planned, already_present=planned - len(jobs))
    _prepare_output(out, existing, progress)
    if not jobs:
        return report
    if progress is not None:
        progress.start(len(jobs))
    try:
        sink = out.open("ab")
    except OSError as exc:
        raise InvalidArgument(f"--out {str(out)!r}: cannot write: {exc.strerror or exc}") from None
    with sink:
        collector = _Collector(sink, report, progress, total=len(jobs))
        _run(client, jobs, options=options, policy=policy, collector=collector, secret=secret)
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


def _run(
    client: openai.OpenAI,
    jobs: list[Job],
    *,
    options: GenerateOptions,
    policy: RetryPolicy,
    collector: _Collector,
    secret: str,
) -> None:
    requester = _Requester(client, options, policy, secret, threading.Event())
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
    except _Fatal as exc:
        raise InvalidArgument(str(exc)) from None
    finally:
        if pending:
            # Aborted (fatal error, Ctrl-C): do not wait for requests still in flight; their workers stop
            # at the next attempt instead of working through their back-off.
            requester.stop.set()
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
        fatal: _Fatal | None = None
        for future in finished:
            try:
                outcome = future.result()
            except _Fatal as exc:
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

    client: openai.OpenAI
    options: GenerateOptions
    policy: RetryPolicy
    secret: str
    stop: threading.Event
    """Set when the run is aborted: workers then stop retrying instead of finishing their back-off."""

    def complete(self, job: Job) -> _Outcome:
        """One sample, retried per the policy; runs in a worker thread."""
        options, policy, secret = self.options, self.policy, self.secret
        messages = build_messages(job.problem)
        max_tokens: int | openai.Omit = openai.omit if options.max_tokens is None else options.max_tokens
        reason = "run aborted"
        attempt = 0
        while attempt < policy.max_attempts and not self.stop.is_set():
            attempt += 1
            retry_after: float | None = None
            try:
                completion = self.client.chat.completions.create(
                    model=options.model,
                    messages=messages,
                    temperature=options.effective_temperature,
                    max_tokens=max_tokens,
                )
            except openai.APIStatusError as exc:
                status = exc.status_code
                message = _scrub(_status_message(exc), secret)
                if status in FATAL_STATUS:
                    raise _Fatal(f"{FATAL_STATUS[status]} (HTTP {status}): {message}") from None
                if status < 500 and status not in RETRYABLE_STATUS:
                    # 400 / 413 / 422: this request is wrong (e.g. prompt too long); repeating cannot help.
                    failure = Failure(job.problem.id, job.sample, attempt, f"HTTP {status}: {message}")
                    return _Outcome(job, None, failure, attempt, 0, 0)
                reason = f"HTTP {status}: {message}"
                retry_after = _retry_after(exc.response.headers)
            except openai.APITimeoutError:
                reason = "request timed out"
            except openai.APIConnectionError as exc:
                reason = _scrub(f"connection error: {_cause(exc)}", secret)
            except (openai.APIError, json.JSONDecodeError) as exc:
                # A 200 whose body is not a chat completion (e.g. cut short by a proxy): retry like a 5xx.
                reason = _scrub(f"bad response: {' '.join(str(exc).split())[:300]}", secret)
            else:
                return _success(job, options, completion, attempt)
            if attempt < policy.max_attempts:
                policy.sleep(policy.delay(attempt, retry_after))
        return _Outcome(job, None, Failure(job.problem.id, job.sample, attempt, reason), attempt, 0, 0)


def _success(job: Job, options: GenerateOptions, completion: ChatCompletion, attempts: int) -> _Outcome:
    # Servers that are only "compatible" omit fields; the SDK does not validate, so look defensively.
    choices = getattr(completion, "choices", None) or []
    if not choices:
        failure = Failure(job.problem.id, job.sample, attempts, "bad response: no choices")
        return _Outcome(job, None, failure, attempts, 0, 0)
    choice = choices[0]
    content = getattr(getattr(choice, "message", None), "content", None)
    usage = getattr(completion, "usage", None)
    prompt_tokens = _count(getattr(usage, "prompt_tokens", None))
    completion_tokens = _count(getattr(usage, "completion_tokens", None))
    record: dict[str, Any] = {
        "task_id": job.problem.id,
        "sample": job.sample,
        # An empty answer (refusal, content filter) is still the model's sample: it is scored as wrong.
        "solution": extract_code(content if isinstance(content, str) else "", job.problem.entry),
        "model": options.model,
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "finish_reason": getattr(choice, "finish_reason", None),
    }
    return _Outcome(job, record, None, attempts, prompt_tokens or 0, completion_tokens or 0)


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _status_message(exc: openai.APIStatusError) -> str:
    """The server's own error message on one line (the SDK hands over the body's ``error`` object)."""
    body = exc.body
    text: object = None
    if isinstance(body, Mapping):
        text = body.get("message")
    elif isinstance(body, str):
        text = body  # not JSON: a proxy's page, say; its start usually says what went wrong
    if not isinstance(text, str) or not text.strip():
        text = exc.message
    return " ".join(str(text).split())[:300]


def _cause(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    return " ".join(str(cause or exc).split())[:300] or type(cause or exc).__name__


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from ``retry-after-ms`` (OpenAI) or ``Retry-After`` (seconds or HTTP date); None: absent."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            seconds = float(value) / 1000
        except ValueError:
            seconds = math.nan
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
        return max(seconds, 0.0)
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
