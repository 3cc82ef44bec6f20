def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([], 1),
            ([5], 1),
            ([5], 2),
            ([3, 3, 3, 3], 2),
            ([1, 2, 3, 4], 4),
            ([-1, 2, -1, 2, 5], 1),
            ([4, 1, 4, 4, 2, 1], 3),
        ]
        if case < len(corner):
            values, k = corner[case]
            return (list(values), k)
        values = [rng.randint(-3, 3) for _ in range(size)]
        return (values, rng.randint(1, size + 1))
    k = rng.randint(size // 6, size // 3)
    spread = size // 8 if case % 2 else size * 4  # many repeats, or mostly distinct values
    values = [rng.randint(-spread, spread) for _ in range(size)]
    return (values, k)
