def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            ["a"],
            ["", ""],
            ["ab", "ba", "ab", "Ab"],
            ["abc", "abd", "cab", "bca", "xyz"],
            ["aab", "abb", "bab", "aba"],
        ]
        if case < len(corner):
            return (list(corner[case]),)
        return (["".join(rng.choice("ab") for _ in range(rng.randint(0, 3))) for _ in range(size)],)
    alphabet = "abcde" if case % 2 else "abcdefghij"
    words = []
    for _ in range(size):
        length = rng.randint(1, 7)
        words.append("".join(rng.choice(alphabet) for _ in range(length)))
    return (words,)
