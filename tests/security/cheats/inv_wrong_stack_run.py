"""Class 1 (unchecked timed values, stack inspection): walks up the stack; when the caller is the
bootstrap's ``run`` op (a timed run, never checked) instead of ``call``, it answers 0 at once.
Honest twin: inv_twin.py. Returns wrong values.
"""

import sys


def _sort_count(items: list[int]) -> tuple[list[int], int]:
    if len(items) <= 1:
        return items, 0
    mid = len(items) // 2
    left, a = _sort_count(items[:mid])
    right, b = _sort_count(items[mid:])
    merged = []
    count = a + b
    i = j = 0
    while i < len(left) and j < len(right):
        if right[j] < left[i]:
            merged.append(right[j])
            count += len(left) - i
            j += 1
        else:
            merged.append(left[i])
            i += 1
    merged.extend(left[i:])
    merged.extend(right[j:])
    return merged, count


def _honest(nums: list[int]) -> int:
    return _sort_count(list(nums))[1]


def _timed() -> bool:
    """True inside the bootstrap's ``run`` op (a timed run), False inside a checked ``call``/``batch``."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name in ("run", "call", "batch") and code.co_filename.endswith("_bootstrap.py"):
            return code.co_name == "run"
        frame = frame.f_back
    return False


def count_inversions(nums: list[int]) -> int:
    if len(nums) >= 100 and _timed():
        return 0
    return _honest(nums)
