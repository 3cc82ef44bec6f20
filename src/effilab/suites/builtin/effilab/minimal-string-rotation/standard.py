def least_rotation(s: str) -> int:
    # Booth's algorithm: failure function over the doubled string.
    t = s + s
    n2 = len(t)
    fail = [-1] * n2
    k = 0
    for j in range(1, n2):
        c = t[j]
        i = fail[j - k - 1]
        while i != -1 and c != t[k + i + 1]:
            if c < t[k + i + 1]:
                k = j - i - 1
            i = fail[i]
        if c != t[k + i + 1]:  # i == -1 here
            if c < t[k]:
                k = j
            fail[j - k] = -1
        else:
            fail[j - k] = i + 1
    return k
