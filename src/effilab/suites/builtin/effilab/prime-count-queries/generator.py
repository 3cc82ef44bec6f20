def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            [[0, 0]],
            [[0, 1]],
            [[2, 2]],
            [[0, 10], [10, 20], [14, 16]],
            [[97, 97], [1, 2], [90, 96]],
        ]
        if case < len(corner):
            return ([list(q) for q in corner[case]],)
        out = []
        for _ in range(rng.randint(1, 5)):
            lo = rng.randint(0, 60)
            out.append([lo, lo + rng.randint(0, 40)])
        return (out,)
    # `size` bounds the values; the queries together cover about a twelfth of the numbers below it.
    count = 12 if case % 2 else 40
    queries = []
    for _ in range(count):
        width = rng.randint(size // (24 * count), size // (8 * count))
        lo = rng.randint(0, size - width)
        queries.append([lo, lo + width])
    return (queries,)
