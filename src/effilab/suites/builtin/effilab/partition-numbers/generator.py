def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [0, 1, 2, 5, 7, 12]
        if case < len(corner):
            return (corner[case],)
        return (rng.randint(0, size),)
    return (size - rng.randint(0, size // 20),)
