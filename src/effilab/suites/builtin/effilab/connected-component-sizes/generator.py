def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            (0, []),
            (1, []),
            (1, [(0, 0)]),
            (6, [(0, 1), (1, 2), (4, 5)]),
            (4, [(0, 1), (1, 0), (0, 1), (2, 2)]),
            (5, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)]),
        ]
        if case < len(corner):
            n, edges = corner[case]
            return (n, list(edges))
    n = size if level > 0 else rng.randint(1, size)
    kind = case % 4
    edges = []
    if kind == 0:  # sparse random graph near the giant-component threshold: many merges
        for _ in range(n * 3 // 4):
            edges.append((rng.randrange(n), rng.randrange(n)))
    elif kind == 1:  # denser random graph: one giant component
        for _ in range(2 * n):
            edges.append((rng.randrange(n), rng.randrange(n)))
    elif kind == 2:  # several long paths (deep trees for a careless union-find)
        order = list(range(n))
        rng.shuffle(order)
        cuts = sorted(rng.sample(range(1, n), min(n - 1, 5)))
        start = 0
        for cut in cuts + [n]:
            chunk = order[start:cut]
            edges.extend(zip(chunk, chunk[1:]))
            start = cut
        rng.shuffle(edges)
    else:  # clusters of varied sizes plus a few isolated vertices
        order = list(range(n))
        rng.shuffle(order)
        i = 0
        while i < n:
            k = rng.randint(1, max(1, n // 10))
            group = order[i : i + k]
            for _ in range(2 * len(group)):
                edges.append((rng.choice(group), rng.choice(group)))
            i += k
        rng.shuffle(edges)
    return (n, edges)
