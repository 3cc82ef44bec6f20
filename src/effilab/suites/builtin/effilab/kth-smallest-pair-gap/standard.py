def kth_smallest_gap(values: list[int], k: int) -> int:
    a = sorted(values)
    n = len(a)

    def pairs_within(limit: int) -> int:
        """Number of pairs with gap <= limit (two pointers over the sorted values)."""
        count = 0
        left = 0
        for right in range(n):
            while a[right] - a[left] > limit:
                left += 1
            count += right - left
        return count

    lo, hi = 0, a[-1] - a[0]
    while lo < hi:  # smallest limit with at least k gaps <= limit
        mid = (lo + hi) // 2
        if pairs_within(mid) >= k:
            hi = mid
        else:
            lo = mid + 1
    return lo
