def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([], 0),
            ([[5]], 5),
            ([[5]], 0),
            ([[0, 0], [0, 0]], 0),
            ([[1, -1], [-1, 1]], 0),
            ([[2, 1, 3], [0, 4, 1]], 4),
            ([[-1], [2], [-1], [3]], 1),
        ]
        if case < len(corner):
            grid, target = corner[case]
            return ([list(r) for r in grid], target)
        rows, cols = rng.randint(1, size), rng.randint(1, size)
        return ([[rng.randint(-2, 2) for _ in range(cols)] for _ in range(rows)], rng.randint(-3, 3))
    spread = 2 if case % 2 else 9  # small values: equal prefix sums are common
    # Ledgers: a few rows by many columns, or (every other pair of cases) the transpose.
    rows, cols = 10, size
    if case % 4 >= 2:
        rows, cols = cols, rows
    grid = [[rng.randint(-spread, spread) for _ in range(cols)] for _ in range(rows)]
    return (grid, rng.randint(-spread, spread))
