def _matrix(rows, cols, rng, kind):
    if kind == 0:
        return [[rng.uniform(-1.0, 1.0) for _ in range(cols)] for _ in range(rows)]
    if kind == 1:
        return [[float(rng.randint(-9, 9)) for _ in range(cols)] for _ in range(rows)]
    if kind == 2:  # sparse-ish
        return [
            [rng.gauss(0.0, 10.0) if rng.random() < 0.3 else 0.0 for _ in range(cols)] for _ in range(rows)
        ]
    return [[rng.uniform(-1000.0, 1000.0) for _ in range(cols)] for _ in range(rows)]


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([[2.0]], [[3.5]]),
            ([[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]),
            ([[2.0, -1.0, 0.5]], [[1.0], [4.0], [2.0]]),
            ([[1.0], [2.0], [3.0]], [[1.0, -1.0]]),
            ([[0.0, 0.0], [0.0, 0.0]], [[1.5, 2.5], [3.5, 4.5]]),
        ]
        if case < len(corner):
            x, y = corner[case]
            return ([row[:] for row in x], [row[:] for row in y])
        n, m, p = rng.randint(1, size), rng.randint(1, size), rng.randint(1, size)
    else:
        shapes = [
            (size, size, size),
            (size * 2, size // 2, size),
            (size // 2, size, size * 2),
            (size, size, size),
        ]
        n, m, p = shapes[case % 4]
    kind = case % 4
    return (_matrix(n, m, rng, kind), _matrix(m, p, rng, kind))
