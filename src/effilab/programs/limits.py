"""Resource limits for one run of a whole program (or one compilation), validated once at the edge."""

from __future__ import annotations

import dataclasses

from effilab.errors import InvalidArgument

__all__ = ["ProgramLimits"]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ProgramLimits:
    """Limits of one sandboxed program run. Times are per run; every limit is enforced outside the program."""

    timeout_s: float = 10.0
    """Wall-clock limit, enforced by the parent (it kills the whole box)."""
    cpu_s: float | None = None
    """CPU-time limit of the whole box (every process), from the kernel's account; None: timeout_s."""
    memory_mb: int = 1024
    """Address-space limit (RLIMIT_AS) of each process of the program, in MiB."""
    output_bytes: int = 64 << 20
    """Cap on stdout; a program writing more ends with ``output_limit``."""
    stderr_bytes: int = 8192
    """How much of the end of stderr is kept (stderr is never judged, only reported)."""
    file_size_mb: int = 64
    """Largest file the program may write in its private /tmp (RLIMIT_FSIZE)."""
    open_files: int = 64
    max_processes: int = 16
    """Tasks (processes and threads) the box may hold at once (cgroup ``pids.max``)."""

    def __post_init__(self) -> None:
        for name in ("timeout_s", "cpu_s"):
            value = getattr(self, name)
            if value is None and name == "cpu_s":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise InvalidArgument(f"{name}={value!r}: must be a positive number")
        for name in ("memory_mb", "output_bytes", "stderr_bytes", "file_size_mb", "open_files",
                     "max_processes"):  # fmt: skip
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise InvalidArgument(f"{name}={value!r}: must be a positive integer")
        if self.memory_mb < 16:
            raise InvalidArgument(f"memory_mb={self.memory_mb}: a program needs at least 16 MiB")

    @property
    def effective_cpu_s(self) -> float:
        return self.timeout_s if self.cpu_s is None else self.cpu_s

    def replace(self, **changes: object) -> ProgramLimits:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
