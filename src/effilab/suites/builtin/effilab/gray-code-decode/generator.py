def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [[], [0], [1], [0, 1, 3, 2, 6, 7, 5, 4], [2**63], [2**64 - 1, 2**32, 5, 5]]
        if case < len(corner):
            return (list(corner[case]),)
        return ([rng.randrange(2 ** rng.randint(0, 64)) for _ in range(size)],)
    if case % 2:
        codes = [rng.getrandbits(64) for _ in range(size)]
    else:  # mixed widths, mostly wide
        codes = [rng.getrandbits(rng.choice((16, 32, 48, 64, 64, 64))) for _ in range(size)]
    return (codes,)
