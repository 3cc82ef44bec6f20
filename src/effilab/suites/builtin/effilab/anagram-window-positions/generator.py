def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ("", ""),
            ("abc", ""),
            ("ab", "abc"),
            ("abab", "ab"),
            ("cbaebabacd", "abc"),
            ("aaaa", "a"),
            ("AaBbaA", "aA"),
        ]
        if case < len(corner):
            return corner[case]
    n = size if level > 0 else rng.randint(1, size)
    kind = case % 4
    alphabet = ["ab", "abc", "abcdefghijklmnopqrstuvwxyz", "aé漢😀"][kind]
    text = "".join(rng.choice(alphabet) for _ in range(n))
    m = rng.randint(40, 80) if level > 0 else rng.randint(1, 3)
    m = min(m, n)
    if kind == 2:
        # Plant shuffled copies of the pattern so that matches exist over a large alphabet.
        pattern = "".join(rng.choice(alphabet) for _ in range(m))
        chars = list(text)
        for _ in range(rng.randint(1, 20)):
            start = rng.randint(0, n - m)
            block = list(pattern)
            rng.shuffle(block)
            chars[start : start + m] = block
        text = "".join(chars)
    else:
        start = rng.randint(0, n - m)
        pattern = list(text[start : start + m])
        rng.shuffle(pattern)
        pattern = "".join(pattern)
    return (text, pattern)
