def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([], 3),
            ([""], 2),
            (["#"], 1),
            ([".....", "..#..", "..#..", "..#..", "....."], 1),
            (["##", "##"], 5),
            (["#.#", ".#.", "#.#"], 0),
            ([".#...", "..#..", "###..", ".....", "....."], 4),
        ]
        if case < len(corner):
            g, s = corner[case]
            return (list(g), s)
    if level == 0:
        h, w = rng.randint(1, size), rng.randint(1, size)
        steps = rng.randint(1, 4)
    else:
        # `size` is the number of generations; the board grows slowly with the level.
        h = 6 + 3 * level
        w = h + (case % 3) * 3
        steps = size
    density = [0.35, 0.2, 0.5, 0.3][case % 4]
    grid = ["".join("#" if rng.random() < density else "." for _ in range(w)) for _ in range(h)]
    return (grid, steps)
