def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [[0.0], [1.0]],
            [[2.0], [2.0], [5.0]],
            [[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]],
            [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]],
            [[-1.5, 2.0], [1e-9, 0.0], [0.0, 0.0], [-1.5, 2.0 + 1e-7]],
        ]
        if case < len(corner):
            return ([p[:] for p in corner[case]],)
    n = size if level > 0 else rng.randint(2, size)
    d = [2, 3, 4, 6][case % 4] if level > 0 else rng.randint(1, 4)
    kind = case % 4
    if kind == 0:
        pts = [[rng.uniform(-100.0, 100.0) for _ in range(d)] for _ in range(n)]
    elif kind == 1:  # clusters with near-duplicates
        centres = [[rng.uniform(-1e3, 1e3) for _ in range(d)] for _ in range(5)]
        pts = [[c + rng.gauss(0.0, 1e-3) for c in rng.choice(centres)] for _ in range(n)]
    elif kind == 2:  # integer lattice: exact duplicates and ties
        pts = [[float(rng.randint(0, 6)) for _ in range(d)] for _ in range(n)]
    else:
        pts = [[rng.gauss(0.0, 1.0) * 10 ** rng.randint(-2, 2) for _ in range(d)] for _ in range(n)]
    return (pts,)
