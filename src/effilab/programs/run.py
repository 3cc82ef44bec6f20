"""One run of a whole program in a box: stdin in, stdout out, a verdict and costs decided by the parent.

The parent trusts nothing the program says: its CPU time is the kernel's account of the box's cgroup (every
process and thread, dead ones included) read after the run; its wall time is the parent's clock from
unblocking the box to its exit; stdout is captured up to a cap and judged in the parent.
"""

from __future__ import annotations

import contextlib
import dataclasses
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
    code = os.waitstatus_to_exitcode(status)
    # bubblewrap reports a program killed by signal N as 128 + N.
    if code > 128 and code - 128 in {s.value for s in signal.Signals}:
        return -(code - 128)
    return code


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
    box = pool.take(profile, limits)
    try:
        for name, data in files.items():
            box.put(name, data, executable=name == executable)
        assert box.account is not None
        result = _supervise(box, box.account, limits, stdin)
        if collect is not None and result.verdict is Verdict.OK:
            _collect(box.tmp_dir / collect[0], collect[1])
        return result
    finally:
        pool.release(box, limits)


def _supervise(box: Box, account: SandboxAccount, limits: ProgramLimits, stdin: bytes) -> ProgramRun:
    proc = box.proc
    assert proc.stdout is not None
    assert proc.stderr is not None
    cpu_limit_ns = int(limits.effective_cpu_s * 1e9)
    out = bytearray()
    err = bytearray()
    killed: Verdict | None = None
    detail = ""
    cpu_before = account.cpu_ns()
    start = time.perf_counter_ns()
    box.start(stdin)
    deadline = start + int(limits.timeout_s * 1e9)
    with selectors.DefaultSelector() as selector:
        for stream in (proc.stdout, proc.stderr):
            os.set_blocking(stream.fileno(), False)
            selector.register(stream, selectors.EVENT_READ)
        while selector.get_map():
            for key, _ in selector.select(_POLL_S):
                fd = key.fileobj.fileno()  # type: ignore[union-attr]
                try:
                    chunk = os.read(fd, 1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                if key.fileobj is proc.stdout:
                    out += chunk
                    if len(out) > limits.output_bytes:
                        killed, detail = Verdict.OUTPUT_LIMIT, f"stdout over {limits.output_bytes} bytes"
                else:
                    err += chunk
                    del err[: max(0, len(err) - limits.stderr_bytes)]
            if killed is None:
                now = time.perf_counter_ns()
                if now > deadline:
                    killed, detail = Verdict.TIMEOUT, f"wall time over {limits.timeout_s:g} s"
                elif account.cpu_ns() - cpu_before > cpu_limit_ns:
                    killed, detail = Verdict.TIMEOUT, f"CPU time over {limits.effective_cpu_s:g} s"
            if killed is not None:
                # Not proc.kill(): it would reap the process before wait4 reads its usage.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(proc.pid, signal.SIGKILL)
                break
    _, status, usage = os.wait4(proc.pid, 0)
    wall_ns = time.perf_counter_ns() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu_ns = account.cpu_ns() - cpu_before
    tier = account.tier
    if tier == "procfs":
        # Without cgroups the dead tree's time is only in the waited-for rusage (bubblewrap reaps all).
        cpu_ns = int((usage.ru_utime + usage.ru_stime) * 1e9)
        tier = "wait4"
    stderr_tail = bytes(err)
    if killed is not None:
        if killed is Verdict.TIMEOUT:
            cpu_ns = max(cpu_ns, cpu_limit_ns)
        return ProgramRun(killed, bytes(out[: limits.output_bytes]), stderr_tail, None, None, wall_ns,
                          tier, detail)  # fmt: skip
    code = _exit_code(status)
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
