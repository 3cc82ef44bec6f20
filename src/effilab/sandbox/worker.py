"""The trusted parent's side of one sandboxed interpreter.

A :class:`Worker` starts one confined interpreter, loads one candidate module into it, and serves any number
of calls of that candidate (so measurement can reuse a warm process), never a second candidate. Every limit
that matters is enforced here, outside the sandbox: the wall clock, CPU time (polled from /proc), output
volume, the size of results, and stray processes left behind by a call. Verdicts are decided here from what
the child reported *and* what the parent observed; nothing the child says is unpickled or executed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import math
import os
import select
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from effilab.errors import InvalidArgument, SandboxError
from effilab.sandbox import codec, procfs
from effilab.sandbox.accounting import SandboxAccount
from effilab.sandbox.cgroups import PidsCgroup, pids_cgroup_root
from effilab.sandbox.isolation import (
    CALLGRIND_OUT,
    Isolation,
    LaunchPlan,
    make_isolation,
    precompile_sandbox_modules,
)
from effilab.sandbox.limits import Limits
from effilab.sandbox.stream import OutputDigest, StreamReader
from effilab.sandbox.verdict import Verdict

__all__ = ["COUNTERS", "CallResult", "EncodedArgs", "ErrorInfo", "LoadResult", "Sample", "Worker"]

STAGE_SLOTS = 64
"""Argument sets a child keeps decoded for repeated measurement (must equal ``_bootstrap.STAGE_SLOTS``)."""

COUNTERS = ("perf", "callgrind")
"""Instruction counters a worker can run with (see :mod:`effilab.sandbox.counters`)."""

_CPU_POLL_S = 0.05
_RESULT_PIPE_BYTES = 1 << 20
_EXIT_GRACE_S = 2.0


@dataclasses.dataclass(frozen=True, slots=True)
class ErrorInfo:
    """Why a candidate failed, as reported by the child (untrusted text, capped in length)."""

    type: str
    message: str
    traceback: str = ""

    def one_line(self) -> str:
        return f"{self.type}: {self.message}" if self.message else self.type


@dataclasses.dataclass(frozen=True, slots=True)
class LoadResult:
    """Outcome of loading the candidate module."""

    verdict: Verdict
    error: ErrorInfo | None
    stdout_tail: str
    stderr_tail: str
    parent_wall_ns: int

    @property
    def detail(self) -> str:
        """Why it failed, on one line: the error if there is one, else the verdict."""
        return self.error.one_line() if self.error else self.verdict.value


@dataclasses.dataclass(frozen=True, slots=True)
class CallResult:
    """Outcome of one call. ``value`` is meaningful only when ``verdict`` is ``ok``."""

    verdict: Verdict
    value: object
    error: ErrorInfo | None
    wall_ns: int | None
    """Time of the call measured inside the child around the call only (None if it never reported)."""
    cpu_ns: int | None
    """CPU time of the call (all interpreter threads), measured inside the child."""
    peak_rss_kib: int | None
    """Peak resident set size of the interpreter during the call."""
    parent_wall_ns: int
    """Round trip as seen by the parent: an upper bound on ``wall_ns`` that the child cannot forge."""
    parent_cpu_ns: int | None
    """CPU time of the interpreter process during the call from /proc (clock-tick resolution)."""
    stdout_tail: str
    stderr_tail: str
    censored: bool = False
    """True when the call was stopped at a limit: its true cost is *at least* the limit, not the limit."""

    @property
    def detail(self) -> str:
        """Why it failed, on one line: the error if there is one, else the verdict."""
        return self.error.one_line() if self.error else self.verdict.value


@dataclasses.dataclass(frozen=True, slots=True)
class Sample:
    """One timed run of ``repeat`` back-to-back calls on fresh copies of the same arguments."""

    verdict: Verdict
    repeat: int
    wall_ns: int | None
    """Total over the ``repeat`` calls, measured in the child around the loop only."""
    cpu_ns: int | None
    instructions: int | None
    """Retired instructions over the loop (only with a counter)."""
    peak_rss_kib: int | None
    parent_wall_ns: int
    """The parent's round trip for the run: bounds ``wall_ns`` from above, unforgeable by the child."""
    parent_cpu_ns: int | None
    """CPU time of the whole sandbox during the run, from the kernel (:mod:`effilab.sandbox.accounting`)."""
    consistent: bool
    """Every repetition returned the same value (always True for ``repeat == 1``)."""
    value: object = None
    """The first call's value (``fetch_value``) or every call's, as a list (``fetch_values``), when fetched
    and ``verdict`` is ok."""
    error: ErrorInfo | None = None
    censored: bool = False


class _Capture:
    """Byte counter plus a bounded tail of one output stream."""

    def __init__(self, tail_bytes: int) -> None:
        self.tail_bytes = tail_bytes
        self.total = 0
        self.tail = bytearray()

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        self.tail += chunk
        if len(self.tail) > self.tail_bytes:
            del self.tail[: len(self.tail) - self.tail_bytes]

    def reset(self) -> None:
        self.total = 0
        self.tail.clear()

    def text(self) -> str:
        return self.tail.decode("utf-8", errors="replace")


@dataclasses.dataclass(slots=True)
class _Exchange:
    """What came back for one request: a message, or the verdict that ended the wait."""

    message: dict[str, Any] | None
    verdict: Verdict | None = None
    detail: str = ""
    parent_wall_ns: int = 0
    parent_cpu_ns: int | None = None
    digest: OutputDigest | None = None
    """The streamed result that followed the message, if it said ``"stream": true``."""


