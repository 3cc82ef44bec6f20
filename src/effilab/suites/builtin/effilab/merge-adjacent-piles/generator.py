def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [[], [7], [2, 3], [4, 1, 3], [1, 2, 3, 4], [5, 5, 5, 5, 5], [1, 100, 1, 100, 1]]
        if case < len(corner):
            return (list(corner[case]),)
        return ([rng.randint(1, 9) for _ in range(rng.randint(0, size))],)
    piles = [rng.randint(1, 10**4) for _ in range(size)]
    kind = case % 4
    if kind == 1:  # growing piles
        piles.sort()
    elif kind == 2:  # shrinking piles
        piles.sort(reverse=True)
    elif kind == 3:  # big piles at both ends, small ones in the middle
        piles = [abs(i - size // 2) * 50 + rng.randint(1, 40) for i in range(size)]
    return (piles,)
