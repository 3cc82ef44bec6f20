from collections import Counter
from heapq import nsmallest


def top_k_words(words: list[str], k: int) -> list[tuple[str, int]]:
    counts = Counter(words)  # counting loop runs in C
    if k <= 0:
        return []
    if k * 8 >= len(counts):
        # Sort by word, then stably by count descending: same order as key (-count, word), no tuple keys.
        ranked = sorted(counts.items())
        ranked.sort(key=lambda item: item[1], reverse=True)
        return ranked[:k]
    return nsmallest(k, counts.items(), key=lambda item: (-item[1], item[0]))
