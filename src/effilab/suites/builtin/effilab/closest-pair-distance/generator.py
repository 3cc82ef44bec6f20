def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [(0, 0), (3, 4)],
            [(2, 3), (2, 3)],
            [(0, 0), (5, 5), (1, 1), (9, 0)],
            [(-5, -5), (-5, 5), (5, -5), (5, 5), (0, 0)],
            [(0, 0), (0, 10), (0, 3), (0, 7)],
            [(10**6, -(10**6)), (-(10**6), 10**6)],
        ]
        if case < len(corner):
            return (list(corner[case]),)
    n = size if level > 0 else rng.randint(2, size)
    kind = case % 4
    span = 10**6
    if kind == 0:  # uniform in a square
        pts = [(rng.randint(-span, span), rng.randint(-span, span)) for _ in range(n)]
    elif kind == 1:  # a few narrow vertical strips: bad for an x-only sweep
        strips = [rng.randint(-span, span) for _ in range(4)]
        pts = [(rng.choice(strips) + rng.randint(-3, 3), rng.randint(-span, span)) for _ in range(n)]
    elif kind == 2:  # clustered points
        centres = [(rng.randint(-span, span), rng.randint(-span, span)) for _ in range(10)]
        pts = []
        for _ in range(n):
            cx, cy = rng.choice(centres)
            pts.append((cx + rng.randint(-5000, 5000), cy + rng.randint(-5000, 5000)))
    else:  # coarse lattice: many tied distances (and exact duplicates in small cases)
        side = max(2, int((n * 2) ** 0.5)) if level == 0 else 3 * n
        pts = [(rng.randint(0, side) * 7, rng.randint(0, side) * 7) for _ in range(n)]
    return (pts,)
