"""Honest twin for pair-sum-count: the built-in suite's standard reference (one pass, dict of counts)."""


def count_pairs(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count
