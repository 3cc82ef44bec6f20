def closest_triple_sum(nums: list[int], target: int) -> int | None:
    n = len(nums)
    if n < 3:
        return None
    a = sorted(nums)
    best = a[0] + a[1] + a[2]
    for i in range(n - 2):
        j, k = i + 1, n - 1
        while j < k:
            s = a[i] + a[j] + a[k]
            d = abs(s - target)
            bd = abs(best - target)
            if d < bd or (d == bd and s < best):
                best = s
            if s < target:
                j += 1
            elif s > target:
                k -= 1
            else:
                return s
    return best
