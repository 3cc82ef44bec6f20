def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [(0, []), (1, []), (3, [[2, 1], [1, 0]])]
        n, edges = corner[case % len(corner)]
        return (n, [list(e) for e in edges])
    perm = list(range(size))
    rng.shuffle(perm)
    edges = []
    for _ in range(2 * size):
        i, j = sorted(rng.sample(range(size), 2))
        edges.append([perm[i], perm[j]])
    return (size, edges)