class Worker:
    """One sandboxed interpreter serving one candidate. Use as a context manager."""

    def __init__(
        self,
        *,
        limits: Limits | None = None,
        isolation: Isolation | str = "auto",
        read_paths: Sequence[str | os.PathLike[str]] = (),
        hash_seed: int = 0,
        counter: str | None = None,
    ) -> None:
        self.limits = limits if limits is not None else Limits()
        if counter is not None and counter not in COUNTERS:
            raise InvalidArgument(f"counter={counter!r}: choose one of {', '.join(COUNTERS)} or None")
        self.counter = counter
        self.isolation = make_isolation(isolation) if isinstance(isolation, str) else isolation
        self.read_paths = tuple(os.path.realpath(os.fspath(p)) for p in read_paths)
        for path in self.read_paths:
            if not os.path.exists(path):
                raise InvalidArgument(f"read_paths: {path!r} does not exist")
        if isinstance(hash_seed, bool) or not isinstance(hash_seed, int) or not 0 <= hash_seed < 2**32:
            raise InvalidArgument(f"hash_seed={hash_seed!r}: must be an integer in [0, 2**32)")
        self.hash_seed = hash_seed
        self.layers: tuple[str, ...] = ()
        self.python_version = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._child_pid: int | None = None
        self._cgroup: PidsCgroup | None = None
        self._account: SandboxAccount | None = None
        self._tmp_dir: str | None = None
        self._cmd_fd = -1
        self._result_fd = -1
        self._selector: selectors.BaseSelector | None = None
        self._result_buffer = bytearray()
        self._stream: StreamReader | None = None
        self._stream_message: dict[str, Any] | None = None
        self._stdout = _Capture(self.limits.tail_bytes)
        self._stderr = _Capture(self.limits.tail_bytes)
        self._loaded = False
        self._dead = False
        self._finalizer: weakref.finalize[Any, Worker] | None = None
        self._keep_pids: frozenset[int] = frozenset()  # launcher, bwrap init, interpreter
        self._pending = memoryview(b"")  # command bytes not yet written
        self._seq = 0
        self._staged: dict[int, object] = {}
        self.entry: str | None = None
        """The entry point of the loaded module (None before load)."""
        self._next_stage = 0
        self.exit_peak_rss_kib: int | None = None
        self.start_ns = 0
        """Time taken by start(): launching and confining the interpreter."""

    # ----------------------------------------------------------------------------------------- lifecycle

    def __enter__(self) -> Worker:
        if self._proc is None:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def alive(self) -> bool:
        return self._proc is not None and not self._dead

    def start(self) -> None:
        """Launch and confine the interpreter; raises :class:`SandboxError` if effilab cannot."""
        if self._proc is not None:
            raise SandboxError("worker already started")
        started = time.perf_counter_ns()
        precompile_sandbox_modules()
        self._tmp_dir = tempfile.mkdtemp(prefix="effilab-sandbox-")
        cmd_r, cmd_w = os.pipe()
        res_r, res_w = os.pipe()
        child_fds = [cmd_r, res_w]
        info_r = info_w = -1
        plan = self.isolation.plan(
            limits=self.limits,
            tmp_dir=self._tmp_dir,
            read_paths=self.read_paths,
            hash_seed=self.hash_seed,
            counter=self.counter,
        )
        tokens = {"{cmd_fd}": str(cmd_r), "{result_fd}": str(res_w)}
        if plan.info_fd:
            info_r, info_w = os.pipe()
            child_fds.append(info_w)
            tokens["{info_fd}"] = str(info_w)
        argv = [tokens.get(arg, arg) for arg in plan.argv]
        try:
            self._proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=child_fds,
                env=plan.env,
                cwd=plan.cwd,
                start_new_session=True,
            )
        except OSError as exc:
            for fd in (cmd_r, cmd_w, res_r, res_w, info_r, info_w):
                if fd >= 0:
                    os.close(fd)
            raise SandboxError(f"could not start the sandbox ({argv[0]}): {exc}") from exc
        for fd in child_fds:
            os.close(fd)
        self._cmd_fd, self._result_fd = cmd_w, res_r
        with contextlib.suppress(OSError):  # fewer, larger reads for big results (streamed ones above all)
            fcntl.fcntl(res_r, fcntl.F_SETPIPE_SZ, _RESULT_PIPE_BYTES)
        self._finalizer = weakref.finalize(self, _kill_quietly, self._proc, self._tmp_dir)
        for fd in (self._result_fd, self._cmd_fd, self._stdout_fd, self._stderr_fd):
            os.set_blocking(fd, False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._result_fd, selectors.EVENT_READ, "result")
        self._selector.register(self._stdout_fd, selectors.EVENT_READ, "stdout")
        self._selector.register(self._stderr_fd, selectors.EVENT_READ, "stderr")
        try:
            sandbox_pids = self._sandbox_pids(plan, info_r)
            self._child_pid = sandbox_pids[-1]
            self._keep_pids = frozenset((self._proc.pid, *sandbox_pids))
            self._join_cgroup(sandbox_pids)
            self._account = SandboxAccount.create(sandbox_pids, self._child_pgid)
            reply = self._exchange(plan.setup, timeout_s=self.limits.load_timeout_s, cpu_s=None)
        except BaseException:
            self.close()
            raise
        finally:
            if info_r >= 0:
                os.close(info_r)
        message = reply.message
        if message is None or message.get("op") != "ready":
            detail = reply.detail or self._stderr.text().strip()[-500:]
            self.close()
            raise SandboxError(f"the sandboxed interpreter failed to start ({reply.verdict}): {detail}")
        if message.get("errors"):
            errors = "; ".join(f"{k}: {v}" for k, v in message["errors"].items())
            self.close()
            raise SandboxError(f"could not apply isolation layers: {errors}")
        cgroup_layer = ("pids-cgroup",) if self._cgroup else ()
        self.layers = (*plan.layers, *cgroup_layer, *message["layers"])
        self.python_version = str(message.get("python", ""))
        self.start_ns = time.perf_counter_ns() - started

    @property
    def accounting(self) -> str | None:
        """How the parent observes this sandbox's CPU time: ``cgroup-v1``, ``cgroup-v2`` or ``procfs``."""
        return self._account.tier if self._account is not None else None

    def sandbox_cpu_ns(self) -> int:
        """CPU time the whole sandbox (every thread and process in it) has used, read by the parent."""
        if self._account is None:
            raise SandboxError("the worker is not running")
        return self._account.cpu_ns()

    def freeze(self) -> None:
        """Stop every task of the sandbox (so it cannot compete with what is timed meanwhile)."""
        if self._account is not None and self.alive:
            self._account.freeze()

    def thaw(self) -> None:
        if self._account is not None:
            self._account.thaw()

    def _child_pgid(self) -> int | None:
        if self._child_pid is None:
            return None
        stat = procfs.read_stat(self._child_pid)
        return None if stat is None else stat.pgrp

    def close(self) -> None:
        """Stop the interpreter and everything it started; remove its private tmp dir. Idempotent."""
        if self._account is not None:
            with contextlib.suppress(OSError):
                self._account.thaw()  # a frozen task can neither read "exit" nor die of SIGKILL
        proc = self._proc
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(OSError):
                os.set_blocking(self._cmd_fd, True)
                os.write(self._cmd_fd, b'{"op": "exit"}\n')
            self._reap(proc, grace_s=0.5 if not self._dead else 0.0)
        if self._cgroup is not None:
            self._cgroup.remove()
            self._cgroup = None
        if self._account is not None:
            self._account.close()
            self._account = None
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        for fd in (self._cmd_fd, self._result_fd):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._cmd_fd = self._result_fd = -1
        if proc is not None:
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        if self._tmp_dir is not None:
            shutil.rmtree(self._tmp_dir, ignore_errors=True)
            self._tmp_dir = None
        if self._finalizer is not None:
            self._finalizer.detach()
        self._dead = True

    # ----------------------------------------------------------------------------------------- requests

    def load(self, source: bytes | str, *, entry: str, filename: str = "candidate.py") -> LoadResult:
        """Import the candidate module and resolve ``entry`` (``name`` or ``Class.method``)."""
        if not entry or not all(part.isidentifier() for part in entry.split(".")):
            raise InvalidArgument(f"entry={entry!r}: must be a name or dotted name like Class.method")
        self._require_alive()
        if self._loaded:
            raise SandboxError("a worker serves one candidate: start a new worker for another")
        self.entry = entry
        self._loaded = True
        data = source.encode("utf-8") if isinstance(source, str) else bytes(source)
        request = {"op": "load", "filename": filename, "entry": entry, "source": codec.encode(data)}
        self._stdout.reset()
        self._stderr.reset()
        reply = self._exchange(request, timeout_s=self.limits.load_timeout_s, cpu_s=None)
        stdout, stderr = self._stdout.text(), self._stderr.text()
        if reply.verdict is not None:
            return LoadResult(
                reply.verdict, ErrorInfo("SandboxLimit", reply.detail), stdout, stderr, reply.parent_wall_ns
            )
        message = reply.message or {}
        status = message.get("status")
        verdict = {
            "ok": Verdict.OK,
            "syntax_error": Verdict.SYNTAX_ERROR,
            "import_error": Verdict.IMPORT_ERROR,
            "missing_entry": Verdict.MISSING_ENTRY,
        }.get(str(status))
        if message.get("op") != "loaded" or verdict is None:
            self._kill()
            return LoadResult(
                Verdict.CRASHED,
                ErrorInfo("ProtocolViolation", f"bad reply {status!r}"),
                stdout,
                stderr,
                reply.parent_wall_ns,
            )
        error = _error_from(message.get("error"))
        if verdict is Verdict.IMPORT_ERROR and error is not None and error.type == "MemoryError":
            verdict = Verdict.MEMORY_LIMIT
        return LoadResult(verdict, error, stdout, stderr, reply.parent_wall_ns)

    def call(
        self,
        args: Sequence[object],
        kwargs: Mapping[str, object] | None = None,
        *,
        timeout_s: float | None = None,
    ) -> CallResult:
        """Call the loaded entry with a fresh copy of ``args`` (they are re-encoded for every call).

        ``timeout_s`` overrides the per-call wall and CPU limits for this call only.
        """
        self._require_alive()
        if not self._loaded:
            raise SandboxError("load() a candidate before calling it")
        if timeout_s is not None and not (math.isfinite(timeout_s) and timeout_s > 0):
            raise InvalidArgument(f"timeout_s={timeout_s!r}: must be a positive number")
        request = {"op": "call", **_encode_arguments(args, kwargs), **self._stream_field()}
        self._stdout.reset()
        self._stderr.reset()
        wall = self.limits.timeout_s if timeout_s is None else timeout_s
        cpu = self.limits.effective_cpu_s if timeout_s is None else timeout_s
        reply = self._exchange(request, timeout_s=wall, cpu_s=cpu)
        self._reap_strays()
        stdout, stderr = self._stdout.text(), self._stderr.text()
        if reply.verdict is not None:
            return _failed_call(reply, reply.verdict, ErrorInfo("SandboxLimit", reply.detail), stdout, stderr)
        try:
            if (reply.message or {}).get("op") != "result":
                raise ValueError(f"unexpected op {(reply.message or {}).get('op')!r}")
            return _call_result(reply.message or {}, reply, stdout, stderr, reply.digest)
        except (ValueError, KeyError, TypeError, codec.CodecError) as exc:
            self._kill()
            return _failed_call(reply, Verdict.CRASHED, ErrorInfo("ProtocolViolation", str(exc)[:500]),
                                stdout, stderr)  # fmt: skip

    def call_batch(self, cases: Sequence[Sequence[object]], *, timeout_s: float) -> list[CallResult]:
        """Call the entry on each case in order, in one round trip; stops after the first failing case,
        and after a streamed result (call again for the cases after it).

        For correctness checks over many small inputs, where a round trip per input would cost more than
        the calls. ``timeout_s`` bounds the whole batch (wall and CPU). If the batch is stopped at the
        limit or the interpreter dies, the list holds one failed result for the batch as a whole. Each
        result's times are the child's, bounded in sum by the parent's round trip.
        """
        self._require_alive()
        if not self._loaded:
            raise SandboxError("load() a candidate before calling it")
        if not (math.isfinite(timeout_s) and timeout_s > 0):
            raise InvalidArgument(f"timeout_s={timeout_s!r}: must be a positive number")
        encoded = [case if isinstance(case, EncodedArgs) else EncodedArgs(case) for case in cases]
        request = {"op": "batch", _RAW_PREFIX + "cases": "[" + ",".join(c.json for c in encoded) + "]",
                   **self._stream_field()}  # fmt: skip
        self._stdout.reset()
        self._stderr.reset()
        reply = self._exchange(request, timeout_s=timeout_s, cpu_s=timeout_s)
        self._reap_strays()
        stdout, stderr = self._stdout.text(), self._stderr.text()
        if reply.verdict is not None:
            return [
                _failed_call(reply, reply.verdict, ErrorInfo("SandboxLimit", reply.detail), stdout, stderr)
            ]
        message = reply.message or {}
        try:
            results = message.get("results")
            if message.get("op") != "batch_result" or not isinstance(results, list):
                raise ValueError("unexpected batch reply")
            if not 0 < len(results) <= len(cases):
                raise ValueError("batch reply has the wrong number of results")
            streamed = [item.get("stream") is True for item in results]
            if any(streamed[:-1]) or streamed[-1] != (reply.digest is not None):
                raise ValueError("a streamed result that is not the batch's last")
            parsed = [_call_result(item, reply, "", "", reply.digest) for item in results]
            if sum(r.wall_ns or 0 for r in parsed) > reply.parent_wall_ns:
                raise ValueError("reported call times exceed the round trip the parent observed")
            if any(r.verdict is not Verdict.OK for r in parsed[:-1]):
                raise ValueError("batch continued after a failing case")
        except (ValueError, KeyError, TypeError, codec.CodecError) as exc:
            self._kill()
            return [_failed_call(reply, Verdict.CRASHED, ErrorInfo("ProtocolViolation", str(exc)[:500]),
                                 stdout, stderr)]  # fmt: skip
        last = parsed[-1]
        parsed[-1] = dataclasses.replace(last, stdout_tail=stdout, stderr_tail=stderr)
        return parsed

    def measure(
        self,
        args: Sequence[object],
        kwargs: Mapping[str, object] | None = None,
        *,
        repeat: int = 1,
        fetch_value: bool = False,
        fetch_values: bool = False,
        timeout_s: float | None = None,
    ) -> Sample:
        """Time ``repeat`` back-to-back calls, each on its own fresh copy of the arguments.

        The copies are decoded before the timed window (``prepare``); the window itself (``run``) contains
        only the calls, so the parent's round trip bounds the child's report tightly. With a counter, the
        instruction count covers exactly the same window. ``timeout_s`` bounds the whole run (default: the
        per-call limit times ``repeat``); CPU time is bounded likewise. ``fetch_value`` brings back the
        first call's value; ``fetch_values`` the list of every call's, so each can be checked.
        """
        self._require_alive()
        if not self._loaded:
            raise SandboxError("load() a candidate before measuring it")
        if isinstance(repeat, bool) or not isinstance(repeat, int) or repeat < 1:
            raise InvalidArgument(f"repeat={repeat!r}: must be a positive integer")
        if timeout_s is not None and not (math.isfinite(timeout_s) and timeout_s > 0):
            raise InvalidArgument(f"timeout_s={timeout_s!r}: must be a positive number")
        prepare = self._prepare_request(args, kwargs, repeat)
        return self._measure_prepared(prepare, repeat, fetch_value, fetch_values, timeout_s)

    def measure_distinct(
        self, inputs: Sequence[EncodedArgs], *, fetch_values: bool = False, timeout_s: float | None = None
    ) -> Sample:
        """Time one call on each of ``inputs`` (positional arguments, all different), back to back.

        No input is seen twice in the run, so no cache keyed on an input can make a call cheaper than its
        first; the values come back in order with ``fetch_values``. Otherwise as :meth:`measure`.
        """
        self._require_alive()
        if not self._loaded:
            raise SandboxError("load() a candidate before measuring it")
        if not inputs:
            raise InvalidArgument("inputs: at least one is needed")
        if timeout_s is not None and not (math.isfinite(timeout_s) and timeout_s > 0):
            raise InvalidArgument(f"timeout_s={timeout_s!r}: must be a positive number")
        prepare: dict[str, object] = {
            "op": "prepare",
            _RAW_PREFIX + "distinct": "[" + ",".join(a.json for a in inputs) + "]",
        }
        return self._measure_prepared(prepare, len(inputs), False, fetch_values, timeout_s)

    def _measure_prepared(
        self,
        prepare: dict[str, object],
        repeat: int,
        fetch_value: bool,
        fetch_values: bool,
        timeout_s: float | None,
    ) -> Sample:
        """Send ``prepare`` (``repeat`` calls), then run and time them: the rest of :meth:`measure`."""
        self._stdout.reset()
        self._stderr.reset()
        reply = self._exchange(prepare, timeout_s=self.limits.load_timeout_s, cpu_s=None)
        if reply.verdict is not None or (reply.message or {}).get("op") != "prepared":
            stage = prepare.get("stage")
            if isinstance(stage, int):
                self._staged.pop(stage, None)
            return self._failed_sample(repeat, reply, "the interpreter failed to prepare the arguments")
        run_timeout = self.limits.timeout_s * repeat if timeout_s is None else timeout_s
        run_cpu = self.limits.effective_cpu_s * repeat if timeout_s is None else timeout_s
        reply = self._exchange({"op": "run"}, timeout_s=run_timeout, cpu_s=run_cpu)
        self._reap_strays()
        if reply.verdict is not None:
            return self._failed_sample(repeat, reply, reply.detail)
        message = reply.message or {}
        try:
            if message.get("op") != "ran" or message.get("repeat") != repeat:
                raise ValueError(f"unexpected reply {message.get('op')!r}")
            times = _reported_times(message)
            if times["wall_ns"] is None or times["wall_ns"] > reply.parent_wall_ns:
                raise ValueError("reported run time missing or above the round trip the parent observed")
            instructions = self._instructions(message)
            checked = self._exchange(None, timeout_s=self.limits.load_timeout_s, cpu_s=None)
            if checked.verdict is not None:
                return self._failed_sample(repeat, checked, checked.detail)
            consistent = (checked.message or {}).get("consistent")
            if (checked.message or {}).get("op") != "checked" or type(consistent) is not bool:
                raise ValueError("missing consistency report")
        except (ValueError, TypeError, OSError) as exc:
            self._kill()
            return self._failed_sample(repeat, reply, f"protocol violation: {exc}", Verdict.CRASHED)
        # "unserializable" is not a status of a run (values are encoded later, by value()).
        status = str(message.get("status"))
        verdict = (
            _STATUS_VERDICTS.get(status, Verdict.CRASHED) if status != "unserializable" else Verdict.CRASHED
        )
        value: object = None
        error = _error_from(message.get("error"))
        if verdict is Verdict.OK and fetch_values:
            verdict, value, error = self._fetch_value("values")
        elif verdict is Verdict.OK and fetch_value:
            verdict, value, error = self._fetch_value()
        return Sample(verdict, repeat, times["wall_ns"], times["cpu_ns"], instructions, times["peak_rss_kib"],
                      reply.parent_wall_ns, reply.parent_cpu_ns, consistent, value, error)  # fmt: skip

    def _prepare_request(
        self, args: Sequence[object], kwargs: Mapping[str, object] | None, repeat: int
    ) -> dict[str, object]:
        """A ``prepare`` request; the same ``args`` object measured again is referred to by its stage id.

        Measuring one input many times is the common case, and re-encoding a large input for every run
        would cost more than the run. The child keeps the last :data:`STAGE_SLOTS` argument sets in
        insertion order, and this mirror evicts exactly as it does. Identity (not equality) is the key,
        with a strong reference held, so an id can never be reused for other arguments.
        """
        if kwargs:
            return {"op": "prepare", **_encode_arguments(args, kwargs), "repeat": repeat}
        for stage, staged in self._staged.items():
            if staged is args:
                return {"op": "prepare", "stage": stage, "repeat": repeat}
        self._next_stage += 1
        stage = self._next_stage
        request = {"op": "prepare", **_encode_arguments(args, None), "repeat": repeat, "stage": stage}
        self._staged[stage] = args
        while len(self._staged) > STAGE_SLOTS:
            del self._staged[next(iter(self._staged))]
        return request

    def _failed_sample(
        self, repeat: int, reply: _Exchange, detail: str, verdict: Verdict | None = None
    ) -> Sample:
        verdict = verdict or reply.verdict or Verdict.CRASHED
        error = ErrorInfo("SandboxLimit", detail)
        parent = (reply.parent_wall_ns, reply.parent_cpu_ns)
        return Sample(verdict, repeat, None, None, None, None, *parent, True, None, error,
                      censored=verdict is Verdict.TIMEOUT)  # fmt: skip

    def _instructions(self, message: dict[str, Any]) -> int | None:
        """The instruction count of the last run: from the perf reply, or from valgrind's own dump file."""
        if self.counter == "perf":
            return _non_negative_int(message.get("instructions"))
        if self.counter != "callgrind":
            return None
        dump = message.get("callgrind_dump")
        if type(dump) is not int or dump < 1 or self._tmp_dir is None:
            raise ValueError("missing callgrind dump number")
        path = os.path.join(self._tmp_dir, f"{CALLGRIND_OUT}.{dump}")
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    if line.startswith("totals:"):  # "summary:" covers the whole program, not the window
                        return int(line.split()[1])
        finally:
            with contextlib.suppress(OSError):
                os.remove(path)
        raise ValueError(f"no totals in {path}")

    def _fetch_value(self, op: str = "value") -> tuple[Verdict, object, ErrorInfo | None]:
        """The value of the last run's first call (``value``), or the list of every call's (``values``)."""
        reply = self._exchange({"op": op}, timeout_s=self.limits.load_timeout_s, cpu_s=None)
        if reply.verdict is not None:
            return reply.verdict, None, ErrorInfo("SandboxLimit", reply.detail)
        message = reply.message or {}
        if message.get("op") != op:
            self._kill()
            return Verdict.CRASHED, None, ErrorInfo("ProtocolViolation", "bad value reply")
        if message.get("status") != "ok":
            return Verdict.UNSERIALIZABLE_OUTPUT, None, _error_from(message.get("error"))
        try:
            value = codec.decode(message[op])
            if op == "values" and type(value) is not list:
                raise codec.CodecError("values: not a list")
            return Verdict.OK, value, None
        except (KeyError, codec.CodecError) as exc:
            self._kill()
            return Verdict.CRASHED, None, ErrorInfo("ProtocolViolation", str(exc)[:500])

    # ----------------------------------------------------------------------------------------- internals

    def _stream_field(self) -> dict[str, int]:
        above = self.limits.stream_above_bytes
        return {} if above is None else {"stream_above": above}

    def _stream_grace_ns(self) -> int:
        """Extra time for a stream in progress: 10 s, plus 1 s per 50 MB received (hashing and copying
        take time the call's limit did not include; the stream's size cap bounds the total)."""
        if self._stream is None:
            return 0
        return int(10e9 + self._stream.size / 50e6 * 1e9)

    @property
    def _stdout_fd(self) -> int:
        assert self._proc is not None
        assert self._proc.stdout is not None
        return self._proc.stdout.fileno()

    @property
    def _stderr_fd(self) -> int:
        assert self._proc is not None
        assert self._proc.stderr is not None
        return self._proc.stderr.fileno()

    def _require_alive(self) -> None:
        if self._proc is None:
            raise SandboxError("worker not started")
        if self._dead:
            raise SandboxError("worker is dead (a previous call hit a limit or crashed): start a new one")

    def _sandbox_pids(self, plan: LaunchPlan, info_r: int) -> list[int]:
        """Pids of the processes inside the sandbox, the interpreter last."""
        assert self._proc is not None
        if not plan.info_fd:
            return [self._proc.pid]
        # bubblewrap writes {"child-pid": N} once its namespaces exist; N is the sandbox's pid 1 (bwrap's
        # init), whose only child is the interpreter.
        deadline = time.monotonic() + self.limits.load_timeout_s
        data = b""
        while b"}" not in data:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._proc.poll() is not None:
                raise SandboxError(f"bubblewrap did not report its child pid: {self._read_stderr_now()}")
            ready = select.select([info_r], [], [], min(remaining, 0.1))[0]
            if ready:
                chunk = os.read(info_r, 4096)
                if not chunk:
                    raise SandboxError(f"bubblewrap exited early: {self._read_stderr_now()}")
                data += chunk
        init_pid = int(json.loads(data[: data.index(b"}") + 1])["child-pid"])
        while time.monotonic() < deadline:
            children = procfs.children_of(init_pid)
            if children:
                return [init_pid, children[0]]
            if self._proc.poll() is not None:
                break
            time.sleep(0.0005)  # bwrap's init forks the interpreter right after reporting: poll briefly
        raise SandboxError(f"the sandboxed interpreter did not appear: {self._read_stderr_now()}")

    def _read_stderr_now(self) -> str:
        with contextlib.suppress(OSError):
            self._stderr.add(os.read(self._stderr_fd, 65536))
        return self._stderr.text().strip()[-300:]

    def _join_cgroup(self, pids: list[int]) -> None:
        # The interpreter is blocked reading its setup message, so nothing can fork before this completes.
        root = pids_cgroup_root() if os.geteuid() == 0 else None
        if root is None:
            return
        cgroup = PidsCgroup(root, self.limits.max_processes + len(pids) - 1)
        try:
            for pid in pids:
                cgroup.add(pid)
        except OSError as exc:
            cgroup.remove()
            raise SandboxError(f"could not add the sandbox to its pids cgroup: {exc}") from exc
        self._cgroup = cgroup

    def _exchange(
        self, request: dict[str, Any] | None, *, timeout_s: float, cpu_s: float | None
    ) -> _Exchange:
        """Send one request (None: send nothing) and wait for one reply while enforcing the limits."""
        assert self._selector is not None
        if request is not None:
            # Replies must echo this number: a line the candidate forges on the result pipe, or a stale
            # reply left over from an earlier request, is a protocol violation rather than an answer.
            self._seq += 1
            request = {**request, "seq": self._seq}
        text = "" if request is None else _request_line(request)
        payload = memoryview(text.encode())
        child = self._child_pid
        cpu_before = procfs.cpu_ns_of(child) if child is not None and cpu_s is not None else None
        account = self._account
        sandbox_before = _read_account(account)
        started = time.perf_counter_ns()
        deadline = started + int(timeout_s * 1e9)
        next_cpu_poll = started + int(_CPU_POLL_S * 1e9)
        self._pending = payload
        if payload:
            self._selector.register(self._cmd_fd, selectors.EVENT_WRITE, "command")
        outcome: _Exchange | None = self._buffered_reply() if not payload else None
        try:
            while outcome is None:
                now = time.perf_counter_ns()
                if now >= deadline + self._stream_grace_ns():
                    outcome = _Exchange(
                        None, Verdict.TIMEOUT, f"wall-clock limit of {timeout_s:g} s exceeded"
                    )
                    break
                if cpu_before is not None and now >= next_cpu_poll:
                    next_cpu_poll = now + int(_CPU_POLL_S * 1e9)
                    used = procfs.cpu_ns_of(child)  # type: ignore[arg-type]
                    budget = cpu_s * 1e9 + self._stream_grace_ns() if cpu_s is not None else None
                    if used is not None and budget is not None and used - cpu_before > budget:
                        outcome = _Exchange(None, Verdict.TIMEOUT, f"CPU-time limit of {cpu_s:g} s exceeded")
                        break
                wake = deadline + self._stream_grace_ns()
                wake = min(wake, next_cpu_poll) if cpu_before is not None else wake
                for key, _ in self._selector.select(max(wake - now, 0) / 1e9):
                    outcome = self._on_ready(key.data)
                    if outcome is not None:
                        break
        finally:
            if self._pending:
                self._selector.unregister(self._cmd_fd)
                self._pending = memoryview(b"")
            if self._stream is not None:  # stopped mid-stream (a limit): the worker is killed below
                self._stream = self._stream_message = None
        outcome.parent_wall_ns = time.perf_counter_ns() - started
        if outcome.message is not None and outcome.message.get("seq") != self._seq:
            detail = "protocol violation: reply out of sequence (forged or stale)"
            outcome = _Exchange(None, Verdict.CRASHED, detail, outcome.parent_wall_ns)
            self._kill()
            return outcome
        sandbox_after = _read_account(account)
        if sandbox_before is not None and sandbox_after is not None:
            outcome.parent_cpu_ns = sandbox_after - sandbox_before  # the kernel's, for the whole sandbox
        elif cpu_before is not None:
            after = procfs.cpu_ns_of(child)  # type: ignore[arg-type]
            outcome.parent_cpu_ns = None if after is None else after - cpu_before
        if outcome.verdict is Verdict.CRASHED and self._proc is not None:
            # It died on its own: let the launcher exit and report how, before killing what may remain.
            self._reap(self._proc, grace_s=_EXIT_GRACE_S)
            self._kill()
            outcome.verdict, outcome.detail = self._classify_exit()
        elif outcome.verdict is not None:
            self._kill()
        return outcome

    def _on_ready(self, stream: str) -> _Exchange | None:
        """Handle one ready descriptor; return an outcome when the exchange is over."""
        assert self._selector is not None
        if stream == "command":
            try:
                written = os.write(self._cmd_fd, self._pending)
            except BlockingIOError:
                return None
            except BrokenPipeError:
                return _Exchange(None, Verdict.CRASHED, "the interpreter stopped reading")
            self._pending = self._pending[written:]
            if not self._pending:
                self._selector.unregister(self._cmd_fd)
            return None
        fd = {"result": self._result_fd, "stdout": self._stdout_fd, "stderr": self._stderr_fd}[stream]
        try:
            chunk = os.read(fd, 1 << 20 if self._stream is not None else 1 << 16)
        except BlockingIOError:
            return None
        if stream == "result":
            if not chunk:
                return _Exchange(None, Verdict.CRASHED, "the interpreter died")
            self._result_buffer += chunk
            return self._buffered_reply()
        if not chunk:
            self._selector.unregister(fd)
            return None
        capture = self._stdout if stream == "stdout" else self._stderr
        capture.add(chunk)
        if self._stdout.total + self._stderr.total > self.limits.output_bytes:
            return _Exchange(
                None, Verdict.OUTPUT_LIMIT, f"more than {self.limits.output_bytes} bytes of output"
            )
        return None

    def _buffered_reply(self) -> _Exchange | None:
        """The next complete reply line already received, if any (one read may bring several); a reply
        followed by a stream is complete only once the stream has ended."""
        if self._stream is not None:
            return self._stream_progress()
        newline = self._result_buffer.find(b"\n")
        if newline < 0:
            if len(self._result_buffer) > self.limits.result_bytes:
                return _Exchange(
                    None, Verdict.OUTPUT_LIMIT, f"result larger than {self.limits.result_bytes} bytes"
                )
            return None
        line = bytes(self._result_buffer[:newline])
        del self._result_buffer[: newline + 1]
        self._drain_output()  # the child flushed its streams before replying: collect that output now
        if self._stdout.total + self._stderr.total > self.limits.output_bytes:
            return _Exchange(
                None, Verdict.OUTPUT_LIMIT, f"more than {self.limits.output_bytes} bytes of output"
            )
        try:
            message = json.loads(line)
        except (ValueError, RecursionError) as exc:
            return _Exchange(None, Verdict.CRASHED, f"protocol violation: {str(exc)[:200]}")
        if not isinstance(message, dict):
            return _Exchange(None, Verdict.CRASHED, "protocol violation: reply is not an object")
        if message.get("stream") is True:
            if self.limits.stream_above_bytes is None:
                return _Exchange(None, Verdict.CRASHED, "protocol violation: a stream nobody asked for")
            self._stream = StreamReader(self.limits.stream_max_bytes)
            self._stream_message = message
            return self._stream_progress()
        return _Exchange(message)

    def _stream_progress(self) -> _Exchange | None:
        """Hash what has arrived of the stream; the exchange once it has ended (or broken a rule)."""
        reader = self._stream
        assert reader is not None
        reader.feed(self._result_buffer)
        if reader.error is not None:
            self._stream = self._stream_message = None
            verdict = Verdict.OUTPUT_LIMIT if reader.error.startswith("streamed result") else Verdict.CRASHED
            return _Exchange(None, verdict, reader.error)
        if not reader.done:
            return None
        message, self._stream, self._stream_message = self._stream_message, None, None
        assert message is not None
        if reader.aborted:
            # The child could not serialise the value: an unserializable output, like the JSON path.
            error = {"type": "Unserializable", "message": "the result could not be serialised"}
            fixed = _mark_unserializable(message, error)
            return _Exchange(fixed)
        return _Exchange(message, digest=reader.digest())

    def _drain_output(self) -> None:
        for fd, capture in ((self._stdout_fd, self._stdout), (self._stderr_fd, self._stderr)):
            for _ in range(64):  # bounded: a child still writing cannot keep us here
                try:
                    chunk = os.read(fd, 1 << 16)
                except (BlockingIOError, OSError):
                    break
                if not chunk:
                    break
                capture.add(chunk)

    def _reap_strays(self) -> None:
        """Kill processes a call left behind (daemonised grandchildren must not outlive the call)."""
        if self._dead or self._child_pid is None:
            return
        if self._cgroup is not None:
            # Cheap check first: one file read when, as usual, nothing was left behind.
            members = self._cgroup.pids()
            strays = [pid for pid in members if pid not in self._keep_pids]
        else:
            # No cgroup: the sandbox cannot leave its process group (seccomp denies setsid and setpgid).
            group = procfs.read_stat(self._child_pid)
            strays = (
                []
                if group is None
                else [
                    stat.pid
                    for stat in procfs.scan()
                    if stat.pgrp == group.pgrp and stat.pid not in self._keep_pids
                ]
            )
        for pid in strays:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def _kill(self) -> None:
        """Kill the whole sandbox: process group, cgroup members, launcher."""
        self._dead = True
        proc = self._proc
        if proc is None:
            return
        if self._account is not None:
            with contextlib.suppress(OSError):
                self._account.thaw()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        if self._child_pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._child_pid, signal.SIGKILL)
        if self._cgroup is not None:
            self._cgroup.kill_all()
        self._reap(proc, grace_s=0.0)

    def _reap(self, proc: subprocess.Popen[bytes], *, grace_s: float) -> None:
        """Wait for the launcher to exit (killing it after ``grace_s``) and record its peak memory."""
        deadline = time.monotonic() + grace_s
        while True:
            try:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            except ChildProcessError:
                return
            if pid:
                proc.returncode = os.waitstatus_to_exitcode(status)
                self.exit_peak_rss_kib = usage.ru_maxrss
                return
            if time.monotonic() >= deadline:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                self.exit_peak_rss_kib = usage.ru_maxrss
                return
            time.sleep(0.001)

    def _classify_exit(self) -> tuple[Verdict, str]:
        """Why did the interpreter die on its own? (Called after it has been reaped.)"""
        assert self._proc is not None
        code = self._proc.returncode
        self._drain_output()
        stderr = self._stderr.text()
        if "MemoryError" in stderr or "Cannot allocate memory" in stderr or "out of memory" in stderr:
            return Verdict.MEMORY_LIMIT, "the interpreter ran out of memory"
        signum = -code if code is not None and code < 0 else (code - 128 if code and code > 128 else None)
        if signum == signal.SIGXCPU:
            return Verdict.TIMEOUT, "CPU-time rlimit reached"
        if signum is not None and 0 < signum < signal.NSIG:
            return Verdict.CRASHED, f"killed by {signal.Signals(signum).name}"
        return Verdict.CRASHED, f"the interpreter exited with status {code}"


