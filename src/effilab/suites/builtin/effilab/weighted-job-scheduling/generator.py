def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            [[2, 3, 9]],
            [[0, 10, 7], [0, 5, 3], [5, 10, 3]],
            [[1, 2, 4], [1, 2, 4], [2, 3, 1]],
            [[-5, -1, 2], [-3, 4, 6], [-1, 0, 3]],
            [[0, 1, 1], [1, 2, 1], [2, 3, 1], [0, 3, 4]],
        ]
        if case < len(corner):
            return ([list(job) for job in corner[case]],)
        jobs = []
        for _ in range(size):
            s = rng.randint(0, 12)
            jobs.append([s, s + rng.randint(1, 5), rng.randint(1, 9)])
        return (jobs,)
    horizon = size * 20
    longest = horizon // (50 if case % 2 else 8)
    jobs = []
    for _ in range(size):
        s = rng.randint(0, horizon)
        jobs.append([s, s + rng.randint(1, longest), rng.randint(1, 1000)])
    return (jobs,)
