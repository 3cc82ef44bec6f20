def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [[], [5], [7, 7], [0, 0, 0], [3, 10, 5, 25, 2, 8], [2**31 - 1, 0, 2**30], [1, 2, 4, 8]]
        if case < len(corner):
            return (list(corner[case]),)
        return ([rng.randint(0, 31) for _ in range(size)],)
    if case % 2:
        nums = [rng.getrandbits(31) for _ in range(size)]
    else:  # all values share a high prefix: the answer is decided by the low bits
        base = rng.getrandbits(31) & ~0xFFFF
        nums = [base | rng.getrandbits(16) for _ in range(size)]
    return (nums,)
