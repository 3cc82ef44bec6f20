"""Class 3 (forged report via gc): finds the bootstrap's ``_Runner`` instance with ``gc.get_objects()`` and
wraps its class's ``_timed_loop`` so that every reply reports a fiftieth of the measured wall time.
Right values.
Honest twin: inv_twin.py.
"""

import gc


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


def _patch() -> None:
    for obj in gc.get_objects():
        cls = type(obj)
        if cls.__name__ == "_Runner" and hasattr(cls, "_timed_loop"):
            original = cls._timed_loop

            def forged(self, _original=original):  # type: ignore[no-untyped-def]
                reply, results = _original(self)
                if isinstance(reply.get("wall_ns"), int):
                    reply["wall_ns"] //= 50
                return reply, results

            cls._timed_loop = forged
            return


_patch()


def count_inversions(nums: list[int]) -> int:
    return _honest(nums)
