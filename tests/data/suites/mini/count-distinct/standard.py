def count_distinct(nums: list[int]) -> int:
    ordered = sorted(nums)
    return sum(1 for i, x in enumerate(ordered) if i == 0 or ordered[i - 1] != x)
