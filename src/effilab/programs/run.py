"""One run of a whole program in a box: stdin in, stdout out, a verdict and costs decided by the parent.

The parent trusts nothing the program says: its CPU time is the kernel's account of the box's cgroup (every
process and thread, dead ones included) read after the run; its wall time is the parent's clock from
unblocking the box to its exit; stdout is captured up to a cap and judged in the parent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import selectors
import shutil
import signal
import stat
import time
from collections.abc import Mapping
from pathlib import Path

from effilab.programs.box import Box, BoxPool, Profile
from effilab.programs.limits import ProgramLimits
from effilab.sandbox.accounting import SandboxAccount
from effilab.sandbox.verdict import Verdict

__all__ = ["ProgramRun", "run_program"]

_POLL_S = 0.02  # how often the CPU account is read while the program runs (its limit's resolution)
_MEMORY_MARKERS = (b"std::bad_alloc", b"MemoryError", b"Cannot allocate memory", b"out of memory")


@dataclasses.dataclass(frozen=True, slots=True)
class ProgramRun:
    """What one run did. Costs are ``None`` when the run did not finish."""

    verdict: Verdict
    stdout: bytes
    stderr_tail: bytes
    exit_code: int | None
    """The program's exit status (negative: killed by that signal), None when the parent killed it."""
    cpu_ns: int | None
    """CPU time of the whole box from the kernel's cgroup account (or wait4 of the tree without cgroups)."""
    wall_ns: int
    accounting: str
    detail: str = ""


def _exit_code(status: int) -> int:
    return _signalled(os.waitstatus_to_exitcode(status))


def _signalled(code: int) -> int:
    # bubblewrap reports a program killed by signal N as 128 + N.
    if code > 128 and code - 128 in {s.value for s in signal.Signals}:
        return -(code - 128)
    return code


def _reported_exit(status: bytes | bytearray) -> int | None:
    """The program's exit code from bubblewrap's ``--json-status-fd`` stream, once it is there."""
    for line in bytes(status).splitlines():
        if b'"exit-code"' in line:
            try:
                return _signalled(int(json.loads(line)["exit-code"]))
            except (ValueError, KeyError, TypeError):
                return None
    return None


def _read_now(fd: int) -> bytes:
    """What the pipe holds now (nothing at its end or when it is empty)."""
    try:
        return os.read(fd, 1 << 16)
    except BlockingIOError:
        return b""


def run_program(
    pool: BoxPool,
    profile: Profile,
    *,
    files: Mapping[str, bytes | Path],
    stdin: bytes,
    limits: ProgramLimits,
    executable: str | None = None,
    collect: tuple[str, Path] | None = None,
) -> ProgramRun:
    """Run ``profile`` in a fresh box holding ``files`` (``executable``: the one to mark executable).

    ``collect=(name, dest)``: after a successful run, copy the regular file ``name`` the program left in its
    private /tmp to ``dest`` (a compiler's output); a symbolic link or anything else is not followed.
    """
    box = pool.take(profile, limits, files, executable)
    try:
        assert box.account is not None
        result = _supervise(box, box.account, limits, stdin)
        if collect is not None and result.verdict is Verdict.OK:
            _collect(box.tmp_dir / collect[0], collect[1])
        return result
    finally:
        pool.release(box, limits, files, executable)


