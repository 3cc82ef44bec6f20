def longest_k_distinct(text: str, k: int) -> str:
    if k <= 0:
        return ""
    # Non-shrinking window: once a valid window of length L is found, the window never gets
    # shorter than L. It grows by one when the new character keeps it valid, otherwise it
    # slides by one. It first reaches length L at the earliest end of a valid length-L
    # substring, so the recorded start is the leftmost among the longest.
    counts: dict[str, int] = {}
    get = counts.get
    distinct = 0
    left = 0
    best_start = 0
    best_len = 0
    for right, ch in enumerate(text):
        c = get(ch, 0)
        counts[ch] = c + 1
        if not c:
            distinct += 1
        if distinct > k:
            out = text[left]
            c = counts[out] - 1
            counts[out] = c
            if not c:
                distinct -= 1
            left += 1
        elif right - left >= best_len:
            best_len = right - left + 1
            best_start = left
    return text[best_start : best_start + best_len]
