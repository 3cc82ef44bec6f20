def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            (1, []),
            (3, [(0, 4)]),
            (2, [(0, 5), (1, 3), (2, 1), (4, 2), (9, 1)]),
            (1, [(0, 2), (0, 2), (0, 2)]),
            (3, [(5, 1), (5, 1), (5, 1), (5, 1), (6, 1)]),
            (2, [(0, 3), (0, 3), (3, 1), (3, 1), (3, 1)]),
        ]
        if case < len(corner):
            k, cs = corner[case]
            return (k, list(cs))
    n = size if level > 0 else rng.randint(1, size)
    k = [200, 300, 400, 250][case % 4] if level > 0 else rng.randint(1, 3)
    k = min(k, max(1, n // 8)) if level > 0 else k
    mean_service = rng.randint(20, 200)
    # Load around 100%: queues build up and drain repeatedly; integer times give many ties.
    load = [1.05, 0.97, 1.15, 1.0][case % 4]
    gap = mean_service / (k * load)
    t = 0.0
    customers = []
    for _ in range(n):
        t += rng.expovariate(1.0 / gap) if rng.random() < 0.9 else 0.0
        customers.append((int(t), max(1, int(rng.expovariate(1.0 / mean_service)) + 1)))
    return (k, customers)
