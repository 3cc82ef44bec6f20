"""Is it correct: the one home of output equality, comparison rules and custom checkers.

* :mod:`~effilab.check.equality`: ``values_equal`` (exact types, optional float tolerance) and ``close``
  (numeric tolerance), pure functions of decoded data.
* :mod:`~effilab.check.rules`: the rules a suite names (``exact``, ``python-eq``, ``float``, ``unordered``,
  ``checker``), each judging an output against the expected one, streamed digests included.
* :mod:`~effilab.check.checker`: :class:`OutputChecker`, which applies a rule and runs a suite's custom
  checker in its own sandbox.

Used by suites (validation), evaluate (every case), measure's compare (outputs of B against A) and
optimize (candidates against the original).
"""

from __future__ import annotations

from effilab.check.checker import CHECKER_LIMITS, OutputChecker
from effilab.check.equality import close, values_equal
from effilab.check.rules import (
    CHECKER_ENTRY,
    CheckerRule,
    ExactRule,
    FloatRule,
    PythonEqRule,
    Rule,
    UnorderedRule,
)

__all__ = [
    "CHECKER_ENTRY",
    "CHECKER_LIMITS",
    "CheckerRule",
    "ExactRule",
    "FloatRule",
    "OutputChecker",
    "PythonEqRule",
    "Rule",
    "UnorderedRule",
    "close",
    "values_equal",
]
