def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [[], [7], [2, 1], [1, 1, 1], [5, 4, 3, 2, 1], [-1, -5, 3, 3, 0, -5], [1, 2, 3, 4]]
        if case < len(corner):
            return (list(corner[case]),)
        return ([rng.randint(-5, 5) for _ in range(size)],)
    kind = case % 4
    if kind == 0:  # wide random values
        nums = [rng.randint(-(10**9), 10**9) for _ in range(size)]
    elif kind == 1:  # many duplicates
        nums = [rng.randint(0, max(2, size // 20)) for _ in range(size)]
    elif kind == 2:  # nearly sorted
        nums = list(range(size))
        for _ in range(size // 10):
            i, j = rng.randrange(size), rng.randrange(size)
            nums[i], nums[j] = nums[j], nums[i]
    else:  # mostly descending
        nums = [size - i + rng.randint(-size // 10, size // 10) for i in range(size)]
    return (nums,)
