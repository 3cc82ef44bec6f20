def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            [[0, 0]],
            [[0, 7], [5, 5], [8, 9]],
            [[1, 1], [2, 3], [0, 1]],
            [[2**40, 2**40 + 3]],
            [[1023, 1025], [6, 6]],
        ]
        if case < len(corner):
            return ([list(q) for q in corner[case]],)
        out = []
        for _ in range(size):
            lo = rng.randint(0, 100)
            out.append([lo, lo + rng.randint(0, 30)])
        return (out,)
    top = 10**9 if case % 2 else 2**62
    queries = []
    for _ in range(size):
        lo = rng.randint(0, top)
        queries.append([lo, lo + rng.randint(0, 4000)])
    return (queries,)
