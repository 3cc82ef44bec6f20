def _value(rng, common: int) -> int:
    # Products of small primes, so stretches often keep a common factor larger than 1.
    v = common
    for p in (2, 2, 3, 3, 5, 7, 11, 13):
        if rng.random() < 0.6:
            v *= p
    return v * rng.randint(1, 30)


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([5], []),
            ([5], [[0, 0]]),
            ([4, 6], [[0, 1], [1, 1]]),
            ([12, 18, 24, 9, 7], [[0, 2], [1, 3], [4, 4], [0, 4]]),
            ([1, 1, 1], [[0, 2]]),
            ([10**12, 10**12 + 10**6], [[0, 1]]),
        ]
        if case < len(corner):
            nums, queries = corner[case]
            return (list(nums), [list(q) for q in queries])
        n = rng.randint(1, size)
        nums = [rng.randint(1, 40) for _ in range(n)]
        queries = []
        for _ in range(rng.randint(1, 6)):
            a, b = rng.randrange(n), rng.randrange(n)
            queries.append([min(a, b), max(a, b)])
        return (nums, queries)
    common = 2 * 3 * 5 * 7 if case % 2 else 1
    nums = [_value(rng, common) for _ in range(size)]
    queries = []
    for _ in range(size):
        a, b = rng.randrange(size), rng.randrange(size)
        queries.append([min(a, b), max(a, b)])
    return (nums, queries)
