def longest_palindrome(s: str) -> str:
    # Manacher's algorithm on the interleaved sequence ^#s0#s1#...#$ (sentinels never match).
    n = len(s)
    if n < 2:
        return s
    t = ["\x00", "\x01"]
    for c in s:
        t.append(c)
        t.append("\x01")
    t.append("\x02")
    # The sentinels must differ from every character of s: use non-str sentinels if s contains them.
    if "\x00" in s or "\x01" in s or "\x02" in s:
        t = [None, 0]
        for c in s:
            t.append(c)
            t.append(0)
        t.append(1.5)
    size = len(t)
    radius = [0] * size
    centre = right = 0
    best_r = best_c = 0
    for i in range(1, size - 1):
        r = 0
        if i < right:
            r = radius[2 * centre - i]
            if r > right - i:
                r = right - i
        while t[i + r + 1] == t[i - r - 1]:
            r += 1
        radius[i] = r
        if i + r > right:
            centre, right = i, i + r
        if r > best_r:
            best_r, best_c = r, i
    start = (best_c - best_r) // 2
    return s[start : start + best_r]
