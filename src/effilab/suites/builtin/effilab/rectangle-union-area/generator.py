def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            [(0, 0, 2, 2)],
            [(0, 0, 2, 2), (1, 1, 3, 3)],
            [(0, 0, 4, 4), (1, 1, 2, 2), (-1, 0, 0, 1)],
            [(0, 0, 0, 5), (2, 2, 6, 2)],
            [(1, 1, 3, 3), (1, 1, 3, 3), (3, 1, 5, 3)],
        ]
        if case < len(corner):
            return (list(corner[case]),)
    n = size if level > 0 else rng.randint(1, size)
    kind = case % 4
    rects = []
    span = 10**6
    for _ in range(n):
        if kind == 0:  # large, heavily overlapping rectangles
            x1, x2 = sorted(rng.randint(-span, span) for _ in range(2))
            y1, y2 = sorted(rng.randint(-span, span) for _ in range(2))
        elif kind == 1:  # medium rectangles scattered over a wide area
            x1, y1 = rng.randint(-span, span), rng.randint(-span, span)
            x2, y2 = x1 + rng.randint(0, span // 2), y1 + rng.randint(0, span // 2)
        elif kind == 2:  # thin horizontal and vertical strips (a lattice of crossings)
            if rng.random() < 0.5:
                x1, x2 = -span, span
                y1 = rng.randint(-span, span)
                y2 = y1 + rng.randint(1, span // 50)
            else:
                y1, y2 = -span, span
                x1 = rng.randint(-span, span)
                x2 = x1 + rng.randint(1, span // 50)
        else:  # coarse grid: shared edges and repeated coordinates
            x1, y1 = rng.randint(-60, 60) * 1000, rng.randint(-60, 60) * 1000
            x2, y2 = x1 + rng.randint(0, 40) * 1000, y1 + rng.randint(0, 40) * 1000
        rects.append((x1, y1, x2, y2))
    return (rects,)
