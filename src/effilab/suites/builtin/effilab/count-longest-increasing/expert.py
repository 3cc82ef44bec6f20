from bisect import bisect_left, bisect_right

MOD = 1_000_000_007


def count_longest_increasing(values: list[int]) -> tuple[int, int]:
    # Patience piles (see the standard solution); prefix sums are kept exact and reduced once at the
    # end, and the hot loop works on local names only.
    tails: list[int] = []
    piles: list[list[int]] = []  # negated values per pile, non-decreasing
    sums: list[list[int]] = []  # exact prefix sums of counts per pile, leading 0
    left = bisect_left
    right = bisect_right
    add_tail = tails.append
    add_pile = piles.append
    add_sums = sums.append
    size = 0
    for x in values:
        k = left(tails, x)
        if k:
            prev = sums[k - 1]
            ways = prev[-1] - prev[right(piles[k - 1], -x)]
        else:
            ways = 1
        if k == size:
            add_tail(x)
            add_pile([-x])
            add_sums([0, ways % MOD])
            size += 1
        else:
            tails[k] = x
            piles[k].append(-x)
            cum = sums[k]
            cum.append((cum[-1] + ways) % MOD)
    if not size:
        return (0, 0)
    return (size, sums[-1][-1] % MOD)
