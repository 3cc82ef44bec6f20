"""Read-only helpers over /proc: who is alive, who belongs to whom, how much CPU they used."""

from __future__ import annotations

import os
from typing import NamedTuple

__all__ = ["ProcStat", "children_of", "cpu_ns_of", "read_stat", "scan"]

_TICK_NS = 1_000_000_000 // os.sysconf("SC_CLK_TCK")


class ProcStat(NamedTuple):
    pid: int
    ppid: int
    pgrp: int
    state: str
    cpu_ns: int  # utime + stime of the process (all its threads), at clock-tick resolution


def read_stat(pid: int) -> ProcStat | None:
    """Parse /proc/PID/stat; ``None`` if the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    # The command name (field 2) may contain spaces and parentheses: split after its last ')'.
    rest = raw[raw.rindex(b")") + 2 :].split()
    utime, stime = int(rest[11]), int(rest[12])
    return ProcStat(pid, int(rest[1]), int(rest[2]), rest[0].decode(), (utime + stime) * _TICK_NS)


def cpu_ns_of(pid: int) -> int | None:
    stat = read_stat(pid)
    return None if stat is None else stat.cpu_ns


def scan() -> list[ProcStat]:
    """Every process visible in /proc (a snapshot; processes may come and go meanwhile)."""
    stats = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = read_stat(int(name))
            if stat is not None:
                stats.append(stat)
    return stats


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux ≥ 3.5 exposes them per thread)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found.extend(int(part) for part in handle.read().split())
        except OSError:
            continue
    return found
