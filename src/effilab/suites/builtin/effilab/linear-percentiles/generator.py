def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([7.0], [0.0, 50.0, 100.0]),
            ([3.0, 1.0, 2.0, 4.0], [0.0, 50.0, 100.0]),
            ([10.0, 20.0], [25.0]),
            ([5.0, 5.0, 5.0], [10.0, 90.0]),
            ([-1.5, 2.5, -3.5, 0.0, 8.0], [100.0, 0.0, 33.3, 33.3, 75.0]),
            ([1.0, 2.0], []),
        ]
        if case < len(corner):
            d, q = corner[case]
            return (list(d), list(q))
    n = size if level > 0 else rng.randint(1, size)
    kind = case % 4
    if kind == 0:
        data = [rng.gauss(100.0, 15.0) for _ in range(n)]
    elif kind == 1:
        data = [rng.expovariate(0.01) for _ in range(n)]
    elif kind == 2:  # heavy duplicates
        data = [float(rng.randint(-20, 20)) for _ in range(n)]
    else:
        data = [rng.uniform(-1e6, 1e6) for _ in range(n)]
    m = rng.randint(1, 6) if level == 0 else [40, 100, 60, 80][kind]
    qs = [round(rng.uniform(0.0, 100.0), rng.randint(0, 3)) for _ in range(m)]
    if level > 0:
        qs[:3] = [0.0, 100.0, 50.0]
    return (data, qs)
