"""Host metadata recorded with every measurement, so that only like is ever compared with like.

Instruction counts and times depend on the CPU, the interpreter build, the environment and the sandbox.
Measurements whose :meth:`HostMetadata.compatibility_key` differ are refused when combined.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import platform
import sys

from effilab.errors import InvalidArgument
from effilab.sandbox.isolation import BOOTSTRAP, child_environment

__all__ = ["HostMetadata", "collect_metadata"]


@functools.cache
def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


@functools.cache
def _bootstrap_digest() -> str:
    """The timing code itself is part of the conditions: a change to it changes what is measured."""
    return hashlib.sha256(BOOTSTRAP.read_bytes()).hexdigest()[:16]


@dataclasses.dataclass(frozen=True, slots=True)
class HostMetadata:
    """Where and how a measurement was taken."""

    cpu_model: str
    cores: int
    machine: str
    kernel: str
    python_version: str
    """Version of the interpreter that ran the measured code."""
    python_build: str
    """Implementation, build tag and compiler of that interpreter."""
    isolation: str
    """Isolation tier (``bwrap`` / ``process``)."""
    layers: tuple[str, ...]
    """Isolation layers in force."""
    backend: str
    """Cost backend (``time``, ``cpu``, ``instructions-perf``, ``instructions-callgrind``)."""
    hash_seed: int
    env_hash: str
    """Digest of the child's environment, interpreter path and bootstrap code."""
    load_average: tuple[float, float, float]
    """System load when the measurement started: informational, not part of compatibility."""

    def compatibility_key(self) -> tuple[object, ...]:
        fields = dataclasses.asdict(self)
        fields.pop("load_average")
        return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in fields.items()))

    def require_compatible(self, other: HostMetadata) -> None:
        """Raise :class:`InvalidArgument` naming the first difference that makes results incomparable."""
        for field in dataclasses.fields(self):
            if field.name == "load_average":
                continue
            mine, theirs = getattr(self, field.name), getattr(other, field.name)
            if mine != theirs:
                raise InvalidArgument(
                    f"cannot combine measurements taken under different conditions: {field.name} is "
                    f"{mine!r} in one and {theirs!r} in the other"
                )


def collect_metadata(*, isolation: str, layers: tuple[str, ...], backend: str, python_version: str,
                     hash_seed: int) -> HostMetadata:  # fmt: skip
    """Metadata for a measurement about to be taken on this host."""
    env = child_environment(home="/tmp", hash_seed=hash_seed)
    digest = hashlib.sha256(
        json.dumps([sorted(env.items()), os.path.realpath(sys.executable), _bootstrap_digest()]).encode()
    ).hexdigest()[:16]
    try:
        load = os.getloadavg()
    except OSError:
        load = (float("nan"),) * 3
    return HostMetadata(
        cpu_model=_cpu_model(),
        cores=os.cpu_count() or 1,
        machine=platform.machine(),
        kernel=platform.release(),
        python_version=python_version,
        python_build=f"{platform.python_implementation()} {' '.join(platform.python_build())} "
        f"{platform.python_compiler()}",
        isolation=isolation,
        layers=layers,
        backend=backend,
        hash_seed=hash_seed,
        env_hash=digest,
        load_average=(round(load[0], 2), round(load[1], 2), round(load[2], 2)),
    )
