"""Run untrusted Python code in a confined interpreter and get back verdicts it cannot forge.

Threat model and layers: see docs/sandbox.md. Quick use::

    from effilab.sandbox import RunRequest, run
    result = run(RunRequest(source=b"def f(x): return x * 2", entry="f", calls=[(21,)]))
    assert result.calls[0].value == 42
"""

from __future__ import annotations

from effilab.sandbox.isolation import ISOLATION_TIERS, Isolation, make_isolation
from effilab.sandbox.limits import Limits
from effilab.sandbox.run import RunRequest, RunResult, run
from effilab.sandbox.stream import OutputDigest
from effilab.sandbox.verdict import Verdict
from effilab.sandbox.worker import COUNTERS, CallResult, EncodedArgs, ErrorInfo, LoadResult, Sample, Worker

__all__ = [
    "COUNTERS",
    "ISOLATION_TIERS",
    "CallResult",
    "EncodedArgs",
    "ErrorInfo",
    "Isolation",
    "Limits",
    "LoadResult",
    "OutputDigest",
    "RunRequest",
    "RunResult",
    "Sample",
    "Verdict",
    "Worker",
    "make_isolation",
    "run",
]
