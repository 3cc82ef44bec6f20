def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([], []),
            ([5], [3]),
            ([0, 4, 10], [1, -1, -1]),
            ([0, 2, 4], [1, 0, -1]),
            ([3, 0], [-1, 1]),
            ([0, 1, 2, 3], [-1, -2, 3, 2]),
        ]
        if case < len(corner):
            p, v = corner[case]
            return (list(p), list(v))
    n = size if level > 0 else rng.randint(1, size)
    spread = [3, 10, 2, 50][case % 4]
    positions = rng.sample(range(-spread * n, spread * n), n)
    kind = case % 4
    if kind == 0:
        velocities = [rng.randint(-3, 3) for _ in range(n)]
    elif kind == 1:
        velocities = [rng.choice((-1, 1)) for _ in range(n)]
    elif kind == 2:  # dense, few speeds: many simultaneous and multi-particle collisions
        velocities = [rng.choice((-2, 0, 2)) for _ in range(n)]
    else:
        velocities = [rng.choice((-3, -1, 1, 2, 3)) for _ in range(n)]
    return (positions, velocities)
