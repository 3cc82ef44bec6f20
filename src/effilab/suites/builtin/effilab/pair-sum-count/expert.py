from collections import Counter


def count_pairs(nums: list[int], target: int) -> int:
    counts = Counter(nums)
    total = 0
    for x, c in counts.items():
        y = target - x
        if x < y:
            total += c * counts.get(y, 0)
        elif x == y:
            total += c * (c - 1) // 2
    return total
