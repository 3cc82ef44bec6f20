"""Which host a unit of work ran on, and under which isolation tier (each host checks its own)."""

from __future__ import annotations

import dataclasses
import functools
import socket

from effilab.sandbox.isolation import make_isolation

__all__ = ["HostTier", "this_host"]


@dataclasses.dataclass(frozen=True, slots=True)
class HostTier:
    """A host and the isolation tier its sandboxes actually used (``auto`` resolved there, not here)."""

    host: str
    isolation: str


@functools.cache
def this_host(isolation: str) -> HostTier:
    """This host's name and the tier ``isolation`` resolves to on it.

    Cached per process: the tier probe starts a sandbox. An explicit tier this host cannot provide raises
    :class:`~effilab.errors.SandboxUnavailable` here, on the host that lacks it."""
    return HostTier(socket.gethostname(), make_isolation(isolation).name)
