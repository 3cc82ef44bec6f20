def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [(0, 3, 7), (5, 0, 3), (10, 2, 1000), (7, 0, 1), (1, 10**9, 2), (6, 3, 6)]
        if case < len(corner):
            return corner[case]
        return (rng.randint(0, size), rng.randint(0, 12), rng.randint(1, 40))
    # n is `size`; the modulus gives a period 15-40 times shorter (prime or composite moduli).
    n = size - rng.randint(0, size // 10)
    m = rng.randint(size // 40, size // 15)
    if case % 2:
        m |= 1
    if case < 2:
        k = rng.randint(10**8, 10**9)
    elif case == 2:
        k = rng.randint(10**4, 10**6)
    else:
        k = rng.randint(2, 64)
    return (n, k, m)
