"""Deterministic cost of a whole program: the instructions it executes, counted by callgrind.

This is effilab's practical replacement for PIE's gem5 simulation: a count of executed instructions
(callgrind's ``Ir``) does not depend on the machine's load or frequency, and for a static binary with a
fixed environment it is the same on every run (benchmarks/programs.py measures that). The program runs in
its box as usual, under valgrind; the count comes from callgrind's output file in the box's private /tmp,
read by the parent after the run. That file is written by the process the program shares, so a hostile
program could forge it (as for functions: docs/trust.md); use CPU time when candidates are adversarial.

Hardware counters (``perf stat``) would be faster where the machine exposes a PMU; this machine family
does not, and callgrind is exact, so only callgrind is implemented for programs.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from pathlib import Path

from effilab.errors import SandboxUnavailable
from effilab.programs.box import BoxPool, Profile
from effilab.programs.limits import ProgramLimits
from effilab.programs.run import ProgramRun, run_program

__all__ = ["CountedRun", "count_instructions", "counting_profile"]

_OUT = "callgrind.out"
_TOTAL = re.compile(rb"^(?:summary|totals):\s*(\d+)", re.MULTILINE)
VALGRIND_MEMORY_MB = 8192  # valgrind reserves a large address space of its own


@dataclasses.dataclass(frozen=True, slots=True)
class CountedRun:
    run: ProgramRun
    instructions: int | None


def counting_profile(profile: Profile) -> Profile:
    """``profile`` run under callgrind (needs the system's /usr for valgrind and its tools)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SandboxUnavailable("valgrind is not installed (apt-get install valgrind)")
    wrapper = (valgrind, "--tool=callgrind", "-q", f"--callgrind-out-file={{tmp}}/{_OUT}",
               "--vgdb=no", "--compress-strings=no")  # fmt: skip
    return dataclasses.replace(profile, name=f"{profile.name}+callgrind", system=True, wrapper=wrapper)


def count_instructions(
    pool: BoxPool,
    profile: Profile,
    *,
    files: dict[str, bytes | Path],
    stdin: bytes,
    limits: ProgramLimits,
    executable: str | None = None,
) -> CountedRun:
    """Run once under callgrind; the instruction count is None unless the run was ``ok``."""
    limits = limits.replace(
        memory_mb=limits.memory_mb + VALGRIND_MEMORY_MB,
        timeout_s=limits.timeout_s * 100,  # callgrind runs programs ~50x slower
        cpu_s=limits.effective_cpu_s * 100,
    )
    with tempfile.TemporaryDirectory(prefix="effilab-count-") as tmp:
        out = Path(tmp) / _OUT
        run = run_program(pool, counting_profile(profile), files=files, stdin=stdin, limits=limits,
                          executable=executable, collect=(_OUT, out))  # fmt: skip
        if not run.verdict.is_ok or not out.exists():
            return CountedRun(run, None)
        match = _TOTAL.search(out.read_bytes())
        return CountedRun(run, int(match.group(1)) if match else None)
