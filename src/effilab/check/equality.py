"""Equality of decoded outputs: the comparisons every other check is built from.

Outputs reach the parent as builtin types only (the codec decodes nothing else), so these functions run
no candidate code: comparing two values is pure data work in the trusted process.
"""

from __future__ import annotations

import math

__all__ = ["close", "values_equal"]


def values_equal(expected: object, actual: object, *, float_tol: float = 0.0) -> bool:
    """Exact structural equality with exact types; floats may differ by ``float_tol`` (relative).

    nan equals nan (an oracle returning nan is matched by nan), and ``-0.0`` equals ``0.0``.
    """
    if type(expected) is not type(actual):
        return False
    if isinstance(expected, float) and isinstance(actual, float):
        if math.isnan(expected) or math.isnan(actual):
            return math.isnan(expected) and math.isnan(actual)
        return expected == actual or math.isclose(expected, actual, rel_tol=float_tol, abs_tol=0.0)
    if isinstance(expected, list | tuple) and isinstance(actual, list | tuple):
        return len(expected) == len(actual) and all(
            values_equal(e, a, float_tol=float_tol) for e, a in zip(expected, actual, strict=True)
        )
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(
            values_equal(expected[k], actual[k], float_tol=float_tol) for k in expected
        )
    if isinstance(expected, complex) and isinstance(actual, complex):
        return values_equal(expected.real, actual.real, float_tol=float_tol) and values_equal(
            expected.imag, actual.imag, float_tol=float_tol
        )
    return expected == actual


def close(expected: object, actual: object, rel: float, abs_: float) -> bool:
    """Structural equality where floats, and ints standing for floats, may differ by a tolerance."""
    numbers = (int, float)
    if isinstance(expected, float) or (isinstance(actual, float) and type(expected) is int):
        if type(actual) not in numbers or type(expected) not in numbers:
            return False
        e, a = float(expected), float(actual)  # type: ignore[arg-type]
        if math.isnan(e) or math.isnan(a):
            return math.isnan(e) and math.isnan(a)
        return e == a or math.isclose(e, a, rel_tol=rel, abs_tol=abs_)
    if type(expected) is not type(actual):
        return False
    if isinstance(expected, list | tuple):
        assert isinstance(actual, list | tuple)
        return len(expected) == len(actual) and all(
            close(e, a, rel, abs_) for e, a in zip(expected, actual, strict=True)
        )
    if isinstance(expected, dict):
        assert isinstance(actual, dict)
        return expected.keys() == actual.keys() and all(
            close(expected[k], actual[k], rel, abs_) for k in expected
        )
    if isinstance(expected, complex):
        assert isinstance(actual, complex)
        return close(expected.real, actual.real, rel, abs_) and close(expected.imag, actual.imag, rel, abs_)
    return bool(expected == actual)
