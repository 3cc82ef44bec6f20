def _stream(rng, length, spread):
    ts = rng.randint(0, spread)
    out = []
    for _ in range(length):
        ts += rng.choice((0, 0, 1, 2, 3, 5, 8, 13))
        out.append((ts, f"ev{rng.randint(0, 999)}"))
    return out


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            [[], []],
            [[(1, "a"), (5, "b")], [(1, "c"), (2, "d")], []],
            [[(3, "x"), (3, "y")], [(3, "z")], [(-1, "neg"), (3, "w")]],
            [[(0, "only")]],
        ]
        if case < len(corner):
            return ([list(s) for s in corner[case]],)
        k = rng.randint(1, 4)
        return ([_stream(rng, rng.randint(0, 5), 10) for _ in range(k)],)
    k = max(2, size // 300)
    lengths = [rng.randint(0, 2 * size // k) for _ in range(k)]
    return ([_stream(rng, n, 1000) for n in lengths],)
