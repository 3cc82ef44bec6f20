def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [([], 0), ([], 5), ([3], 0), ([3], 9), ([4, 6], 7), ([1, 2, 5], 5), ([7, 1], 1)]
        if case < len(corner):
            coins, amount = corner[case]
            return (list(coins), amount)
        coins = rng.sample(range(1, 9), rng.randint(1, 4))
        return (coins, rng.randint(0, size))
    count = 8 if case % 2 else 12
    coins = rng.sample(range(4, size // 8), count)  # distinct denominations, small and medium
    if case % 4 == 3:
        coins.append(1)
    rng.shuffle(coins)
    return (coins, size - rng.randint(0, size // 10))
