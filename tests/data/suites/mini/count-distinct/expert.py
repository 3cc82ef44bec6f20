def count_distinct(nums: list[int]) -> int:
    return len(set(nums))
