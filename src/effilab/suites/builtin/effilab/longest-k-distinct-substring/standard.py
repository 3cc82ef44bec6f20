def longest_k_distinct(text: str, k: int) -> str:
    counts: dict[str, int] = {}
    left = 0
    best_start = best_len = 0
    for right, ch in enumerate(text):
        counts[ch] = counts.get(ch, 0) + 1
        while len(counts) > k:
            out = text[left]
            counts[out] -= 1
            if counts[out] == 0:
                del counts[out]
            left += 1
        if right - left + 1 > best_len:
            best_start, best_len = left, right - left + 1
    return text[best_start : best_start + best_len]
