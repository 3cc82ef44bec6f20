"""Exceptions raised when *effilab itself* cannot do what was asked.

The failure of a candidate program is never an exception: it is data (a :class:`~effilab.sandbox.Verdict`).
Everything here means the caller asked for something impossible or the machine could not provide it.
"""

from __future__ import annotations

__all__ = [
    "EffilabError",
    "InvalidArgument",
    "MeasurementError",
    "SandboxError",
    "SandboxStartError",
    "SandboxUnavailable",
]


class EffilabError(Exception):
    """Root of every error effilab raises on purpose."""


class InvalidArgument(EffilabError, ValueError):
    """An argument was rejected at the edge; the message names it and its value."""


class SandboxUnavailable(EffilabError):
    """The requested isolation cannot run on this machine (e.g. bubblewrap missing)."""


class SandboxError(EffilabError):
    """The sandbox machinery failed (could not start, protocol broken by effilab's own side)."""


class SandboxStartError(SandboxError):
    """A sandbox could not be started or confined.

    Never the candidate's doing (no candidate code runs before it is loaded into a started sandbox), so it
    is never recorded as a candidate's verdict: it propagates, and a resumed evaluation retries the work.
    """


class MeasurementError(EffilabError):
    """effilab's own side of a measurement failed: the kernel's account of a sandbox could not be read, or
    the trusted anchor (an oracle that answered these very inputs before) failed while being timed.

    Like :class:`SandboxStartError` it is never stored as the candidate's verdict: the run stops and a
    resume retries the sample.
    """
