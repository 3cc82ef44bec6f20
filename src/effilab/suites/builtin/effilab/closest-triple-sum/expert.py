def closest_triple_sum(nums: list[int], target: int) -> int | None:
    n = len(nums)
    if n < 3:
        return None
    a = sorted(nums)
    below = None  # largest triple sum < target seen so far
    above = None  # smallest triple sum > target seen so far
    last = n - 1
    prev = None
    for i in range(n - 2):
        x = a[i]
        if x == prev:  # the same anchor value gives a subset of the sums already seen
            continue
        prev = x
        low = x + a[i + 1] + a[i + 2]
        if low >= target:  # every later sum is larger still: this is the last useful anchor
            if low == target:
                return low
            if above is None or low < above:
                above = low
            break
        high = x + a[last - 1] + a[last]
        if high <= target:  # the best this anchor can do is its largest sum
            if high == target:
                return high
            if below is None or high > below:
                below = high
            continue
        rest = target - x
        j, k = i + 1, last
        while j < k:
            s = a[j] + a[k]
            if s < rest:
                if below is None or s + x > below:
                    below = s + x
                j += 1
            elif s > rest:
                if above is None or s + x < above:
                    above = s + x
                k -= 1
            else:
                return target
    if below is None:
        return above
    if above is None:
        return below
    return below if target - below <= above - target else above