_STATUS_VERDICTS = {
    "ok": Verdict.OK,
    "raised": Verdict.RUNTIME_ERROR,
    "memory_error": Verdict.MEMORY_LIMIT,
    "unserializable": Verdict.UNSERIALIZABLE_OUTPUT,
}
"""The child's status of a call or run, as the verdict the parent gives it (anything else: crashed)."""


_RAW_PREFIX = "\0raw:"  # request keys "\0raw:NAME" hold already-serialised JSON for field NAME


def _request_line(request: dict[str, Any]) -> str:
    raw = {
        key[len(_RAW_PREFIX) :]: request.pop(key) for key in [k for k in request if k.startswith(_RAW_PREFIX)]
    }
    text = json.dumps(request, ensure_ascii=False, allow_nan=False)
    for name, fragment in raw.items():  # splice pre-serialised JSON in instead of serialising it again
        text = f'{text[:-1]}, "{name}": {fragment}}}'
    return text + "\n"


class EncodedArgs(Sequence[object]):
    """Positional arguments encoded once, for inputs sent to many workers or many times.

    Encoding a large input costs more than running most programs on it; an evaluator sends each test
    input to the oracle, to every sample and to the anchor, so it wraps each input once and passes the
    wrapper wherever a worker takes ``args``.
    """

    __slots__ = ("_json", "args")

    def __init__(self, args: Sequence[object]) -> None:
        self.args = tuple(args)
        self._json: str | None = None

    @property
    def json(self) -> str:
        if self._json is None:
            try:
                tree = codec.encode(list(self.args))
            except codec.Unserializable as exc:
                raise InvalidArgument(f"args: {exc}") from exc
            self._json = json.dumps(tree, ensure_ascii=False, allow_nan=False)
        return self._json

    def __len__(self) -> int:
        return len(self.args)

    def __getitem__(self, index: Any) -> Any:
        return self.args[index]


