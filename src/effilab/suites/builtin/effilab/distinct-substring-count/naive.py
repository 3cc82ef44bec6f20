def count_distinct_substrings(s: str) -> int:
    n = len(s)
    total = 0
    for length in range(1, n + 1):
        seen = set()
        for i in range(n - length + 1):
            seen.add(s[i : i + length])
        total += len(seen)
    return total
