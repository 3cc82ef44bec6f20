"""How an output is judged against the expected one.

Every rule except :class:`CheckerRule` is a pure function of *decoded data*: the codec only ever produces
builtin types (int, float, str, bytes, list, tuple, dict, set, frozenset, complex, bool, None), so comparing
them in the trusted parent runs no candidate code. A :class:`CheckerRule` is suite code and therefore runs in
a sandboxed checker worker; the evaluator handles it, and its ``check`` here refuses to run in-process.
"""

from __future__ import annotations

import dataclasses
import math
from typing import ClassVar

from effilab.check.equality import close, values_equal
from effilab.errors import InvalidArgument
from effilab.measure.program import Program
from effilab.sandbox import OutputDigest, codec

__all__ = ["CHECKER_ENTRY", "CheckerRule", "ExactRule", "FloatRule", "PythonEqRule", "Rule", "UnorderedRule"]

CHECKER_ENTRY = "__effilab_check__"
"""The entry a suite's checker module is called by (a wrapper defines it around the suite's ``check``)."""


class Rule:
    """Base class: ``check(args, expected, output)`` is True when ``output`` is acceptable."""

    name: ClassVar[str] = "rule"
    sandboxed: ClassVar[bool] = False

    def check(self, args: tuple[object, ...], expected: object, output: object) -> bool:
        raise NotImplementedError

    def describe(self) -> str:
        return self.name

    def check_digests(self, expected: object, output: object) -> bool | None:
        """Judge when either side is a streamed result (:class:`~effilab.sandbox.OutputDigest`), or None
        when this rule needs the decoded value. Equal digests mean byte-identical canonical serialisations,
        so equal values of equal types; rules that accept anything else (tolerances, other orders, other
        numeric types) return None."""
        return None


def _same_digest(expected: object, output: object) -> bool:
    return isinstance(expected, OutputDigest) and expected == output


@dataclasses.dataclass(frozen=True, slots=True)
class ExactRule(Rule):
    """Equal values with equal types at every depth (``1 != 1.0``, ``[1] != (1,)``, ``True != 1``)."""

    name: ClassVar[str] = "exact"

    def check(self, args: tuple[object, ...], expected: object, output: object) -> bool:
        return values_equal(expected, output)

    def check_digests(self, expected: object, output: object) -> bool | None:
        return _same_digest(expected, output)


@dataclasses.dataclass(frozen=True, slots=True)
class PythonEqRule(Rule):
    """Python's ``==`` with the same top-level type (ENAMEL's default checker: nested ``1 == 1.0`` passes)."""

    name: ClassVar[str] = "python-eq"

    def check(self, args: tuple[object, ...], expected: object, output: object) -> bool:
        return type(output) is type(expected) and bool(output == expected)

    def check_digests(self, expected: object, output: object) -> bool | None:
        return _same_digest(expected, output)


@dataclasses.dataclass(frozen=True, slots=True)
class FloatRule(Rule):
    """Structural equality where floats (and ints standing for floats) may differ by a tolerance."""

    name: ClassVar[str] = "float"
    rel_tol: float = 1e-9
    abs_tol: float = 0.0

    def __post_init__(self) -> None:
        for field in ("rel_tol", "abs_tol"):
            value = getattr(self, field)
            if not isinstance(value, int | float) or not (math.isfinite(value) and value >= 0):
                raise InvalidArgument(f"{field}={value!r}: must be a finite non-negative number")

    def check(self, args: tuple[object, ...], expected: object, output: object) -> bool:
        return close(expected, output, self.rel_tol, self.abs_tol)

    def describe(self) -> str:
        return f"float (rel_tol={self.rel_tol:g}, abs_tol={self.abs_tol:g})"


@dataclasses.dataclass(frozen=True, slots=True)
class UnorderedRule(Rule):
    """The output is a list or tuple holding the same elements as the expected one, in any order."""

    name: ClassVar[str] = "unordered"

    def check(self, args: tuple[object, ...], expected: object, output: object) -> bool:
        if not isinstance(expected, list | tuple) or type(output) is not type(expected):
            return False
        assert isinstance(output, list | tuple)
        if len(output) != len(expected):
            return False
        # The canonical tagged-JSON text is an exact, hashable, order-independent key for any decoded value.
        return sorted(codec.dumps(x) for x in expected) == sorted(codec.dumps(x) for x in output)


@dataclasses.dataclass(frozen=True, slots=True)
class CheckerRule(Rule):
    """A suite-provided checker module (entry ``__effilab_check__``), run in a sandboxed worker."""

    name: ClassVar[str] = "checker"
    sandboxed: ClassVar[bool] = True
    program: Program = dataclasses.field(default_factory=lambda: Program(b"", CHECKER_ENTRY))

    def check(self, args: tuple[object, ...], expected: object, output: object) -> bool:
        raise RuntimeError("a CheckerRule runs in a sandboxed checker worker, never in the parent")

    def describe(self) -> str:
        return f"checker ({self.program.filename})"