def _failed_call(
    reply: _Exchange, verdict: Verdict, error: ErrorInfo | None, stdout: str, stderr: str, **times: Any
) -> CallResult:
    return CallResult(verdict, None, error, times.get("wall_ns"), times.get("cpu_ns"),
                      times.get("peak_rss_kib"), reply.parent_wall_ns, reply.parent_cpu_ns, stdout, stderr,
                      censored=verdict is Verdict.TIMEOUT)  # fmt: skip


def _mark_unserializable(message: dict[str, Any], error: dict[str, str]) -> dict[str, Any]:
    """The reply with its streamed result marked unserializable (the child's stream was aborted)."""
    targets = message.get("results") if message.get("op") == "batch_result" else [message]
    if isinstance(targets, list) and targets and isinstance(targets[-1], dict):
        targets[-1].update(status="unserializable", error=error, stream=False)
    message["stream"] = False
    return message


def _call_result(
    message: dict[str, Any], reply: _Exchange, stdout: str, stderr: str, digest: OutputDigest | None = None
) -> CallResult:
    """One call's outcome from the child's message; raises ValueError & co. on a protocol violation."""
    times = _reported_times(message)
    status = message.get("status")
    if times["wall_ns"] is not None and times["wall_ns"] > reply.parent_wall_ns:
        raise ValueError("reported call time exceeds the round trip the parent observed")
    if status == "ok":
        if message.get("stream") is True:
            if digest is None:
                raise ValueError("a streamed result without its stream")
            return CallResult(Verdict.OK, digest, None, times["wall_ns"], times["cpu_ns"],
                              times["peak_rss_kib"], reply.parent_wall_ns, reply.parent_cpu_ns, stdout,
                              stderr)  # fmt: skip
        value = codec.decode(message["value"])
        return CallResult(Verdict.OK, value, None, times["wall_ns"], times["cpu_ns"], times["peak_rss_kib"],
                          reply.parent_wall_ns, reply.parent_cpu_ns, stdout, stderr)  # fmt: skip
    verdict = _STATUS_VERDICTS.get(str(status), Verdict.CRASHED)
    return _failed_call(reply, verdict, _error_from(message.get("error")), stdout, stderr, **times)


