"""Resource limits for one sandboxed worker, validated once at the edge and then passed down frozen."""

from __future__ import annotations

import dataclasses
import math

from effilab.errors import InvalidArgument

__all__ = ["MAX_MEMORY_MB", "MAX_TIME_S", "Limits"]

MAX_TIME_S = 7 * 24 * 3600.0
"""Longest time limit accepted (a week). Larger ones are typos, and ones near 1e308 overflowed the
integer nanosecond deadlines and rlimits derived from them (a traceback instead of a verdict)."""
MAX_MEMORY_MB = 1 << 30
"""Largest memory limit accepted (1 PiB); larger ones overflowed RLIMIT_AS in the child, which then
failed to start and was reported as an internal failure."""
_MAX_COUNT = 1 << 48
"""Bound of the other integer limits (bytes, files, processes): far beyond any machine, far below rlim_t."""


def _require_positive(name: str, value: float | int | None, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidArgument(f"{name}={value!r}: must be a positive finite number")
    if value > MAX_TIME_S:
        raise InvalidArgument(f"{name}={value!r}: at most {MAX_TIME_S:.0f} seconds (a week)")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Per-worker resource limits.

    Times are per call (the worker may serve many calls); the other limits hold for the worker's lifetime.
    """

    timeout_s: float = 10.0
    """Wall-clock limit for one call, enforced by the parent, which kills the whole sandbox on expiry."""
    cpu_s: float | None = None
    """CPU-time limit for one call (all threads of the interpreter); ``None`` means equal to ``timeout_s``."""
    load_timeout_s: float = 20.0
    """Wall-clock limit for starting the interpreter and importing the candidate module."""
    memory_mb: int = 1024
    """Address-space limit of the interpreter (RLIMIT_AS), in MiB."""
    output_bytes: int = 1 << 20
    """Cap on stdout+stderr bytes per call; exceeding it ends the call with ``output_limit``."""
    result_bytes: int = 64 << 20
    """Cap on the size of one encoded return value; exceeding it ends the call with ``output_limit``."""
    stream_above_bytes: int | None = None
    """Results larger than this (their marshal size) are streamed and kept only as a digest by the parent
    (``CallResult.value`` is then an :class:`~effilab.sandbox.stream.OutputDigest`); None: never."""
    stream_max_bytes: int = 4 << 30
    """Cap on a streamed result's serialised size; exceeding it ends the call with ``output_limit``."""
    file_size_mb: int = 16
    """Largest file the candidate may write (RLIMIT_FSIZE), in MiB."""
    open_files: int = 256
    """RLIMIT_NOFILE."""
    max_processes: int = 32
    """Tasks (processes and threads) the sandbox may hold at once: cgroup ``pids.max`` or RLIMIT_NPROC."""
    tail_bytes: int = 4096
    """How much of the end of stdout/stderr is kept and reported per call."""

    def __post_init__(self) -> None:
        _require_positive("timeout_s", self.timeout_s)
        _require_positive("cpu_s", self.cpu_s, allow_none=True)
        _require_positive("load_timeout_s", self.load_timeout_s)
        for name in (
            "memory_mb",
            "output_bytes",
            "result_bytes",
            "stream_max_bytes",
            "file_size_mb",
            "open_files",
            "max_processes",
            "tail_bytes",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise InvalidArgument(f"{name}={value!r}: must be a positive integer")
            bound = MAX_MEMORY_MB if name.endswith("_mb") else _MAX_COUNT
            if value > bound:
                unit = " MiB (1 PiB)" if name.endswith("_mb") else ""
                raise InvalidArgument(f"{name}={value!r}: at most {bound}{unit}")
        if self.stream_above_bytes is not None and (
            isinstance(self.stream_above_bytes, bool)
            or not isinstance(self.stream_above_bytes, int)
            or self.stream_above_bytes <= 0
        ):
            raise InvalidArgument(
                f"stream_above_bytes={self.stream_above_bytes!r}: must be a positive integer"
            )
        if self.memory_mb < 64:
            raise InvalidArgument(f"memory_mb={self.memory_mb}: an interpreter needs at least 64 MiB")

    @property
    def effective_cpu_s(self) -> float:
        return self.timeout_s if self.cpu_s is None else self.cpu_s

    def replace(self, **changes: object) -> Limits:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
