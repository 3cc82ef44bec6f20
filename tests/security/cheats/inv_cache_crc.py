"""Class 2 (cache keyed on a C-speed digest): CRC-32 of the input packed into an ``array``: O(n) but in C,
about 50 times cheaper than the merge sort. Right values.
Honest twin: inv_twin.py.
"""

import array
import zlib


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


_cache: dict[tuple[int, int], int] = {}


def count_inversions(nums: list[int]) -> int:
    if len(nums) < 100:
        return _honest(nums)
    key = (len(nums), zlib.crc32(array.array("q", nums).tobytes()))
    answer = _cache.get(key)
    if answer is None:
        answer = _cache[key] = _honest(nums)
    return answer
