"""What a sandbox costs, observed by the parent, and a switch that stops it: the trusted side of measurement.

A candidate shares its interpreter with everything else in the child, so any time it reports (the
bootstrap's clocks, its JSON encoder, its module globals) can be forged. The kernel's accounting cannot:

* **cgroup tier** (root, cgroup v1 ``cpuacct`` + ``freezer`` hierarchies, or a v2 hierarchy with the
  ``cpu`` controller): every process and thread of the sandbox is in one cgroup, which it cannot leave
  (it cannot write the hierarchy), and whose CPU time the kernel sums at nanosecond resolution
  (``cpuacct.usage``; v2: ``cpu.stat`` usage_usec, microseconds) — threads and forked children included,
  dead ones too. Freezing the cgroup stops every task of it at once, new ones included.
* **procfs tier** (anywhere else): the sum of ``/proc/PID/task/TID/schedstat`` run times (nanoseconds)
  over the sandbox's processes, and SIGSTOP/SIGCONT of its process group. Weaker: a task that has already
  exited is no longer counted (a cheat can hide work in a short-lived thread) — the result records which
  tier measured it.

:class:`SandboxAccount` is created by the parent for one worker; :func:`accounting_root` says which tier
this machine offers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from effilab.sandbox.cgroups import cgroup_mounts

__all__ = ["CgroupAccount", "ProcfsAccount", "SandboxAccount", "accounting_root"]

_counter = itertools.count()
_FREEZE_WAIT_S = 2.0


@dataclasses.dataclass(frozen=True, slots=True)
class _Roots:
    version: int
    cpu: Path
    """Where per-sandbox CPU cgroups are made (v1: under cpuacct; v2: under the unified hierarchy)."""
    freezer: Path | None
    """v1 freezer hierarchy (v2 freezes through ``cgroup.freeze`` in the same cgroup)."""


def _writable_dir(path: Path) -> bool:
    try:
        path.mkdir(exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK)


@functools.cache
def _roots() -> _Roots | None:
    if os.geteuid() != 0:
        return None
    mounts = cgroup_mounts()
    cpuacct = freezer = None
    for mount_point, fstype, options in mounts:
        names = options.split(",")
        if fstype == "cgroup" and "cpuacct" in names and cpuacct is None:
            cpuacct = Path(mount_point) / "effilab"
        if fstype == "cgroup" and "freezer" in names and freezer is None:
            freezer = Path(mount_point) / "effilab"
    if cpuacct is not None and freezer is not None and _writable_dir(cpuacct) and _writable_dir(freezer):
        return _Roots(1, cpuacct, freezer)
    for mount_point, fstype, _options in mounts:
        if fstype != "cgroup2":
            continue
        root = Path(mount_point)
        try:
            if "cpu" not in (root / "cgroup.controllers").read_text().split():
                continue
            with contextlib.suppress(OSError):
                (root / "cgroup.subtree_control").write_text("+cpu")
            candidate = root / "effilab"
            if not _writable_dir(candidate):
                continue
            with contextlib.suppress(OSError):
                (candidate / "cgroup.subtree_control").write_text("+cpu")
            return _Roots(2, candidate, None)
        except OSError:
            continue
    return None


def accounting_root() -> str:
    """``cgroup-v1``, ``cgroup-v2`` or ``procfs``: the tier a new :class:`SandboxAccount` will use."""
    roots = _roots()
    return "procfs" if roots is None else f"cgroup-v{roots.version}"


class SandboxAccount:
    """CPU time of one sandbox and a way to stop and resume it, all seen from the parent."""

    tier: str

    @staticmethod
    def create(pids: list[int], pgid: Callable[[], int | None]) -> SandboxAccount:
        """The strongest account this machine offers, with ``pids`` (the sandbox's first tasks) in it."""
        roots = _roots()
        if roots is not None:
            try:
                return CgroupAccount(roots, pids)
            except OSError:
                pass
        return ProcfsAccount(pids, pgid)

    def cpu_ns(self) -> int:
        """CPU time used by the whole sandbox so far (every thread and child process)."""
        raise NotImplementedError

    def freeze(self) -> None:
        """Stop every task of the sandbox; returns once they are stopped."""
        raise NotImplementedError

    def thaw(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release the account (the worker kills the tasks first)."""


class CgroupAccount(SandboxAccount):
    def __init__(self, roots: _Roots, pids: list[int]) -> None:
        name = f"w{os.getpid()}-{next(_counter)}"
        self.version = roots.version
        self.tier = f"cgroup-v{roots.version}"
        self.cpu_path = roots.cpu / name
        self.freezer_path = (roots.freezer / name) if roots.freezer is not None else self.cpu_path
        self.cpu_path.mkdir()
        try:
            if self.freezer_path != self.cpu_path:
                self.freezer_path.mkdir()
            for pid in pids:
                self.add(pid)
        except OSError:
            self.close()
            raise
        self.frozen = False

    def add(self, pid: int) -> None:
        (self.cpu_path / "cgroup.procs").write_text(str(pid))
        if self.freezer_path != self.cpu_path:
            (self.freezer_path / "cgroup.procs").write_text(str(pid))

    def cpu_ns(self) -> int:
        if self.version == 1:
            return int((self.cpu_path / "cpuacct.usage").read_text())
        for line in (self.cpu_path / "cpu.stat").read_text().splitlines():
            key, _, value = line.partition(" ")
            if key == "usage_usec":
                return int(value) * 1000
        raise OSError(f"{self.cpu_path}/cpu.stat has no usage_usec")

    def freeze(self) -> None:
        self._set_frozen(True)

    def thaw(self) -> None:
        self._set_frozen(False)

    def _set_frozen(self, frozen: bool) -> None:
        if self.version == 1:
            state = self.freezer_path / "freezer.state"
            state.write_text("FROZEN" if frozen else "THAWED")
            wanted = "FROZEN" if frozen else "THAWED"
            deadline = time.monotonic() + _FREEZE_WAIT_S
            while state.read_text().strip() != wanted and time.monotonic() < deadline:
                time.sleep(0.0002)  # FREEZING → FROZEN takes microseconds: poll, not a timing assumption
        else:
            (self.cpu_path / "cgroup.freeze").write_text("1" if frozen else "0")
            events = self.cpu_path / "cgroup.events"
            wanted = f"frozen {int(frozen)}"
            deadline = time.monotonic() + _FREEZE_WAIT_S
            while wanted not in events.read_text() and time.monotonic() < deadline:
                time.sleep(0.0002)
        self.frozen = frozen

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if getattr(self, "frozen", False):
                self.thaw()  # a frozen task cannot die: thaw so the kill the worker sent lands
        for path in {self.cpu_path, self.freezer_path}:
            for _ in range(200):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # EBUSY until the killed tasks are gone
                    time.sleep(0.005)


class ProcfsAccount(SandboxAccount):
    """Fallback: schedstat run times of the live tasks; SIGSTOP/SIGCONT of the process group."""

    def __init__(self, pids: list[int], pgid: Callable[[], int | None]) -> None:
        self.tier = "procfs"
        self.pids = list(pids)
        self._pgid = pgid
        self._floor = 0

    def cpu_ns(self) -> int:
        total = 0
        for pid in self._members():
            try:
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for tid in tasks:
                with (
                    contextlib.suppress(OSError, ValueError, IndexError),
                    open(f"/proc/{pid}/task/{tid}/schedstat") as handle,
                ):
                    total += int(handle.read().split()[0])
        # Tasks that exit take their time with them; never report time going backwards.
        self._floor = max(self._floor, total)
        return self._floor

    def _members(self) -> list[int]:
        group = self._pgid()
        if group is None:
            return self.pids
        from effilab.sandbox import procfs  # noqa: PLC0415  -- only the fallback needs the scan

        return [stat.pid for stat in procfs.scan() if stat.pgrp == group] or self.pids

    def freeze(self) -> None:
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, sig: signal.Signals) -> None:
        group = self._pgid()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if group is not None:
                os.killpg(group, sig)
            else:
                for pid in self.pids:
                    os.kill(pid, sig)
