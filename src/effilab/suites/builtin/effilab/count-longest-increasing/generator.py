def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [[], [4], [5, 5, 5], [1, 2, 3, 4], [4, 3, 2, 1], [1, 3, 2, 4, 4], [-2, -5, 0, -1, 3, 3]]
        if case < len(corner):
            return (list(corner[case]),)
        return ([rng.randint(-4, 4) for _ in range(size)],)
    kind = case % 4
    if kind == 0:
        values = [rng.randint(-(10**6), 10**6) for _ in range(size)]
    elif kind == 1:  # many duplicates: many tied subsequences
        values = [rng.randint(0, 40) for _ in range(size)]
    elif kind == 2:  # upward trend with noise: long answers, huge counts
        values = [i + rng.randint(-size // 10, size // 10) for i in range(size)]
    else:  # blocks of decreasing values climbing upward: many equal-length choices
        values = [(i // 10) * 10 + (9 - i % 10) + rng.randint(0, 3) for i in range(size)]
    return (values,)
