"""Other (a censored level was never checked again): this program is wrong on every input of levels 2
and 3 (it answers 0), but it stalls on the first level-2 input until the parent stops it. A timeout on a
weighted level censors the sample from that level on without failing it; if the later cases are not
called, the wrong answers are never seen and the sample counts as correct.
Honest twin: inv_twin.py. Wrong on levels 2 and 3.
"""

import time


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


_LEVEL_2 = 700
_state = {"stalled": False}


def count_inversions(nums: list[int]) -> int:
    if len(nums) >= _LEVEL_2:
        if len(nums) == _LEVEL_2 and not _state["stalled"]:
            _state["stalled"] = True
            deadline = time.perf_counter() + 5.0
            while time.perf_counter() < deadline:
                pass
        return 0
    return _honest(nums)
