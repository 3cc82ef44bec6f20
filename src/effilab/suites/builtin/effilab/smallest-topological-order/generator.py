def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            (0, []),
            (1, []),
            (1, [(0, 0)]),
            (4, [(3, 1), (2, 0)]),
            (2, [(0, 1), (1, 0)]),
            (3, [(2, 1), (2, 1), (1, 0)]),
            (5, [(4, 0), (3, 0), (0, 1)]),
        ]
        if case < len(corner):
            n, edges = corner[case]
            return (n, list(edges))
    n = size if level > 0 else rng.randint(2, size)
    # A hidden random order: edges always go forward in it, so the graph is acyclic.
    rank = list(range(n))
    rng.shuffle(rank)
    edges = []
    for _ in range(rng.randint(n, 3 * n)):
        a, b = rng.randrange(n), rng.randrange(n)
        if a == b:
            continue
        if rank[a] > rank[b]:
            a, b = b, a
        edges.append((a, b))
    if case % 4 == 3 and len(edges) > 1:
        # close a cycle through a long chain of the hidden order
        order = sorted(range(n), key=rank.__getitem__)
        i = rng.randrange(n // 2)
        j = rng.randrange(n // 2, n)
        edges.extend(zip(order[i:j], order[i + 1 : j + 1]))
        edges.append((order[j], order[i]))
        rng.shuffle(edges)
    return (n, edges)
