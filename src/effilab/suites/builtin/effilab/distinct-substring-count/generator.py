def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = ["", "a", "aaa", "abab", "abc", "Aa", "😀é😀"]
        if case < len(corner):
            return (corner[case],)
    n = size if level > 0 else rng.randint(1, size)
    kind = case % 4
    if kind == 0:  # binary text: many repeated substrings
        return ("".join(rng.choice("ab") for _ in range(n)),)
    if kind == 1:  # periodic text with a few mutations: long repeats
        unit = "".join(rng.choice("abc") for _ in range(rng.randint(2, 7)))
        chars = list((unit * (n // len(unit) + 1))[:n])
        for _ in range(rng.randint(0, 3)):
            chars[rng.randrange(n)] = rng.choice("abcd")
        return ("".join(chars),)
    if kind == 2:  # lowercase letters
        return ("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n)),)
    # runs of one letter and non-ASCII characters
    out = []
    while len(out) < n:
        out.extend(rng.choice("xé漢") * rng.randint(1, 12))
    return ("".join(out[:n]),)
