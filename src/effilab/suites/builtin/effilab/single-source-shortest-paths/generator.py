def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            (1, [], 0),
            (3, [(1, 2, 7)], 0),
            (4, [(0, 1, 5), (0, 2, 1), (2, 1, 2), (1, 3, 1)], 0),
            (3, [(0, 0, 4), (0, 1, 0), (1, 2, 0), (0, 2, 3)], 0),
            (3, [(0, 1, 9), (0, 1, 2), (1, 0, 1)], 1),
            (5, [(4, 3, 1), (3, 2, 1), (2, 1, 1), (1, 0, 1), (4, 0, 5)], 4),
        ]
        if case < len(corner):
            n, edges, s = corner[case]
            return (n, list(edges), s)
    n = size if level > 0 else rng.randint(2, size)
    degree = [2, 4, 3, 6][case % 4]
    edges = []
    # A random path through most vertices keeps most of the graph reachable; the rest is random.
    order = list(range(n))
    rng.shuffle(order)
    for a, b in zip(order, order[1:]):
        if rng.random() < 0.95:
            edges.append((a, b, rng.randint(1, 1000)))
    for _ in range(degree * n - len(edges)):
        edges.append((rng.randrange(n), rng.randrange(n), rng.randint(0, 1000)))
    rng.shuffle(edges)
    return (n, edges, order[0] if case % 2 == 0 else rng.randrange(n))
