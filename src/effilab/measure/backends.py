"""Cost backends: what one sample of a call costs, behind one interface, chosen automatically or by name.

=========================  =====  ==============================================  =============
backend                    unit   source                                          deterministic
=========================  =====  ==============================================  =============
``time``                   ns     the parent's clock around the run exchange      no
``cpu``                    ns     the kernel's CPU time of the whole sandbox      no
                                  (cgroup, read by the parent) during the run
``instructions-perf``      instr  hardware counter via ``perf_event_open``        nearly
``instructions-callgrind`` instr  callgrind, instrumentation only in the window   yes
=========================  =====  ==============================================  =============

``instructions`` resolves to the perf backend where the machine exposes a PMU, else to callgrind.

Times are observed by the parent, never taken from the child: the candidate shares its interpreter with
the bootstrap, so anything computed there (clocks, module globals, the JSON encoder) can be forged. The
child's own readings (``Sample.wall_ns``/``cpu_ns``) only feed the sampler's clock-integrity warning. The
run exchange adds the harness's constant cost (tens of microseconds) to every sample; runs are sized to
tens of milliseconds, so that is under 1 %, and the same for both sides of a comparison.
"""

from __future__ import annotations

import abc
import functools
import shutil
from typing import ClassVar

from effilab.errors import InvalidArgument, SandboxUnavailable
from effilab.sandbox.counters import perf_unavailable_reason
from effilab.sandbox.worker import Sample

__all__ = ["BACKENDS", "METRICS", "CostBackend", "resolve_backend"]


class CostBackend(abc.ABC):
    """Turns a :class:`~effilab.sandbox.Sample` into a per-call cost."""

    name: ClassVar[str]
    unit: ClassVar[str]
    counter: ClassVar[str | None] = None
    """Counter the sandboxed worker must run with."""
    deterministic: ClassVar[bool] = False
    """Whether repeated samples are expected to be identical (no repetition loop or many samples needed)."""

    @classmethod
    def unavailable_reason(cls) -> str | None:
        return None

    @abc.abstractmethod
    def total(self, sample: Sample) -> int | None:
        """Cost of the whole sample (all repetitions), or None if the sample has no such figure."""

    def per_call(self, sample: Sample) -> float:
        """Cost of one call; ``inf`` for a censored (timed-out) sample."""
        if sample.censored:
            return float("inf")
        total = self.total(sample)
        if total is None:
            raise InvalidArgument(f"backend {self.name}: the sample carries no {self.unit} figure")
        return total / sample.repeat


class TimeBackend(CostBackend):
    name = "time"
    unit = "ns"

    def total(self, sample: Sample) -> int | None:
        return sample.parent_wall_ns


class CpuBackend(CostBackend):
    name = "cpu"
    unit = "ns"

    def total(self, sample: Sample) -> int | None:
        return sample.parent_cpu_ns


class PerfInstructionsBackend(CostBackend):
    name = "instructions-perf"
    unit = "instructions"
    counter = "perf"

    @classmethod
    def unavailable_reason(cls) -> str | None:
        reason = _perf_reason()
        return None if reason is None else f"no hardware instruction counter: {reason}"

    def total(self, sample: Sample) -> int | None:
        return sample.instructions


class CallgrindInstructionsBackend(CostBackend):
    name = "instructions-callgrind"
    unit = "instructions"
    counter = "callgrind"
    deterministic = True

    @classmethod
    def unavailable_reason(cls) -> str | None:
        if shutil.which("valgrind") is None:
            return "valgrind is not installed (apt-get install valgrind)"
        return None

    def total(self, sample: Sample) -> int | None:
        return sample.instructions


@functools.cache
def _perf_reason() -> str | None:
    return perf_unavailable_reason()


BACKENDS: dict[str, type[CostBackend]] = {
    backend.name: backend
    for backend in (TimeBackend, CpuBackend, PerfInstructionsBackend, CallgrindInstructionsBackend)
}
METRICS = ("time", "cpu", "instructions")
"""Names accepted on the command line; ``instructions`` picks the best available counter."""


def resolve_backend(metric: str) -> CostBackend:
    """The backend for ``metric`` (a name from :data:`METRICS` or :data:`BACKENDS`)."""
    if metric == "instructions":
        reasons = []
        for candidate in (PerfInstructionsBackend, CallgrindInstructionsBackend):
            reason = candidate.unavailable_reason()
            if reason is None:
                return candidate()
            reasons.append(f"{candidate.name}: {reason}")
        raise SandboxUnavailable("instruction counting is unavailable here (" + "; ".join(reasons) + ")")
    backend = BACKENDS.get(metric)
    if backend is None:
        raise InvalidArgument(f"metric={metric!r}: choose one of {', '.join((*METRICS, *BACKENDS))}")
    reason = backend.unavailable_reason()
    if reason is not None:
        raise SandboxUnavailable(f"metric {metric!r} is unavailable here: {reason}")
    return backend()
