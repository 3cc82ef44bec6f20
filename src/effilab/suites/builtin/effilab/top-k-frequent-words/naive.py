def top_k_words(words: list[str], k: int) -> list[tuple[str, int]]:
    counts = {word: words.count(word) for word in set(words)}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:k]
