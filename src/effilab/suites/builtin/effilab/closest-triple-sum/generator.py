def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([], 5),
            ([4, 1], 4),
            ([2, 2, 2], 0),
            ([1, 2, 3, 10], 10),
            ([-5, -1, 3, 7], 2),
            ([0, 0, 0, 0], 1),
            ([10, -10, 3, 3, 50], -100),
        ]
        if case < len(corner):
            nums, target = corner[case]
            return (list(nums), target)
        nums = [rng.randint(-20, 20) for _ in range(size)]
        return (nums, rng.randint(-60, 60))
    span = size * 1000
    if case % 2:
        # Even values and an odd target: no exact hit, and ties between target-d and target+d happen.
        nums = [2 * rng.randint(-span, span) for _ in range(size)]
        target = 2 * rng.randint(-span, span) + 1
    else:
        nums = [rng.randint(-span, span) for _ in range(size)]
        target = rng.randint(-span, span) * 2 + 1
    return (nums, target)
