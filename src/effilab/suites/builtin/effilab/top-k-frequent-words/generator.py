SYLLABLES = ["ka", "lo", "mi", "ra", "te", "zu", "an", "ob", "el", "is", "Qu", "x"]


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([], 5),
            (["b", "a", "c", "b", "a", "d"], 3),
            (["solo"], 0),
            (["x", "X", "x", "X", "é", "e"], 10),
            (["same"] * 4, 1),
            (["b", "a", "c"], 2),
        ]
        if case < len(corner):
            words, k = corner[case]
            return (list(words), k)
    vocab_size = max(2, size // 40)
    vocab = []
    seen = set()
    while len(vocab) < vocab_size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))
        if word not in seen:
            seen.add(word)
            vocab.append(word)
    # Zipf-like frequencies: many ties among the rare words.
    weights = [1.0 / (rank + 1) for rank in range(vocab_size)]
    words = rng.choices(vocab, weights=weights, k=size)
    k = rng.choice([1, 5, 10, 25, vocab_size // 3, vocab_size + 5]) if level > 0 else rng.randint(0, 4)
    return (words, k)
