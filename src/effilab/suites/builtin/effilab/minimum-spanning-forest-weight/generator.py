def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            (0, []),
            (1, [(0, 0, 5)]),
            (3, [(0, 1, -4)]),
            (4, [(0, 1, 3), (1, 2, 1), (0, 2, 2), (2, 3, 5)]),
            (3, [(0, 1, 2), (0, 1, 1), (1, 2, 0), (2, 2, -9)]),
            (5, [(0, 1, 7), (3, 4, 7), (1, 0, 7)]),
        ]
        if case < len(corner):
            n, edges = corner[case]
            return (n, list(edges))
    n = size if level > 0 else rng.randint(2, size)
    kind = case % 4
    edges = []
    if kind == 0:  # connected sparse graph: a random spanning tree plus random extra edges
        order = list(range(n))
        rng.shuffle(order)
        for i in range(1, n):
            edges.append((order[i], order[rng.randrange(i)], rng.randint(1, 10**6)))
        for _ in range(3 * n):
            edges.append((rng.randrange(n), rng.randrange(n), rng.randint(1, 10**6)))
    elif kind == 1:  # few distinct weights: many ties
        for _ in range(4 * n):
            edges.append((rng.randrange(n), rng.randrange(n), rng.randint(-3, 3)))
    elif kind == 2:  # geometric-style: edges between nearby labels, weight = distance
        for _ in range(4 * n):
            u = rng.randrange(n)
            v = min(n - 1, max(0, u + rng.randint(-20, 20)))
            edges.append((u, v, abs(u - v) * 100 + rng.randint(-50, 50)))
    else:  # several components
        groups = rng.randint(2, 6)
        for _ in range(4 * n):
            u = rng.randrange(n)
            g = u % groups
            v = rng.randrange(g, n, groups)
            edges.append((u, v, rng.randint(-1000, 1000)))
    rng.shuffle(edges)
    return (n, edges)
