def kth_smallest_gap(values: list[int], k: int) -> int:
    a = sorted(values)

    def pairs_within(limit: int) -> int:
        # Pairs with gap <= limit: for each right end, the left ends in reach form a suffix of
        # a[:right], tracked by a pointer that only moves forward.
        count = 0
        left = 0
        for right, x in enumerate(a):
            floor = x - limit
            while a[left] < floor:
                left += 1
            count += right - left
        return count

    # Binary search on the answer: the smallest limit with at least k gaps <= limit. Every gap is
    # at least the smallest gap between neighbours in sorted order, a valid lower bound.
    lo = min(b - c for b, c in zip(a[1:], a))
    hi = a[-1] - a[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if pairs_within(mid) >= k:
            hi = mid
        else:
            lo = mid + 1
    return lo
