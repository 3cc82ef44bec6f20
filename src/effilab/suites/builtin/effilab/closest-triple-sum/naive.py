def closest_triple_sum(nums: list[int], target: int) -> int | None:
    best = None
    best_diff = None
    n = len(nums)
    for i in range(n):
        for j in range(i + 1, n):
            for k in range(j + 1, n):
                s = nums[i] + nums[j] + nums[k]
                d = abs(s - target)
                if best is None or d < best_diff or (d == best_diff and s < best):
                    best = s
                    best_diff = d
    return best
