from bisect import bisect_left, bisect_right

MOD = 1_000_000_007


def count_longest_increasing(values: list[int]) -> tuple[int, int]:
    # Pile k holds, in arrival order, the elements whose longest increasing subsequence ending
    # there has length k + 1; their values never increase along the pile. tails[k] is the last.
    tails: list[int] = []
    piles: list[list[int]] = []  # negated values (non-decreasing, so bisect works)
    sums: list[list[int]] = []  # prefix sums (mod MOD) of the counts, with a leading 0
    for x in values:
        k = bisect_left(tails, x)
        if k == 0:
            ways = 1
        else:
            # Predecessors: elements of pile k-1 with value < x, a suffix of that pile.
            start = bisect_right(piles[k - 1], -x)
            ways = (sums[k - 1][-1] - sums[k - 1][start]) % MOD
        if k == len(tails):
            tails.append(x)
            piles.append([-x])
            sums.append([0, ways])
        else:
            tails[k] = x
            piles[k].append(-x)
            sums[k].append((sums[k][-1] + ways) % MOD)
    if not tails:
        return (0, 0)
    return (len(tails), sums[-1][-1])