def _supervise(box: Box, account: SandboxAccount, limits: ProgramLimits, stdin: bytes) -> ProgramRun:
    proc = box.proc
    assert proc.stdout is not None
    assert proc.stderr is not None
    cpu_limit_ns = int(limits.effective_cpu_s * 1e9)
    out = bytearray()
    err = bytearray()
    killed: Verdict | None = None
    detail = ""
    # Read when the box was prepared (it was blocked since, doing nothing), else now: never after the start.
    cpu_before = box.cpu_start if box.cpu_start is not None else account.cpu_ns()
    # bwrap's monitor reports the program's exit status once it has reaped it; with the box's namespaces
    # held by the parent that is right after the program's exit. Without a cgroup the costs come from
    # wait4 of the whole tree, so the monitor's own exit is awaited as before.
    status_fd = box.status_fd if account.tier != "procfs" else -1
    status = bytearray()
    reported: int | None = None
    start = time.perf_counter_ns()
    box.start(stdin)
    deadline = start + int(limits.timeout_s * 1e9)
    poll_ns = int(_POLL_S * 1e9)
    next_cpu_check = start + poll_ns

    def take(stream: int, chunk: bytes) -> None:
        nonlocal killed, detail
        if stream == proc.stdout.fileno():  # type: ignore[union-attr]
            out.extend(chunk)
            if len(out) > limits.output_bytes:
                killed, detail = Verdict.OUTPUT_LIMIT, f"stdout over {limits.output_bytes} bytes"
        else:
            err.extend(chunk)
            del err[: max(0, len(err) - limits.stderr_bytes)]

    with selectors.DefaultSelector() as selector:
        for stream in (proc.stdout, proc.stderr):
            os.set_blocking(stream.fileno(), False)
            selector.register(stream.fileno(), selectors.EVENT_READ)
        if status_fd >= 0:
            selector.register(status_fd, selectors.EVENT_READ)
        while selector.get_map():
            for key, _ in selector.select(_POLL_S):
                fd = key.fd
                try:
                    chunk = os.read(fd, 1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    selector.unregister(fd)
                    continue
                if fd != status_fd:
                    take(fd, chunk)
                    continue
                status += chunk
                reported = _reported_exit(status)
                if reported is not None and killed is None:
                    # Every process of the box is dead: what it wrote is in the pipes. Drain them; the
                    # monitor (which writes nothing) is reaped when the box is closed.
                    for pipe_fd in (proc.stdout.fileno(), proc.stderr.fileno()):
                        while pipe_fd in selector.get_map() and (data := _read_now(pipe_fd)):
                            take(pipe_fd, data)
                    for registered in list(selector.get_map()):
                        selector.unregister(registered)
                    break
            if killed is None and reported is None:
                now = time.perf_counter_ns()
                if now > deadline:
                    killed, detail = Verdict.TIMEOUT, f"wall time over {limits.timeout_s:g} s"
                elif now >= next_cpu_check:  # the CPU limit's resolution: no cgroup read on every wake-up
                    next_cpu_check = now + poll_ns
                    if account.cpu_ns() - cpu_before > cpu_limit_ns:
                        killed, detail = Verdict.TIMEOUT, f"CPU time over {limits.effective_cpu_s:g} s"
            if killed is not None:
                # Not proc.kill(): it would reap the process before wait4 reads its usage.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(proc.pid, signal.SIGKILL)
                break
    if reported is not None and killed is None:
        wall_ns = time.perf_counter_ns() - start
        code = reported
        usage = None
    else:
        _, wait_status, usage = os.wait4(proc.pid, 0)
        wall_ns = time.perf_counter_ns() - start
        proc.returncode = os.waitstatus_to_exitcode(wait_status)
        code = _exit_code(wait_status)
    cpu_ns = account.cpu_ns() - cpu_before
    tier = account.tier
    if tier == "procfs" and usage is not None:
        # Without cgroups the dead tree's time is only in the waited-for rusage (bubblewrap reaps all).
        cpu_ns = int((usage.ru_utime + usage.ru_stime) * 1e9)
        tier = "wait4"
    stderr_tail = bytes(err)
    if killed is not None:
        if killed is Verdict.TIMEOUT:
            cpu_ns = max(cpu_ns, cpu_limit_ns)
        return ProgramRun(killed, bytes(out[: limits.output_bytes]), stderr_tail, None, None, wall_ns,
                          tier, detail)  # fmt: skip
    if cpu_ns > cpu_limit_ns:
        return ProgramRun(Verdict.TIMEOUT, bytes(out), stderr_tail, code, None, wall_ns,
                          tier, f"CPU time over {limits.effective_cpu_s:g} s")  # fmt: skip
    if code == 0:
        verdict = Verdict.OK
    elif any(marker in stderr_tail for marker in _MEMORY_MARKERS):
        verdict, detail = Verdict.MEMORY_LIMIT, f"allocation failed under {limits.memory_mb} MiB"
    elif code < 0:
        verdict, detail = Verdict.CRASHED, f"killed by {signal.Signals(-code).name}"
    else:
        verdict, detail = Verdict.RUNTIME_ERROR, f"exit status {code}"
    return ProgramRun(verdict, bytes(out), stderr_tail, code, cpu_ns, wall_ns, tier, detail)


def _collect(source: Path, dest: Path) -> None:
    """Copy a file the sandbox wrote, refusing links and special files (they could point at host files)."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
        with open(tmp, "wb") as out, os.fdopen(os.dup(fd), "rb") as src:
            shutil.copyfileobj(src, out)
        os.replace(tmp, dest)
    finally:
        os.close(fd)
