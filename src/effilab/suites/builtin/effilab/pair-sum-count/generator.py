def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [([], 0), ([5], 10), ([3, 3], 6), ([0, 0, 0, 0], 0), ([-1, 1, -2, 2], 0)]
        if case < len(corner):
            nums, target = corner[case]
            return (list(nums), target)
    spread = max(2, size // 4)  # small value range: many equal values, many matching pairs
    nums = [rng.randint(-spread, spread) for _ in range(size)]
    return (nums, rng.randint(-spread, spread))
