"""Class 6 (slowing the anchor with processes): keeps three forked children that burn CPU while a shared
flag says no call is running. The parent kills a sandbox's stray processes after every call and run, so
these die before the anchor runs and are forked again: expected to gain nothing (a control). Right values.
Honest twin: inv_twin.py.
"""

import mmap
import os
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


_flag = mmap.mmap(-1, 1)
_children: set[int] = set()


def _child(parent: int) -> None:
    x = 0
    while os.getppid() == parent:
        if _flag[0]:
            for i in range(20000):
                x ^= i
        else:
            time.sleep(0.0002)
    os._exit(0)


def _refill() -> None:
    for pid in list(_children):
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                _children.discard(pid)
        except ChildProcessError:
            _children.discard(pid)
    while len(_children) < 3:
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            return
        if pid == 0:
            _child(parent)
        _children.add(pid)


def count_inversions(nums: list[int]) -> int:
    _flag[0] = 0
    _refill()
    answer = _honest(nums)
    _flag[0] = 1
    return answer
