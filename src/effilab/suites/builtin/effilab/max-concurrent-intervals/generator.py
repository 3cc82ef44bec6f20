def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            [[3, 4]],
            [[1, 2], [2, 3], [3, 4]],
            [[0, 5], [0, 5], [0, 5]],
            [[-10, -2], [-5, 0], [-3, -1], [0, 1]],
            [[1, 10], [2, 3], [4, 5], [6, 7], [2, 9]],
        ]
        if case < len(corner):
            return ([list(p) for p in corner[case]],)
        out = []
        for _ in range(size):
            s = rng.randint(-10, 10)
            out.append([s, s + rng.randint(1, 6)])
        return (out,)
    horizon = size * 50
    out = []
    for _ in range(size):
        s = rng.randint(-horizon, horizon)
        length = rng.randint(1, horizon // (4 if case % 2 else 40))
        out.append([s, s + length])
    if case % 4 == 3:  # shared endpoints: chains of back-to-back bookings
        for i in range(0, size - 1, 3):
            out[i + 1] = [out[i][1], out[i][1] + rng.randint(1, 100)]
    return (out,)
