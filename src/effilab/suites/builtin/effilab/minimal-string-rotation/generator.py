def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = ["", "z", "abab", "cabbab", "aaaa", "ba", "bca😀a", "Zaz"]
        if case < len(corner):
            return (corner[case],)
    n = size if level > 0 else rng.randint(1, size)
    kind = case % 4
    if kind == 0:  # binary text: long common prefixes between candidate rotations
        return ("".join(rng.choice("ab") for _ in range(n)),)
    if kind == 1:  # periodic with a rare defect (or exactly periodic): many tied candidates
        unit = "".join(rng.choice("abc") for _ in range(rng.randint(3, 9)))
        chars = list((unit * (n // len(unit) + 1))[:n])
        if rng.random() < 0.5:
            chars[rng.randrange(n)] = "b"
        return ("".join(chars),)
    if kind == 2:  # mostly one letter: runs of the smallest character compete
        return ("".join("a" if rng.random() < 0.8 else rng.choice("bc") for _ in range(n)),)
    return ("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n)),)
