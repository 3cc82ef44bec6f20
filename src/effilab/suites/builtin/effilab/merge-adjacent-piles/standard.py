def min_merge_cost(piles: list[int]) -> int:
    n = len(piles)
    if n < 2:
        return 0
    prefix = [0]
    for p in piles:
        prefix.append(prefix[-1] + p)
    cost = [[0] * n for _ in range(n)]
    split = [[i] * n for i in range(n)]  # split[i][j]: leftmost best k for i..j
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            # Knuth: the best split lies between the best splits of i..j-1 and i+1..j.
            lo = split[i][j - 1]
            hi = split[i + 1][j] if length > 2 else i
            best = None
            best_k = lo
            for k in range(lo, min(hi, j - 1) + 1):
                c = cost[i][k] + cost[k + 1][j]
                if best is None or c < best:
                    best, best_k = c, k
            cost[i][j] = best + prefix[j + 1] - prefix[i]
            split[i][j] = best_k
    return cost[0][n - 1]
