def least_rotation(s: str) -> int:
    n = len(s)
    if n < 2:
        return 0
    t = s + s
    # A periodic string has the same answer as its primitive root (str.find on the doubled string
    # finds the smallest period in C); the rotations of a primitive string are all distinct.
    period = t.find(s, 1)
    if period < n:
        n = period
        s = s[:n]
        t = s + s
    # The least rotation starts a maximal (cyclic) run of the smallest character c of the
    # longest length: find that length by galloping + binary search with C-level `in` tests.
    c = min(set(s))
    if n == 1 or s.count(c) == n:
        return 0
    lo, hi = 1, 2
    while hi < n and c * hi in t:
        lo, hi = hi, hi * 2
    hi = min(hi, n)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if c * mid in t:
            lo = mid
        else:
            hi = mid
    block = c * lo
    cands = []
    q = t.find(block)
    while 0 <= q < n:
        if q or s[-1] != c:  # not the tail of a run that wraps around the end
            cands.append(q)
        q = t.find(block, q + 1)
    if len(cands) <= 32:
        return min(cands, key=lambda p: t[p : p + n])
    # Many candidates: cut the string into blocks at the candidates. Every block starts with the
    # longest run of c and contains no other such run, so comparing rotations block by block (as
    # strings, where a proper prefix sorts first) is the same as comparing them character by
    # character. Rank the distinct blocks, write the rotation as a string of rank "characters" and
    # solve that string, which is at most half as long.
    bounds = cands + [cands[0] + n]
    blocks = [t[a:b] for a, b in zip(bounds, bounds[1:])]
    rank = {b: chr(r) for r, b in enumerate(sorted(set(blocks)))}
    return cands[least_rotation("".join(map(rank.__getitem__, blocks)))]
