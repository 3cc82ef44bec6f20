def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([], [0.0, 1.0]),
            ([0.5, 1.0, 1.5, 2.0, 3.0, -1.0], [0.0, 1.0, 2.0]),
            ([1.0, 1.0, 1.0], [1.0, 2.0]),
            ([2.0, 2.0], [1.0, 2.0]),
            ([-5.5, -5.0, 0.0, 5.0, 5.5], [-5.0, 0.0, 5.0]),
            ([0.1 * i for i in range(11)], [0.0, 0.25, 0.5, 0.75, 1.0]),
        ]
        if case < len(corner):
            values, edges = corner[case]
            return (list(values), list(edges))
    n_bins = max(1, size // 200) if level else rng.randint(1, 5)
    low = rng.uniform(-100, 0)
    width = rng.uniform(0.5, 5)
    edges = [low]
    for _ in range(n_bins):
        edges.append(edges[-1] + width * rng.uniform(0.5, 1.5))
    span_low, span_high = edges[0] - 10, edges[-1] + 10
    values = []
    for _ in range(size):
        r = rng.random()
        if r < 0.05:
            values.append(rng.choice(edges))  # exactly on an edge
        elif r < 0.7:
            values.append(rng.gauss((edges[0] + edges[-1]) / 2, (edges[-1] - edges[0]) / 4))
        else:
            values.append(rng.uniform(span_low, span_high))
    return (values, edges)