def _encode_arguments(args: Sequence[object], kwargs: Mapping[str, object] | None) -> dict[str, object]:
    """Tagged ``args``/``kwargs`` for a request; unencodable arguments are the caller's error."""
    if isinstance(args, EncodedArgs) and not kwargs:
        return {_RAW_PREFIX + "args": args.json, "kwargs": {}}
    try:
        return {"args": codec.encode(list(args)), "kwargs": codec.encode(dict(kwargs or {}))}
    except codec.Unserializable as exc:
        raise InvalidArgument(f"args: {exc}") from exc


def _reported_times(message: dict[str, Any]) -> dict[str, int | None]:
    """The child's wall/CPU time and peak memory, each a non-negative int or absent."""
    return {key: _non_negative_int(message.get(key)) for key in ("wall_ns", "cpu_ns", "peak_rss_kib")}


def _non_negative_int(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is not int or value < 0:
        raise ValueError(f"expected a non-negative integer, got {value!r}")
    return value


def _error_from(raw: object) -> ErrorInfo | None:
    if not isinstance(raw, dict):
        return None
    return ErrorInfo(
        str(raw.get("type", "?"))[:200],
        str(raw.get("message", ""))[:2000],
        str(raw.get("traceback", ""))[:4000],
    )


def _read_account(account: SandboxAccount | None) -> int | None:
    if account is None:
        return None
    try:
        return account.cpu_ns()
    except (OSError, ValueError):
        return None


def _kill_quietly(proc: subprocess.Popen[bytes], tmp_dir: str) -> None:
    """Finalizer for a Worker that was garbage-collected without close(): leave nothing behind."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.wait(timeout=1)
    shutil.rmtree(tmp_dir, ignore_errors=True)
