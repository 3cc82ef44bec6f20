def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            (1, []),
            (1, [("get", 5)]),
            (2, [("put", 1, 10), ("put", 2, 20), ("get", 1), ("put", 3, 30), ("get", 2), ("get", 3)]),
            (1, [("put", 1, 1), ("put", 1, 2), ("get", 1), ("put", 2, 3), ("get", 1), ("get", 2)]),
            (
                3,
                [
                    ("put", -1, -1),
                    ("get", -1),
                    ("put", 0, 0),
                    ("put", 7, 70),
                    ("get", 0),
                    ("put", 8, 80),
                    ("get", -1),
                    ("get", 7),
                    ("put", 7, 71),
                    ("put", 9, 90),
                    ("get", 0),
                    ("get", 7),
                ],
            ),
        ]
        if case < len(corner):
            capacity, ops = corner[case]
            return (capacity, list(ops))
        capacity = rng.randint(1, 4)
        keys = 6
    else:
        capacity = max(1, size // 10)
        keys = capacity * 2
    ops = []
    hot = max(1, keys // 4)
    for _ in range(size):
        # a skewed key distribution: a hot quarter of the keys gets half of the traffic
        key = rng.randrange(hot) if rng.random() < 0.5 else rng.randrange(keys)
        if rng.random() < 0.6:
            ops.append(("get", key))
        else:
            ops.append(("put", key, rng.randint(-1000, 1000)))
    return (capacity, ops)
