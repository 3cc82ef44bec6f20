"""What this machine can offer: isolation tiers, in-child layers, cost counters, interpreters.

Used by ``effilab doctor`` and recorded with results. Each tier is verified by actually starting a sandbox,
not inferred from the presence of files.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys

from effilab.errors import EffilabError
from effilab.sandbox import confine
from effilab.sandbox.cgroups import pids_cgroup_root
from effilab.sandbox.counters import perf_unavailable_reason
from effilab.sandbox.isolation import ISOLATION_TIERS
from effilab.sandbox.worker import Worker

__all__ = ["Capabilities", "TierReport", "probe", "python_versions"]


@dataclasses.dataclass(frozen=True, slots=True)
class TierReport:
    name: str
    available: bool
    layers: tuple[str, ...]
    """Layers in force in a sandbox actually started with this tier."""
    reason: str = ""
    start_ms: float | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Capabilities:
    tiers: tuple[TierReport, ...]
    seccomp: bool
    landlock_abi: int
    pids_cgroup: str | None
    running_as_root: bool
    perf_instructions: str
    valgrind: str | None
    pythons: tuple[tuple[str, str], ...]


def _perf_instructions() -> str:
    """Whether perf_event_open can count retired instructions for this process (needs a PMU)."""
    reason = perf_unavailable_reason()
    return "available" if reason is None else f"unavailable ({reason})"


def _valgrind() -> str | None:
    path = shutil.which("valgrind")
    if path is None:
        return None
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or path


def python_versions() -> tuple[tuple[str, str], ...]:
    """(interpreter, version) for this interpreter and every ``python3.X`` on PATH, without duplicates."""
    found = {os.path.realpath(sys.executable): sys.version.split()[0]}
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            path = os.path.join(directory, name)
            if not re.fullmatch(r"python3\.\d+", name) or not os.access(path, os.X_OK):
                continue
            try:
                out = subprocess.run(
                    [
                        path,
                        "-c",
                        "import os, sys; print(os.path.realpath(sys.executable), sys.version.split()[0])",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=10,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired):
                continue
            if out.returncode == 0 and out.stdout.count(" ") == 1:
                real, version = out.stdout.split()
                found.setdefault(real, version)
    return tuple(sorted(found.items()))


def _tier_report(name: str) -> TierReport:
    tier = ISOLATION_TIERS[name]
    reason = tier.unavailable_reason()
    if reason is not None:
        return TierReport(name, False, (), reason)
    try:
        with Worker(isolation=tier()) as worker:
            return TierReport(name, True, worker.layers, start_ms=worker.start_ns / 1e6)
    except EffilabError as exc:
        return TierReport(name, False, (), str(exc))


def probe() -> Capabilities:
    root = pids_cgroup_root() if os.geteuid() == 0 else None
    return Capabilities(
        tiers=tuple(_tier_report(name) for name in ISOLATION_TIERS),
        seccomp=confine.seccomp_supported(),
        landlock_abi=confine.landlock_abi(),
        pids_cgroup=None if root is None else str(root),
        running_as_root=os.geteuid() == 0,
        perf_instructions=_perf_instructions(),
        valgrind=_valgrind(),
        pythons=python_versions(),
    )
