def min_merge_cost(piles: list[int]) -> int:
    # Merging adjacent piles at cost = merged size is the optimal alphabetic tree problem, solved
    # by the Garsia-Wachs algorithm: repeatedly take the leftmost pair (a[p], a[p+1]) with
    # a[p] <= a[p+2], merge it, and move the merged pile left past every smaller pile. The
    # total of the merge sums equals the optimal cost. List deletes/inserts are C memmoves.
    if len(piles) < 2:
        return 0
    inf = float("inf")
    a = [inf, *piles, inf]  # sentinels: nothing merges with them, nothing moves past the left one
    total = 0
    p = 1
    while len(a) > 3:
        while a[p] > a[p + 2]:
            p += 1
        s = a[p] + a[p + 1]
        total += s
        del a[p : p + 2]
        j = p - 1
        while a[j] < s:
            j -= 1
        a.insert(j + 1, s)
        # Pairs left of j - 1 are unchanged and were already rejected: resume the scan there.
        p = j - 1 if j > 2 else 1
    return total
