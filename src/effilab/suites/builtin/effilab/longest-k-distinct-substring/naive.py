def longest_k_distinct(text: str, k: int) -> str:
    best = ""
    n = len(text)
    for i in range(n):
        seen = set()
        j = i
        while j < n:
            seen.add(text[j])
            if len(seen) > k:
                break
            j += 1
        if j - i > len(best):
            best = text[i:j]
    return best
