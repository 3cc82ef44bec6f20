def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ("", ""),
            ("hello", ""),
            ("ab", "abc"),
            ("aaaa", "aa"),
            ("abababa", "aba"),
            ("abc", "abc"),
            ("AbcABCabc", "abc"),
        ]
        if case < len(corner):
            return corner[case]
    n = size if level > 0 else rng.randint(1, size)
    kind = case % 4
    if kind == 0:
        # Mostly 'a' with rare 'b': a pattern a^k b forces long partial matches everywhere.
        text = "".join("b" if rng.random() < 0.02 else "a" for _ in range(n))
        pattern = "a" * rng.randint(6, 12) + "b"
    elif kind == 1:
        # Periodic text: dense, overlapping matches.
        unit = "".join(rng.choice("ab") for _ in range(rng.randint(5, 9)))
        text = (unit * (n // len(unit) + 1))[:n]
        if rng.random() < 0.5:
            text = text[: n // 2] + "c" + text[n // 2 + 1 :]
        pattern = unit * rng.randint(2, 4)
    elif kind == 2:
        # DNA-like text, a short pattern cut from the text (a few hundred matches).
        text = "".join(rng.choice("acgt") for _ in range(n))
        start = rng.randrange(max(1, n - 6))
        pattern = text[start : start + rng.randint(4, 6)]
    else:
        # Text over a tiny alphabet, a long pattern with rare matches planted.
        pattern = "".join(rng.choice("ab") for _ in range(rng.randint(20, 40)))
        parts = []
        total = 0
        while total < n:
            if rng.random() < 0.05:
                parts.append(pattern)
                total += len(pattern)
            else:
                chunk = "".join(rng.choice("ab") for _ in range(10))
                parts.append(chunk)
                total += 10
        text = "".join(parts)[:n]
    if level == 0:
        pattern = pattern[: rng.randint(1, 4)]
    return (text, pattern)
