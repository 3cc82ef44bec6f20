def longest_palindrome(s: str) -> str:
    # Expand around each of the 2n-1 centres; O(n²) worst case, fast on typical text.
    n = len(s)
    best_start, best_len = 0, 0
    for centre in range(2 * n - 1):
        lo = centre // 2
        hi = lo + centre % 2
        while lo >= 0 and hi < n and s[lo] == s[hi]:
            lo -= 1
            hi += 1
        length = hi - lo - 1
        if length > best_len or (length == best_len and lo + 1 < best_start):
            best_start, best_len = lo + 1, length
    return s[best_start : best_start + best_len]
