"""Exceptions raised when *effilab itself* cannot do what was asked.

The failure of a candidate program is never an exception: it is data (a :class:`~effilab.sandbox.Verdict`).
Everything here means the caller asked for something impossible or the machine could not provide it.
"""

from __future__ import annotations

__all__ = ["EffilabError", "InvalidArgument", "SandboxError", "SandboxUnavailable"]


class EffilabError(Exception):
    """Root of every error effilab raises on purpose."""


class InvalidArgument(EffilabError, ValueError):
    """An argument was rejected at the edge; the message names it and its value."""


class SandboxUnavailable(EffilabError):
    """The requested isolation cannot run on this machine (e.g. bubblewrap missing)."""


class SandboxError(EffilabError):
    """The sandbox machinery failed (could not start, protocol broken by effilab's own side)."""
