def count_distinct_substrings(s: str) -> int:
    # Every distinct substring is a prefix of some suffix; sorted adjacent suffixes share exactly
    # LCP prefixes, so the answer is n(n+1)/2 - sum of LCPs. The suffix array comes from a C-level
    # sort of the suffixes themselves; the LCPs from Kasai's algorithm (amortised O(n)).
    n = len(s)
    if n < 2:
        return n
    sa = sorted(range(n), key=lambda i: s[i:])
    rank = [0] * n
    for r, i in enumerate(sa):
        rank[i] = r
    total = n * (n + 1) // 2
    h = 0
    for i in range(n):
        r = rank[i]
        if r:
            j = sa[r - 1]
            while i + h < n and j + h < n and s[i + h] == s[j + h]:
                h += 1
            total -= h
            if h:
                h -= 1
        else:
            h = 0
    return total
