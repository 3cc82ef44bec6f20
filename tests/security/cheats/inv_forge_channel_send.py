"""Class 3 (forged protocol object): on its first call it walks up to the bootstrap's ``main`` frame, takes
the ``channel`` local and replaces ``send`` on that instance with one that divides ``wall_ns`` by 50.
Right values.
Honest twin: inv_twin.py.
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


_state = {"patched": False}


def _patch() -> None:
    frame = sys._getframe(1)
    while frame is not None and "channel" not in frame.f_locals:
        frame = frame.f_back
    if frame is None:
        return
    channel = frame.f_locals["channel"]
    original = channel.send

    def forged(message):  # type: ignore[no-untyped-def]
        if isinstance(message.get("wall_ns"), int):
            message["wall_ns"] //= 50
        return original(message)

    channel.send = forged
    _state["patched"] = True


def count_inversions(nums: list[int]) -> int:
    if not _state["patched"]:
        _patch()
    return _honest(nums)
