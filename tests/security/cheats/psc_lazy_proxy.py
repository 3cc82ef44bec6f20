"""Class 1 (lazy proxy): in a timed run it returns at once an object that computes the count only when
converted (``__int__``/``__index__``/``__eq__``). Nothing converts it inside the window.
Honest twin: psc_twin.py. Returns a non-int (wrong type) in timed calls.
"""

import sys


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


def _timed() -> bool:
    """True inside the bootstrap's ``run`` op (a timed run), False inside a checked ``call``/``batch``."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name in ("run", "call", "batch") and code.co_filename.endswith("_bootstrap.py"):
            return code.co_name == "run"
        frame = frame.f_back
    return False


class _Lazy:
    def __init__(self, nums: list[int], target: int) -> None:
        self._args = (nums, target)
        self._value: int | None = None

    def __int__(self) -> int:
        if self._value is None:
            self._value = _honest(*self._args)
        return self._value

    __index__ = __int__

    def __eq__(self, other: object) -> bool:
        return int(self) == other

    def __hash__(self) -> int:
        return hash(int(self))


def count_pairs(nums: list[int], target: int) -> object:
    if len(nums) >= 100 and _timed():
        return _Lazy(nums, target)
    return _honest(nums, target)
