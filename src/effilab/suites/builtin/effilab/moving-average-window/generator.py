def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([], 1),
            ([1.0, 2.0], 3),
            ([5.5], 1),
            ([1.0, 2.0, 3.0, 4.0, 5.0], 2),
            ([-1.0, 1.0, -1.0, 1.0], 2),
            ([2.5, 2.5, 2.5], 3),
            ([1e6, -1e6, 0.25, 0.75], 1),
        ]
        if case < len(corner):
            v, k = corner[case]
            return (list(v), k)
    n = size if level > 0 else rng.randint(1, size)
    kind = case % 4
    if kind == 0:
        values = [rng.uniform(0.0, 1000.0) for _ in range(n)]
    elif kind == 1:
        values = [rng.gauss(0.0, 50.0) for _ in range(n)]
    elif kind == 2:  # a random walk (smooth signal with a trend)
        x = 0.0
        values = []
        for _ in range(n):
            x += rng.gauss(0.0, 1.0)
            values.append(x)
    else:
        values = [float(rng.randint(-100, 100)) for _ in range(n)]
    if level == 0:
        k = rng.randint(1, n + 1)
    else:
        k = [25, 100, 50, 120][case % 4]
    return (values, k)
