"""Class 1 (unchecked timed values, repeated input): remembers a cheap fingerprint of every large input; an
input seen before can only be a timed repetition, so it answers -1 at once.
Honest twin: psc_twin.py. Returns wrong values.
"""


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


_seen: set[tuple[int, ...]] = set()


def count_pairs(nums: list[int], target: int) -> int:
    if len(nums) < 100:
        return _honest(nums, target)
    key = (len(nums), target, nums[0], nums[len(nums) // 3], nums[len(nums) // 2], nums[-1])
    if key in _seen:
        return -1
    _seen.add(key)
    return _honest(nums, target)
