"""A ``pids`` cgroup per sandbox: caps the number of tasks and finds every process that ever joined.

RLIMIT_NPROC does not bind uid 0, so when effilab runs as root this is the layer that stops a fork bomb.
Membership is inherited on fork and cannot be left without write access to the hierarchy, so the cgroup is
also how stray grandchildren (double-forked, reparented away) are found and killed.
Supports cgroup v1 (a ``pids`` hierarchy) and v2 (a writable unified hierarchy with the pids controller).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import time
from pathlib import Path

__all__ = ["PidsCgroup", "cgroup_mounts", "pids_cgroup_root"]

_counter = itertools.count()


def cgroup_mounts() -> list[tuple[str, str, str]]:
    """(mount point, fs type, super options) for each cgroup mount."""
    found = []
    try:
        with open("/proc/self/mountinfo") as handle:
            for line in handle:
                left, _, right = line.partition(" - ")
                fields = left.split()
                fstype, _source, options = [*right.split(), "", "", ""][:3]
                if fstype in ("cgroup", "cgroup2"):
                    found.append((fields[4], fstype, options))
    except OSError:
        pass
    return found


def pids_cgroup_root() -> Path | None:
    """Directory under which effilab may create pids cgroups, or ``None`` if this process cannot."""
    for mount_point, fstype, options in cgroup_mounts():
        root = Path(mount_point)
        if fstype == "cgroup" and "pids" in options.split(","):
            candidate = root / "effilab"
        elif fstype == "cgroup2":
            try:
                if "pids" not in (root / "cgroup.controllers").read_text().split():
                    continue
                with contextlib.suppress(OSError):
                    (root / "cgroup.subtree_control").write_text("+pids")
                if "pids" not in (root / "cgroup.subtree_control").read_text().split():
                    continue
            except OSError:
                continue
            candidate = root / "effilab"
        else:
            continue
        try:
            candidate.mkdir(exist_ok=True)
            if fstype == "cgroup2":
                with contextlib.suppress(OSError):
                    (candidate / "cgroup.subtree_control").write_text("+pids")
            if os.access(candidate, os.W_OK):
                return candidate
        except OSError:
            continue
    return None


class PidsCgroup:
    """One cgroup holding one sandbox's processes."""

    def __init__(self, root: Path, max_tasks: int) -> None:
        self.path = root / f"w{os.getpid()}-{next(_counter)}"
        self.path.mkdir()
        (self.path / "pids.max").write_text(str(max_tasks))

    def add(self, pid: int) -> None:
        (self.path / "cgroup.procs").write_text(str(pid))

    def pids(self) -> list[int]:
        try:
            return [int(line) for line in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def kill_all(self) -> list[int]:
        """SIGKILL every member; repeat until none is left (a fork may race the first pass)."""
        killed: list[int] = []
        for _ in range(50):
            victims = self.pids()
            if not victims:
                break
            for pid in victims:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            time.sleep(0.002)  # let the kernel reap before re-reading; not a timing assumption
        return killed

    def remove(self) -> None:
        self.kill_all()
        for _ in range(100):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:  # EBUSY until the killed tasks are fully gone
                time.sleep(0.005)
