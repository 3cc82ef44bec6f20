def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([1, 2], 1),
            ([4, 4, 4], 3),
            ([1, 6, 3, 10], 2),
            ([-5, 5], 1),
            ([0, 0, 7, 7], 2),
            ([3, -1, 8, 2, 2], 10),
        ]
        if case < len(corner):
            values, k = corner[case]
            return (list(values), k)
        n = rng.randint(2, size)
        values = [rng.randint(-10, 10) for _ in range(n)]
        return (values, rng.randint(1, n * (n - 1) // 2))
    spread = 10**9 if case % 2 else size * 3
    values = [rng.randint(-spread, spread) for _ in range(size)]
    total = size * (size - 1) // 2
    k = (rng.randint(1, total // 50), rng.randint(1, total), total // 2, total - rng.randint(0, 10))[case % 4]
    return (values, k)
