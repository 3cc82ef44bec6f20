"""Validators for arguments at effilab's edge (the Python API and the command line).

Each returns the value it checked, so a caller writes ``n = count("n", n, low=1)``; each raises
:class:`~effilab.errors.InvalidArgument` naming the argument and its value. Upper bounds are deliberate:
absurd values (``1e308`` seconds, 10**15 MiB) overflowed integer deadlines and rlimits deep inside a run,
after files had been opened, instead of being refused here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from effilab.errors import InvalidArgument

__all__ = [
    "MAX_COUNT",
    "MAX_SECONDS",
    "choice",
    "count",
    "nesting_depth",
    "number",
    "seconds",
]

MAX_SECONDS = 7 * 24 * 3600.0
"""Longest budget or time limit accepted anywhere (a week)."""
MAX_COUNT = 10**9
"""Largest count accepted (samples, rounds, workers, sizes …): beyond it a run could never finish."""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}…({len(text)} characters)"


def number(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A finite real number within [low, high] (either end open or absent)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidArgument(f"{name}={_shown(value)}: must be a number")
    try:
        as_float = float(value)
    except OverflowError:
        raise InvalidArgument(f"{name}={_shown(value)}: too large") from None
    if not math.isfinite(as_float):
        raise InvalidArgument(f"{name}={_shown(value)}: must be a finite number")
    if low is not None and (as_float < low or (low_open and as_float == low)):
        raise InvalidArgument(f"{name}={_shown(value)}: must be {'>' if low_open else '≥'} {low:g}")
    if high is not None and (as_float > high or (high_open and as_float == high)):
        raise InvalidArgument(f"{name}={_shown(value)}: must be {'<' if high_open else '≤'} {high:g}")
    return as_float


def seconds(name: str, value: Any, *, high: float = MAX_SECONDS) -> float:
    """A positive duration of at most ``high`` seconds."""
    return number(name, value, low=0, low_open=True, high=high)


def count(name: str, value: Any, *, low: int = 0, high: int = MAX_COUNT) -> int:
    """An integer (not a bool) within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={_shown(value)}: must be an integer")
    if not low <= value <= high:
        raise InvalidArgument(f"{name}={_shown(value)}: must be between {low} and {high}")
    return value


def choice(name: str, value: Any, options: Iterable[str]) -> str:
    allowed = list(options)
    if value not in allowed:
        raise InvalidArgument(f"{name}={_shown(value)}: choose one of {', '.join(allowed)}")
    return str(value)


def nesting_depth(value: object, limit: int) -> int:
    """How deeply lists, tuples, dicts and sets nest in ``value``, counting no further than ``limit + 1``.

    Iterative, so a hostile value cannot exhaust the stack while being measured.
    """
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, list | tuple | set | frozenset | dict):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth) for child in children)
    return deepest
