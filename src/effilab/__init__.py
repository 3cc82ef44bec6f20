"""effilab: make code measurably and safely faster.

The public API lives in the sub-packages; the most used names are re-exported here.
"""

from __future__ import annotations

from effilab.errors import EffilabError, InvalidArgument, SandboxError, SandboxUnavailable

__version__ = "0.1.0"

__all__ = [
    "EffilabError",
    "InvalidArgument",
    "SandboxError",
    "SandboxUnavailable",
    "__version__",
]
