def min_merge_cost(piles: list[int]) -> int:
    n = len(piles)
    if n < 2:
        return 0
    prefix = [0]
    for p in piles:
        prefix.append(prefix[-1] + p)
    # cost[i][j]: cheapest way to merge piles i..j into one pile
    cost = [[0] * n for _ in range(n)]
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            best = None
            for k in range(i, j):  # the last merge joins i..k with k+1..j
                c = cost[i][k] + cost[k + 1][j]
                if best is None or c < best:
                    best = c
            cost[i][j] = best + prefix[j + 1] - prefix[i]
    return cost[0][n - 1]
